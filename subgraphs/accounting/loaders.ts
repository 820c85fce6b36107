import DataLoader from 'dataloader';
import type { Em } from '../../lib/database.js';
import type { LedgerEntry } from './entities/LedgerEntry.js';
import { ReconciliationDiscrepancy } from './entities/ReconciliationDiscrepancy.js';
import { ReconciliationReport } from './entities/ReconciliationReport.js';
import { balancesOf, entriesByPayment, figuresByPayment, type FiguresView } from './reads.js';
import { merchantAccounts, merchantBalance, type MerchantBalance } from './services/balances.js';

function grouped<T>(keys: readonly string[], rows: T[], keyOf: (row: T) => string): T[][] {
  const groups = new Map<string, T[]>(keys.map((key) => [key, []]));
  for (const row of rows) groups.get(keyOf(row))?.push(row);
  return keys.map((key) => groups.get(key) ?? []);
}

/**
 * One query per entity type per batch: a page of payments costs one statement for figures, one for
 * entries. The hot ones (a page's figures, entries and balances) read plain rows (reads.ts).
 */
export function createLoaders(em: Em) {
  return {
    figures: new DataLoader<string, FiguresView | null>(async (paymentIds) => {
      const rows = await figuresByPayment(em, paymentIds);
      return grouped(paymentIds, rows, (row) => row.paymentId).map((found) => found[0] ?? null);
    }),
    entriesByPayment: new DataLoader<string, LedgerEntry[]>(async (paymentIds) => {
      const rows = await entriesByPayment(em, paymentIds);
      return grouped(paymentIds, rows, (row) => row.paymentId);
    }),
    merchantBalance: new DataLoader<string, MerchantBalance>(async (merchantIds) => {
      const rows = await balancesOf(em, merchantIds.flatMap(merchantAccounts));
      const owner = (account: string) => account.split(':')[1] ?? '';
      return grouped(merchantIds, rows, (row) => owner(row.account)).map((own, i) => merchantBalance(merchantIds[i]!, own));
    }),
    reconciliationReport: new DataLoader<string, ReconciliationReport | null>(async (ids) => {
      const rows = await em.find(ReconciliationReport, { id: { $in: [...ids] } });
      return grouped(ids, rows, (row) => row.id).map((found) => found[0] ?? null);
    }),
    discrepanciesByReport: new DataLoader<string, ReconciliationDiscrepancy[]>(async (reportIds) => {
      const rows = await em.find(ReconciliationDiscrepancy, { reportId: { $in: [...reportIds] } }, { orderBy: { reportId: 'asc', position: 'asc' } });
      return grouped(reportIds, rows, (row) => row.reportId);
    }),
  };
}
export type Loaders = ReturnType<typeof createLoaders>;
