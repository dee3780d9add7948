// CSV as spreadsheets read it: RFC 4180 (fields quoted when they hold a comma, a quote or a line
// break; quotes doubled; CRLF between records), UTF-8 with a byte order mark so that Excel opens
// Chinese text as such. A cell a spreadsheet would run as a formula is defused. Pure.

export const UTF8_BOM = '\uFEFF';

/**
 * A cell starting with = + - @ (or a tab or carriage return, which some spreadsheets skip before
 * one) is a formula to Excel and LibreOffice: "=HYPERLINK(...)" in a wish title would run on the
 * auditor's machine. Such a cell is prefixed with a single quote, which shows it as text.
 */
export function defuseFormula(cell: string): string {
  return /^[=+\-@\t\r]/.test(cell) ? `'${cell}` : cell;
}

/** One field, defused and quoted as RFC 4180 asks. */
export function csvField(value: string | number | undefined): string {
  const text = value === undefined ? '' : typeof value === 'number' ? String(value) : defuseFormula(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** One record, ending with CRLF. */
export function csvRecord(cells: ReadonlyArray<string | number | undefined>): string {
  return `${cells.map(csvField).join(',')}\r\n`;
}

/** A whole file: BOM, the header, the rows. */
export function csvText(header: readonly string[], rows: Iterable<ReadonlyArray<string | number | undefined>>): string {
  let out = UTF8_BOM + csvRecord(header);
  for (const row of rows) out += csvRecord(row);
  return out;
}
