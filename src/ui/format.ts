// Small pure helpers for Telegram HTML messages.

export function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Ten cells, at least one filled once anything is pledged, full only when the target is met. */
export function progressBar(pledged: number, target: number, cells = 10): string {
  const ratio = target > 0 ? Math.min(1, pledged / target) : 0;
  let filled = Math.floor(ratio * cells);
  if (pledged > 0 && filled === 0) filled = 1;
  if (ratio < 1 && filled === cells) filled = cells - 1;
  return '▰'.repeat(filled) + '▱'.repeat(cells - filled);
}

/** A short date in the given zone: 12 Dec / 12月12日. */
export function shortDate(d: Date, language: 'en' | 'zh', timeZone: string): string {
  if (language === 'zh') {
    const parts = new Intl.DateTimeFormat('en-US', { timeZone, month: 'numeric', day: 'numeric' }).formatToParts(d);
    const month = parts.find((p) => p.type === 'month')?.value;
    const day = parts.find((p) => p.type === 'day')?.value;
    return `${month}月${day}日`;
  }
  return new Intl.DateTimeFormat('en-GB', { timeZone, day: 'numeric', month: 'short' }).format(d);
}

/** Cuts text to a length Telegram and small screens are happy with. */
export function clip(s: string, max: number): string {
  return s.length <= max ? s : `${s.slice(0, max - 1)}…`;
}
