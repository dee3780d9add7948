import { ConsoleExport } from '../console/context';
import { committeeBundle, directoryExport, donorsExport, ExportDeps, ledgerExport } from './index';
import { sendFile } from './files';

/**
 * The console's Exports page: the same files the API serves, each made for the signed-in reader (a
 * worker or auditor only for their communities; the export checks) in the language they read the console in.
 */
export function consoleExports(deps: ExportDeps): ConsoleExport[] {
  const need = (communityId: string | undefined) => communityId ?? '';
  return [
    { name: 'ledger.csv', title: { en: 'Ledger (CSV)', zh: '台账（CSV）' }, send: async (actor, q, res) => sendFile(res, await ledgerExport(deps, actor, { ...q, communityId: need(q.communityId), format: 'csv' })) },
    { name: 'ledger.xlsx', title: { en: 'Ledger (Excel, with the directory)', zh: '台账（Excel，含资源库）' }, send: async (actor, q, res) => sendFile(res, await ledgerExport(deps, actor, { ...q, communityId: need(q.communityId), format: 'xlsx' })) },
    { name: 'donors.csv', title: { en: 'Donors (CSV)', zh: '爱心人士（CSV）' }, send: async (actor, q, res) => sendFile(res, await donorsExport(deps, actor, { communityId: need(q.communityId), language: q.language, format: 'csv' })) },
    // The committee bundle for the month the form's first day falls in (this month when none is given).
    { name: 'bundle.xlsx', title: { en: 'Committee bundle for the month (Excel)', zh: '居委会月度材料（Excel）' }, send: async (actor, q, res) => sendFile(res, await committeeBundle(deps, actor, { communityId: need(q.communityId), period: (q.from ?? new Date().toISOString()).slice(0, 7), language: q.language, format: 'xlsx' })) },
    { name: 'directory.csv', title: { en: 'Resource directory (CSV)', zh: '资源库（CSV）' }, send: async (actor, q, res) => sendFile(res, await directoryExport(deps, actor, { communityId: need(q.communityId), language: q.language, format: 'csv' })) },
    { name: 'directory.xlsx', title: { en: 'Resource directory (Excel)', zh: '资源库（Excel）' }, send: async (actor, q, res) => sendFile(res, await directoryExport(deps, actor, { communityId: need(q.communityId), language: q.language, format: 'xlsx' })) },
    { name: 'donors.xlsx', title: { en: 'Donors (Excel)', zh: '爱心人士（Excel）' }, send: async (actor, q, res) => sendFile(res, await donorsExport(deps, actor, { communityId: need(q.communityId), language: q.language, format: 'xlsx' })) },
  ];
}
