import type { EntityData } from '@mikro-orm/core';
import type { Em } from '../../../lib/database.js';
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
 * The next trade number of the movement's day, inside the transaction that writes its record, in one
 * statement: an upsert that adds one to the day's counter and returns it. The upsert keeps the row
 * locked until that transaction ends (SQLite has one writer), so concurrent writers never share a
 * number and numbers of one day are gapless in commit order.
 */
export async function nextTradeNo(tx: Em, occurredAt: Date): Promise<string> {
  const day = tradeDay(occurredAt);
  const [counter] = await tx
    .createQueryBuilder(TradeNoCounter)
    .insert({ day, last: 1 })
    .onConflict(['day'])
    .merge({ last: tx.getKnex().raw('?? + 1', [`${TradeNoCounter.meta.tableName}.last`]) } as unknown as EntityData<TradeNoCounter>)
    .returning(['last'])
    .execute<{ last: number | string }[]>('all', { mapResults: false });
  if (!counter) throw new Error(`the trade number counter of ${day} returned no row`);
  return formatTradeNo(day, Number(counter.last));
}
