import { describe, expect, it } from 'vitest';
import { bucketStart, ceilDay, ceilHour, hourBuckets } from './time-buckets.js';

const at = (iso: string) => new Date(iso);

describe('bucketStart (UTC)', () => {
  it('truncates to the hour and the day', () => {
    expect(bucketStart(at('2026-11-22T03:19:58.123Z'), 'HOUR')).toEqual(at('2026-11-22T03:00:00.000Z'));
    expect(bucketStart(at('2026-11-22T23:59:59.999Z'), 'DAY')).toEqual(at('2026-11-22T00:00:00.000Z'));
  });

  it('starts ISO weeks on Monday 00:00 UTC', () => {
    // 2026-11-22 is a Sunday: its week began on Monday the 16th
    expect(bucketStart(at('2026-11-22T23:00:00.000Z'), 'WEEK')).toEqual(at('2026-11-16T00:00:00.000Z'));
    expect(bucketStart(at('2026-11-23T00:00:00.000Z'), 'WEEK')).toEqual(at('2026-11-23T00:00:00.000Z'));
    // a week across a year's end: Monday 2026-12-28 to Sunday 2027-01-03
    expect(bucketStart(at('2027-01-03T12:00:00.000Z'), 'WEEK')).toEqual(at('2026-12-28T00:00:00.000Z'));
  });

  it('starts months on the 1st, whatever their length', () => {
    expect(bucketStart(at('2028-02-29T18:00:00.000Z'), 'MONTH')).toEqual(at('2028-02-01T00:00:00.000Z'));
    expect(bucketStart(at('2026-12-31T23:59:59.999Z'), 'MONTH')).toEqual(at('2026-12-01T00:00:00.000Z'));
  });

  it('ignores the local time zone of the process', () => {
    // a time just after midnight UTC is still the previous day in America, the next in Asia: only UTC counts
    expect(bucketStart(at('2026-11-23T00:30:00.000+09:00'), 'DAY')).toEqual(at('2026-11-22T00:00:00.000Z'));
  });
});

describe('ceilHour', () => {
  it('keeps an hour boundary and moves anything else to the next', () => {
    expect(ceilHour(at('2026-11-22T03:00:00.000Z'))).toEqual(at('2026-11-22T03:00:00.000Z'));
    expect(ceilHour(at('2026-11-22T03:00:00.001Z'))).toEqual(at('2026-11-22T04:00:00.000Z'));
  });
});

describe('ceilDay', () => {
  it('keeps a UTC midnight and moves anything else to the next', () => {
    expect(ceilDay(at('2026-11-22T00:00:00.000Z'))).toEqual(at('2026-11-22T00:00:00.000Z'));
    expect(ceilDay(at('2026-11-22T00:00:00.001Z'))).toEqual(at('2026-11-23T00:00:00.000Z'));
    expect(ceilDay(at('2026-12-31T23:00:00.000Z'))).toEqual(at('2027-01-01T00:00:00.000Z'));
  });
});

describe('hourBuckets', () => {
  it('names the hour, day, week and month of a time', () => {
    expect(hourBuckets(at('2026-11-22T03:19:58.123Z'))).toEqual({
      hourStart: at('2026-11-22T03:00:00.000Z'),
      dayStart: at('2026-11-22T00:00:00.000Z'),
      weekStart: at('2026-11-16T00:00:00.000Z'),
      monthStart: at('2026-11-01T00:00:00.000Z'),
    });
  });
});
