import type { Response } from 'express';
import ExcelJS from 'exceljs';
import { csvText } from '../../ui/csv';

// The two file formats every export comes in: CSV (UTF-8 with BOM, RFC 4180, formulas defused) and
// an Excel workbook (a sheet per table), each header row bold and its columns as wide as their text.

export type ExportFormat = 'csv' | 'xlsx';

/** The media types the API documents; CSV is sent with `; charset=utf-8`. */
export const CSV_MEDIA = 'text/csv';
export const CSV_TYPE = `${CSV_MEDIA}; charset=utf-8`;
export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

export interface ExportFile {
  filename: string;
  contentType: string;
  body: Buffer;
}

export interface Table {
  /** The file's name without its extension: `ledger-c_abc-2026-11-01-2026-11-30`. */
  name: string;
  sheet: string;
  header: string[];
  rows: Array<ReadonlyArray<string | number>>;
}

/** Display width: CJK and other wide characters take two columns. */
function width(value: string | number): number {
  let w = 0;
  for (const ch of String(value)) w += /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/u.test(ch) ? 2 : 1;
  return w;
}

async function xlsx(tables: Table[]): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  for (const table of tables) addSheet(workbook, table);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

function addSheet(workbook: ExcelJS.Workbook, table: Table): void {
  // Sheet names may not hold : \ / ? * [ ] and are at most 31 characters.
  const sheet = workbook.addWorksheet(table.sheet.replace(/[:\\/?*[\]]/g, ' ').slice(0, 31), { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = table.header.map((h, i) => {
    const widest = Math.max(width(h), ...table.rows.slice(0, 2000).map((r) => width(r[i] ?? '')));
    return { header: h, width: Math.min(60, Math.max(8, widest + 2)) };
  });
  sheet.getRow(1).font = { bold: true };
  // Strings go in as text cells: a title starting with "=" is shown, never run as a formula.
  for (const row of table.rows) sheet.addRow([...row]);
}

/** Only letters, digits, dots, dashes and underscores in a file name. */
export function safeFilePart(s: string): string {
  return s.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 60);
}

/** The file of a table; an Excel workbook may carry more tables as further sheets (a CSV holds the first only). */
export async function renderTable(table: Table, format: ExportFormat, moreSheets: Table[] = []): Promise<ExportFile> {
  if (format === 'xlsx') return { filename: `${table.name}.xlsx`, contentType: XLSX_TYPE, body: await xlsx([table, ...moreSheets]) };
  return { filename: `${table.name}.csv`, contentType: CSV_TYPE, body: Buffer.from(csvText(table.header, table.rows), 'utf8') };
}

/** Sends the file as a download the browser or client saves, never caches. */
export function sendFile(res: Response, file: ExportFile): void {
  res.attachment(file.filename);
  res.type(file.contentType);
  res.setHeader('Cache-Control', 'no-store');
  res.send(file.body);
}
