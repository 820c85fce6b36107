import { defineEntity, p, type InferEntity } from '@mikro-orm/core';

/**
 * The last trade number sequence given out on one UTC day. Its row is locked (SELECT … FOR UPDATE on
 * PostgreSQL; SQLite has one writer) from taking a number until the record that carries it commits,
 * so numbers are unique and a rolled-back record gives its number back.
 */
export const TradeNoCounter = defineEntity({
  name: 'TradeNoCounter',
  tableName: 'trade_no_counters',
  properties: {
    /** yyyymmdd */
    day: p.string().length(8).primary(),
    last: p.bigint('number'),
  },
});
export type TradeNoCounter = InferEntity<typeof TradeNoCounter>;
