import { LockMode } from '@mikro-orm/core';
import type { Clock } from '../../../lib/clock.js';
import type { Dialect, Em } from '../../../lib/database.js';
import { isZero, money } from '../../../lib/money.js';
import { Settlement } from '../entities/Settlement.js';
import { settlementJournal } from './journals.js';
import { LedgerWriter } from './ledger-writer.js';

const BATCH = 200;

/**
 * The settlement job: every payment whose settleAt has passed by `now` gets its remaining pending
 * funds moved to the merchant's available account (one `settlement` journal each; none when nothing
 * remains) and is marked settled. Works in batches, one transaction each; on PostgreSQL rows another
 * replica is settling are skipped (FOR UPDATE SKIP LOCKED). Returns how many payments it settled.
 */
export async function settleDue(em: Em, dialect: Dialect, clock: Clock, now: Date): Promise<number> {
  let settled = 0;
  for (;;) {
    const count = await em.fork().transactional(async (tx) => {
      const due = await tx.find(
        Settlement,
        { settledAt: null, settleAt: { $lte: now } },
        {
          orderBy: { settleAt: 'asc', paymentId: 'asc' },
          limit: BATCH,
          ...(dialect === 'postgresql' ? { lockMode: LockMode.PESSIMISTIC_PARTIAL_WRITE } : {}),
        },
      );
      const writer = new LedgerWriter(tx, dialect, clock);
      for (const settlement of due) {
        const amount = money(settlement.amount, settlement.currency);
        if (!isZero(amount)) {
          await writer.post(settlementJournal(settlement, amount, { eventId: null, occurredAt: settlement.settleAt }));
        }
        settlement.settledAt = now;
      }
      await writer.finish();
      return due.length;
    });
    settled += count;
    if (count < BATCH) return settled;
  }
}
