import type { Database } from '../../lib/database.js';
import { TradeNoCounter } from '../../subgraphs/transaction/entities/TradeNoCounter.js';
import { formatTradeNo, tradeDay } from '../../subgraphs/transaction/services/trade-numbers.js';

/**
 * Trade numbers for the seeded records, as the transaction subgraph gives them (services/trade-numbers.ts):
 * per UTC day of the movement, in the order the records are written, continuing any day's counter the
 * database already has, so numbers stay unique and gapless per day. `save` stores the counters.
 */
export class SeedTradeNumbers {
  private constructor(private readonly last: Map<string, number>) {}

  static async load(transaction: Database): Promise<SeedTradeNumbers> {
    const counters = await transaction.fork().find(TradeNoCounter, {});
    return new SeedTradeNumbers(new Map(counters.map((c) => [c.day, c.last])));
  }

  next(occurredAt: Date): string {
    const day = tradeDay(occurredAt);
    const sequence = (this.last.get(day) ?? 0) + 1;
    this.last.set(day, sequence);
    return formatTradeNo(day, sequence);
  }

  async save(transaction: Database): Promise<void> {
    const rows = [...this.last.entries()].map(([day, last]) => ({ day, last }));
    if (rows.length === 0) return;
    await transaction.fork().transactional(async (tx) => {
      await tx.createQueryBuilder(TradeNoCounter).insert(rows).onConflict(['day']).merge(['last']).execute();
    });
  }
}
