import { Response } from 'express';
import { z } from 'zod';
import { defineRoute, RouteSpec } from '../api-spec';
import { committeeBundle, directoryExport, donorsExport, ExportDeps, ExportFile, ExportFormat, isIsoDay, ledgerExport, wishHistoryExport } from '../exports';
import { CSV_MEDIA, sendFile, XLSX_TYPE } from '../exports/files';
import { BUNDLE_SHEETS } from '../exports/bundle';

// Downloads: the ledger (its workbook with the directory as a second sheet), a wish's history, the donors list and the directory, each as CSV (UTF-8 with BOM, for
// Excel) or xlsx. The files are made by src/http/exports, which the console uses too.

const isoDay = (example: string) =>
  z
    .string()
    .refine(isIsoDay, { params: { code: 'not_a_date' }, message: `must be a date such as ${example}` })
    .optional();

const lang = z.enum(['en', 'zh']).optional().describe('The language of the column headers and words (default: the service\'s DEFAULT_LANGUAGE)');

const ledgerQuery = z.strictObject({
  communityId: z.string().min(1).max(64),
  from: isoDay('2026-11-01').describe('First day (YYYY-MM-DD in the service\'s time zone), included'),
  to: isoDay('2026-11-30').describe('Last day (YYYY-MM-DD in the service\'s time zone), included; not before `from`'),
  lang,
});
const donorsQuery = z.strictObject({ communityId: z.string().min(1).max(64), lang });
const historyQuery = z.strictObject({ lang });
const wishParams = z.strictObject({ id: z.string().min(1).describe('The wish code, such as W-1042') });

function send(res: Response, file: ExportFile): undefined {
  sendFile(res, file);
  return undefined;
}

const FORMATS: Array<{ format: ExportFormat; ext: string; contentType: string; what: string }> = [
  { format: 'csv', ext: 'csv', contentType: CSV_MEDIA, what: 'CSV, UTF-8 with a byte order mark (Excel opens Chinese as such); cells a spreadsheet would run as formulas start with a quote' },
  { format: 'xlsx', ext: 'xlsx', contentType: XLSX_TYPE, what: 'An Excel workbook, one sheet' },
];

const bundleQuery = z.strictObject({
  communityId: z.string().min(1).max(64),
  period: z.string().regex(/^\d{4}(-(0[1-9]|1[0-2]))?$/, { message: 'must be a month such as 2026-11 or a year such as 2026' }),
  sheet: z.enum(BUNDLE_SHEETS).optional().describe('For CSV: which sheet (default wishes)'),
  lang,
});

export function exportRoutes(deps: ExportDeps): RouteSpec[] {
  const bundle = FORMATS.map(({ format, ext, contentType }) =>
    defineRoute({
      method: 'get',
      path: `/exports/bundle.${ext}`,
      operationId: `committeeBundle${ext === 'csv' ? 'Csv' : 'Xlsx'}`,
      summary:
        ext === 'xlsx'
          ? "The committee bundle for a month or a year: one workbook with a sheet each for wishes, pledges, fulfilments, the goods ledger, volunteer hours and residents' consents"
          : 'One sheet of the committee bundle as CSV (`sheet`: wishes, pledges, fulfilments, goods, hours, consents)',
      description: 'Nothing residents keep private: no beneficiary name, contact or notes, no resident on goods, no consent note, no Telegram id; an anonymous donor is Anonymous.',
      tag: 'exports',
      access: 'read',
      query: bundleQuery,
      responses: { 200: { description: ext === 'xlsx' ? 'An Excel workbook, six sheets' : 'CSV, UTF-8 with a byte order mark', contentType } },
      errors: [404],
      handler: async ({ query, actor, res }) => send(res, await committeeBundle(deps, actor, { communityId: query.communityId, period: query.period, language: query.lang, format, ...(query.sheet ? { sheet: query.sheet } : {}) })),
    }),
  );
  return [...bundle, ...FORMATS.flatMap(({ format, ext, contentType, what }) => [
    defineRoute({
      method: 'get',
      path: `/exports/ledger.${ext}`,
      operationId: `ledger${ext === 'csv' ? 'Csv' : 'Xlsx'}`,
      summary: `The community's ledger as ${ext}: one row per event, in time order`,
      description:
        'Columns: time (in the service\'s time zone), wish code, wish title, action, donor (their name, or Anonymous), donor type, amount with its currency or quantity with its unit, worker (who acted, for staff actions).',
      tag: 'exports',
      access: 'read',
      query: ledgerQuery,
      responses: { 200: { description: format === 'xlsx' ? 'An Excel workbook: the ledger, and a second sheet with the community\'s resource directory' : what, contentType } },
      errors: [404],
      handler: async ({ query, actor, res }) => send(res, await ledgerExport(deps, actor, { communityId: query.communityId, from: query.from, to: query.to, language: query.lang, format })),
    }),
    defineRoute({
      method: 'get',
      path: `/exports/wishes/:id/history.${ext}`,
      operationId: `wishHistory${ext === 'csv' ? 'Csv' : 'Xlsx'}`,
      summary: `One wish's history as ${ext}, in the ledger's columns`,
      tag: 'exports',
      access: 'read',
      params: wishParams,
      query: historyQuery,
      responses: { 200: { description: what, contentType } },
      errors: [404],
      handler: async ({ params, query, actor, res }) => send(res, await wishHistoryExport(deps, actor, { wishId: params.id, language: query.lang, format })),
    }),
    defineRoute({
      method: 'get',
      path: `/exports/donors.${ext}`,
      operationId: `donors${ext === 'csv' ? 'Csv' : 'Xlsx'}`,
      summary: `The community's donors as ${ext}: public id, name (or Anonymous), type, pledges by state, what was fulfilled`,
      tag: 'exports',
      access: 'read',
      query: donorsQuery,
      responses: { 200: { description: what, contentType } },
      errors: [404],
      handler: async ({ query, actor, res }) => send(res, await donorsExport(deps, actor, { communityId: query.communityId, language: query.lang, format })),
    }),
    defineRoute({
      method: 'get',
      path: `/exports/directory.${ext}`,
      operationId: `directory${ext === 'csv' ? 'Csv' : 'Xlsx'}`,
      summary: `The community's resource directory as ${ext}: name, kind, state, offers, areas, availability, capacity, when added (never a contact)`,
      tag: 'exports',
      access: 'read',
      query: donorsQuery,
      responses: { 200: { description: what, contentType } },
      errors: [404],
      handler: async ({ query, actor, res }) => send(res, await directoryExport(deps, actor, { communityId: query.communityId, language: query.lang, format })),
    }),
  ])];
}
