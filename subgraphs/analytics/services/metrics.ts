import type { Dialect, Em } from '../../../lib/database.js';
import type { Principal } from '../../../lib/principal.js';
import { measureValue, type Measure } from './measures.js';
import { aggregateMetrics } from './metrics-store.js';
import { planMetrics, type MetricsQueryInput } from './metrics-query.js';

/** One row of a metrics answer; a null dimension is one the rows are not grouped by. */
export interface MetricsRow {
  bucket: Date | null;
  channel: string | null;
  merchantId: string | null;
  currency: string | null;
  status: string | null;
  /** the measures asked for, in that order, less those undefined in this row */
  values: { measure: Measure; value: string }[];
}

/** Answers a metrics query for a principal: checked, limited to its merchants, computed exactly. */
export async function queryMetrics(em: Em, dialect: Dialect, principal: Principal, input: MetricsQueryInput): Promise<{ rows: MetricsRow[] }> {
  const plan = planMetrics(principal, input);
  const groups = await aggregateMetrics(em, dialect, plan);
  const rows = groups.map(({ sums, ...row }) => ({
    ...row,
    values: plan.measures.flatMap((measure) => {
      const value = measureValue(measure, sums, row.currency);
      return value === null ? [] : [{ measure, value }];
    }),
  }));
  return { rows };
}
