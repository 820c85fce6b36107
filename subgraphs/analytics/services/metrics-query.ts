import { fail } from '../../../lib/errors.js';
import { currencyExponent } from '../../../lib/money.js';
import type { Principal } from '../../../lib/principal.js';
import { merchantScope } from './access.js';
import { needsCurrency, type Measure } from './measures.js';
import { HOUR_MS, type Granularity } from './time-buckets.js';

export const dimensions = ['CHANNEL', 'MERCHANT', 'CURRENCY', 'STATUS'] as const;
export type Dimension = (typeof dimensions)[number];

/** HOUR buckets over a wider range would be more rows than a person reads: ask for DAY instead. */
export const MAX_HOURLY_RANGE_DAYS = 31;

export interface MetricsQueryInput {
  measures: readonly Measure[];
  dimensions?: readonly Dimension[] | null;
  granularity?: Granularity | null;
  from: Date;
  to: Date;
  filter?: { merchantIds?: readonly string[] | null; channels?: readonly string[] | null; currencies?: readonly string[] | null } | null;
}

/** A checked metrics query within what the caller may see. `null` lists mean no restriction. */
export interface MetricsPlan {
  /** as asked, each once */
  measures: Measure[];
  /** what rows are grouped by: the dimensions asked, and the currency whenever an amount is measured */
  groupBy: Record<Dimension, boolean>;
  granularity: Granularity | null;
  from: Date;
  to: Date;
  /** an empty list: the caller may see none of the merchants it named, so there is nothing to count */
  merchantIds: string[] | null;
  channels: string[] | null;
  currencies: string[] | null;
}

const given = <T>(list: readonly T[] | null | undefined): T[] | null => (list && list.length > 0 ? [...new Set(list)] : null);

/** Validates a query (BAD_USER_INPUT naming the field) and limits it to the merchants the principal may see. */
export function planMetrics(principal: Principal, input: MetricsQueryInput): MetricsPlan {
  const measures = [...new Set(input.measures)];
  if (measures.length === 0) throw fail.badInput('query.measures', 'name at least one measure');
  if (input.to.getTime() <= input.from.getTime()) throw fail.badInput('query.to', 'must be after query.from (the range is [from, to))');
  const granularity = input.granularity ?? null;
  if (granularity === 'HOUR' && input.to.getTime() - input.from.getTime() > MAX_HOURLY_RANGE_DAYS * 24 * HOUR_MS) {
    throw fail.badInput('query.granularity', `HOUR covers at most ${MAX_HOURLY_RANGE_DAYS} days; use DAY, or a shorter range`);
  }
  const currencies = given(input.filter?.currencies);
  const unknown = currencies?.find((code) => currencyExponent(code) === undefined);
  if (unknown !== undefined) {
    throw fail.badInput('query.filter.currencies', `"${unknown}" is not an ISO 4217 currency code (upper case, e.g. USD)`);
  }
  const asked = new Set(input.dimensions ?? []);
  const groupBy = {
    CHANNEL: asked.has('CHANNEL'),
    MERCHANT: asked.has('MERCHANT'),
    CURRENCY: asked.has('CURRENCY') || measures.some(needsCurrency),
    STATUS: asked.has('STATUS'),
  };
  const scope = merchantScope(principal);
  const named = given(input.filter?.merchantIds);
  const merchantIds = scope === null ? named : named === null || named.includes(scope) ? [scope] : [];
  return { measures, groupBy, granularity, from: input.from, to: input.to, merchantIds, channels: given(input.filter?.channels), currencies };
}
