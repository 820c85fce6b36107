import { LockMode } from '@mikro-orm/core';
import type { Dialect, Em } from '../../../lib/database.js';
import { TradeNoCounter } from '../entities/TradeNoCounter.js';

/** `PG` + the UTC day of the movement (yyyymmdd) + that day's sequence, 12 digits: PG20261122000000000042. */
export const TRADE_NO_PATTERN = /^PG\d{8}\d{12}$/;
const SEQUENCE_DIGITS = 12;
const MAX_SEQUENCE = 10 ** SEQUENCE_DIGITS - 1;

export function tradeDay(at: Date): string {
  return at.toISOString().slice(0, 10).replaceAll('-', '');
}

export function formatTradeNo(day: string, sequence: number): string {
  if (!/^\d{8}$/.test(day)) throw new Error(`trade day ${day} is not yyyymmdd`);
  if (!Number.isSafeInteger(sequence) || sequence < 1 || sequence > MAX_SEQUENCE) {
    throw new Error(`trade number sequence ${sequence} is outside 1..${MAX_SEQUENCE}`);
  }
  return `PG${day}${String(sequence).padStart(SEQUENCE_DIGITS, '0')}`;
}

/**
 * The next trade number of the movement's day, inside the transaction that writes its record: the
 * day's counter row stays locked until that transaction ends, so concurrent writers never share a
 * number and numbers of one day are gapless in commit order.
 */
export async function nextTradeNo(tx: Em, dialect: Dialect, occurredAt: Date): Promise<string> {
  const day = tradeDay(occurredAt);
  await tx.createQueryBuilder(TradeNoCounter).insert({ day, last: 0 }).onConflict(['day']).ignore().execute();
  const counter = await tx.findOneOrFail(TradeNoCounter, { day }, dialect === 'postgresql' ? { lockMode: LockMode.PESSIMISTIC_WRITE } : {});
  counter.last += 1;
  return formatTradeNo(day, counter.last);
}
