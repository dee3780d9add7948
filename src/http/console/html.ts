// Pages written as TypeScript functions over one tagged template: every interpolated value is escaped
// unless it is already Html (made by `html` itself or, deliberately, by `trusted`). No template
// engine: the compiler checks every page, and forgetting to escape is impossible by default.

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text escaped for HTML content and quoted attribute values. */
export function escapeText(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

/** A piece of markup known to be safe. Only `html` and `trusted` make one. */
export class Html {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

/** What may be interpolated: text (escaped), numbers, Html, lists of these; null/undefined/false render nothing. */
export type Interpolation = Html | string | number | null | undefined | false | readonly Interpolation[];

function render(value: Interpolation): string {
  if (value === null || value === undefined || value === false) return '';
  if (value instanceof Html) return value.value;
  if (Array.isArray(value)) return value.map(render).join('');
  return escapeText(String(value));
}

export function html(strings: TemplateStringsArray, ...values: Interpolation[]): Html {
  let out = strings[0]!;
  for (let i = 0; i < values.length; i++) out += render(values[i]!) + strings[i + 1]!;
  return new Html(out);
}

/** Markup from a source that produced it safely (an SVG from the QR code library, a card Telegram-HTML already escaped). */
export function trusted(markup: string): Html {
  return new Html(markup);
}
