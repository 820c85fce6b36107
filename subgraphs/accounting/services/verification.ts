import { IsolationLevel } from '@mikro-orm/core';
import type { Dialect, Em } from '../../../lib/database.js';
import { ChainHead } from '../entities/ChainHead.js';
import { Journal } from '../entities/Journal.js';
import { LedgerEntry } from '../entities/LedgerEntry.js';
import { chainHash, GENESIS_HASH } from './chain-hash.js';
import { LEDGER_CHAIN } from './ledger-writer.js';

export interface LedgerVerification {
  ok: boolean;
  /** ledger entries read, up to and including the first invalid journal's */
  entriesChecked: number;
  /** the first entry of the first journal that does not verify (its id when no entry of it is left), or an entry whose journal is gone */
  firstInvalidEntryId: string | null;
  /** h(n) recomputed from the stored rows up to the last journal that verified */
  headHash: string;
}

const BATCH = 500;

/** Is this journal, with these entries, the expected next link of the chain? */
function verifies(journal: Journal, entries: LedgerEntry[], sequence: number, previousHash: string): boolean {
  if (journal.sequence !== sequence || journal.previousHash !== previousHash) return false;
  const consistent = entries.every((e, i) => e.line === i + 1 && e.paymentId === journal.paymentId && e.journalSequence === journal.sequence);
  return consistent && chainHash(previousHash, { ...journal, entries }) === journal.hash;
}

/**
 * Recomputes the hash chain from the stored rows, in sequence order and in batches, within one
 * snapshot (REPEATABLE READ on PostgreSQL; a SQLite transaction is one). It stops at the first journal
 * whose sequence, previous hash or hash does not match (an edited amount, a deleted entry, a deleted
 * journal leaving a gap, swapped rows) and finally checks that the chain ends at its recorded head and
 * that no entry lies outside it.
 */
export async function verifyLedger(em: Em, dialect: Dialect, batchSize = BATCH): Promise<LedgerVerification> {
  const snapshot = dialect === 'postgresql' ? { isolationLevel: IsolationLevel.REPEATABLE_READ } : {};
  return em.fork().transactional(async (tx) => {
    let previousHash = GENESIS_HASH;
    let sequence = 0;
    let entriesChecked = 0;
    const result = (ok: boolean, firstInvalidEntryId: string | null) => ({ ok, entriesChecked, firstInvalidEntryId, headHash: previousHash });
    let after: Journal | null = null;
    for (;;) {
      const journals: Journal[] = await tx.find(
        Journal,
        after ? { chain: LEDGER_CHAIN, $or: [{ sequence: { $gt: after.sequence } }, { sequence: after.sequence, id: { $gt: after.id } }] } : { chain: LEDGER_CHAIN },
        { orderBy: { sequence: 'asc', id: 'asc' }, limit: batchSize, disableIdentityMap: true },
      );
      if (journals.length === 0) break;
      const entries = await tx.find(
        LedgerEntry,
        { journalId: { $in: journals.map((j) => j.id) } },
        { orderBy: { line: 'asc', id: 'asc' }, disableIdentityMap: true },
      );
      const byJournal = new Map<string, LedgerEntry[]>();
      for (const e of entries) {
        const list = byJournal.get(e.journalId);
        if (list) list.push(e);
        else byJournal.set(e.journalId, [e]);
      }
      for (const journal of journals) {
        const own = byJournal.get(journal.id) ?? [];
        entriesChecked += own.length;
        if (!verifies(journal, own, sequence + 1, previousHash)) return result(false, own[0]?.id ?? journal.id);
        previousHash = journal.hash;
        sequence = journal.sequence;
      }
      after = journals.at(-1)!;
    }
    const head = await tx.findOne(ChainHead, { chain: LEDGER_CHAIN }, { disableIdentityMap: true });
    const headMatches = head ? head.sequence === sequence && head.hash === previousHash : sequence === 0;
    if (headMatches && (await tx.count(LedgerEntry)) === entriesChecked) return result(true, null);
    return result(false, await firstOrphanEntry(tx));
  }, snapshot);
}

/** An entry whose journal is not in the chain: what is left of journals deleted at its end. */
async function firstOrphanEntry(tx: Em): Promise<string | null> {
  const chained = tx.createQueryBuilder(Journal, 'j').select('j.id').where({ chain: LEDGER_CHAIN });
  const orphan = await tx
    .createQueryBuilder(LedgerEntry, 'e')
    .select('e.id')
    .where({ journalId: { $nin: chained.getKnexQuery() } })
    .orderBy({ journalSequence: 'asc', line: 'asc' })
    .limit(1)
    .execute('get');
  return orphan?.id ?? null;
}
