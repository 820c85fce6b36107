export const granularities = ['HOUR', 'DAY', 'WEEK', 'MONTH'] as const;
export type Granularity = (typeof granularities)[number];

export const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/** The start of the UTC bucket `at` falls in: hour, day, ISO week (from Monday 00:00) or calendar month. */
export function bucketStart(at: Date, granularity: Granularity): Date {
  const t = at.getTime();
  switch (granularity) {
    case 'HOUR':
      return new Date(Math.floor(t / HOUR_MS) * HOUR_MS);
    case 'DAY':
      return new Date(Math.floor(t / DAY_MS) * DAY_MS);
    case 'WEEK': {
      const day = bucketStart(at, 'DAY');
      const sinceMonday = (day.getUTCDay() + 6) % 7;
      return new Date(day.getTime() - sinceMonday * DAY_MS);
    }
    case 'MONTH':
      return new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), 1));
  }
}

/** The first hour boundary at or after `at`. */
export function ceilHour(at: Date): Date {
  return new Date(Math.ceil(at.getTime() / HOUR_MS) * HOUR_MS);
}

/** The first UTC midnight at or after `at`. */
export function ceilDay(at: Date): Date {
  return new Date(Math.ceil(at.getTime() / DAY_MS) * DAY_MS);
}

/** The buckets of the hour `at` falls in, as the rollup stores them. */
export function hourBuckets(at: Date) {
  return {
    hourStart: bucketStart(at, 'HOUR'),
    dayStart: bucketStart(at, 'DAY'),
    weekStart: bucketStart(at, 'WEEK'),
    monthStart: bucketStart(at, 'MONTH'),
  };
}
