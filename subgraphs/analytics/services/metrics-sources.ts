import type { MetricsPlan } from './metrics-query.js';
import { bucketStart, ceilDay, ceilHour } from './time-buckets.js';

/** A half-open interval [from, to) of creation times. */
export interface Interval {
  from: Date;
  to: Date;
}

/** Which store answers which part of a query's range: each part from the smallest store that has it exactly. */
export interface MetricsSources {
  /** whole days, every merchant together */
  daily: Interval | null;
  /** whole hours, per merchant */
  hourly: Interval[];
  /** partial hours, payment by payment: each lies within one hour, so within one bucket of any granularity */
  facts: Interval[];
}

/**
 * A question about every merchant together (no MERCHANT dimension, no merchant scope or filter) in
 * buckets of a day or more can read the daily rollup, a few rows a day; any other needs the hourly
 * one, which keeps the merchant and the hour.
 */
export function usesDailyRollup(plan: MetricsPlan): boolean {
  return plan.merchantIds === null && !plan.groupBy.MERCHANT && plan.granularity !== 'HOUR';
}

const ordered = (intervals: Interval[]) => intervals.filter((i) => i.from < i.to);

/**
 * Splits [from, to): the partial hours at either end from the facts, the whole hours between from
 * the hourly rollup, and when the daily rollup can answer, the whole days among those hours from it
 * (the hours before the first midnight and after the last one still from the hourly rollup).
 */
export function metricsSources(plan: MetricsPlan): MetricsSources {
  const wholeFrom = ceilHour(plan.from);
  const wholeTo = bucketStart(plan.to, 'HOUR');
  const facts = ordered([
    { from: plan.from, to: new Date(Math.min(wholeFrom.getTime(), plan.to.getTime())) },
    { from: new Date(Math.max(wholeFrom.getTime(), wholeTo.getTime())), to: plan.to },
  ]);
  if (wholeFrom >= wholeTo) return { daily: null, hourly: [], facts };
  const dayFrom = ceilDay(wholeFrom);
  const dayTo = bucketStart(wholeTo, 'DAY');
  if (!usesDailyRollup(plan) || dayFrom >= dayTo) return { daily: null, hourly: [{ from: wholeFrom, to: wholeTo }], facts };
  return {
    daily: { from: dayFrom, to: dayTo },
    hourly: ordered([
      { from: wholeFrom, to: dayFrom },
      { from: dayTo, to: wholeTo },
    ]),
    facts,
  };
}
