import { LockMode } from '@mikro-orm/core';
import type { Clock } from '../../../lib/clock.js';
import type { Dialect, Em } from '../../../lib/database.js';
import { newId } from '../../../lib/ids.js';
import { add, money } from '../../../lib/money.js';
import { AccountBalance } from '../entities/AccountBalance.js';
import { ChainHead } from '../entities/ChainHead.js';
import { Journal } from '../entities/Journal.js';
import { LedgerEntry } from '../entities/LedgerEntry.js';
import { chainHash, GENESIS_HASH } from './chain-hash.js';
import { assertBalanced, type JournalDraft } from './journal-draft.js';

export const LEDGER_CHAIN = 'ledger';

/** A journal as posted: its row, written by `finish`. */
export type PostedJournal = Journal;

interface Totals {
  debitTotal: bigint;
  creditTotal: bigint;
}

const balanceKey = (account: string, currency: string) => `${account}\u0000${currency}`;

/**
 * Posts journals inside one transaction: takes the chain's lock once (the ChainHead row, SELECT … FOR
 * UPDATE on PostgreSQL; SQLite has one writer), then for each journal assigns the next sequence,
 * computes its hash and adds its entries to the account balances. Every balance writer holds the
 * chain's lock, so read-modify-write of the totals is safe. What it posted is written by `finish`,
 * set-based: one insert of the journals, one of their entries, one upsert of the balances touched,
 * one update of the chain's head; call it before the transaction commits (a transaction that
 * commits without it has posted nothing, which the chain allows: the head did not move either).
 * Rows are written through the query builder: nothing here is read back, so nothing is kept in the
 * identity map.
 */
export class LedgerWriter {
  private head: { sequence: number; hash: string } | null = null;
  private readonly balances = new Map<string, Totals & { account: string; currency: string }>();
  private readonly touched = new Set<string>();
  private journals: Journal[] = [];
  private entries: LedgerEntry[] = [];

  constructor(
    private readonly tx: Em,
    private readonly dialect: Dialect,
    private readonly clock: Clock,
    private readonly chain = LEDGER_CHAIN,
  ) {}

  async post(draft: JournalDraft): Promise<PostedJournal> {
    assertBalanced(draft);
    const head = await this.lockHead();
    const postedAt = this.clock.now();
    const sequence = head.sequence + 1;
    const journalId = newId('jrn', postedAt.getTime());
    const entries = draft.entries.map((e, index) => ({ ...e, id: newId('le', postedAt.getTime()), line: index + 1 }));
    const hash = chainHash(head.hash, { ...draft, id: journalId, sequence, entries });
    const { type, paymentId, merchantId, currency, eventId, occurredAt } = draft;
    const journal: Journal = { id: journalId, chain: this.chain, sequence, type, paymentId, merchantId, currency, eventId, occurredAt, postedAt, previousHash: head.hash, hash };
    this.journals.push(journal);
    for (const e of entries) this.entries.push({ ...e, journalId, journalSequence: sequence, paymentId, postedAt });
    this.head = { sequence, hash };
    await this.addToBalances(entries);
    return journal;
  }

  /** Writes what was posted since the last call; nothing when nothing was. */
  async finish(): Promise<void> {
    if (this.journals.length === 0) return;
    const journals = this.journals;
    const entries = this.entries;
    this.journals = [];
    this.entries = [];
    const at = journals[journals.length - 1]!.postedAt;
    await this.tx.createQueryBuilder(Journal).insert(journals).execute('run');
    await this.tx.createQueryBuilder(LedgerEntry).insert(entries).execute('run');
    const balances = [...this.touched].map((key) => ({ ...this.balances.get(key)!, updatedAt: at }));
    this.touched.clear();
    await this.tx
      .createQueryBuilder(AccountBalance)
      .insert(balances)
      .onConflict(['account', 'currency'])
      .merge(['debitTotal', 'creditTotal', 'updatedAt'])
      .execute('run');
    const head = this.head!;
    await this.tx.createQueryBuilder(ChainHead).update({ sequence: head.sequence, hash: head.hash }).where({ chain: this.chain }).execute('run');
  }

  private async lockHead(): Promise<{ sequence: number; hash: string }> {
    if (this.head) return this.head;
    // the chain's row exists from its first journal on: create it only when it is missing
    let head = await this.selectHead();
    if (!head) {
      await this.tx.createQueryBuilder(ChainHead).insert({ chain: this.chain, sequence: 0, hash: GENESIS_HASH }).onConflict(['chain']).ignore().execute('run');
      head = await this.selectHead();
      if (!head) throw new Error(`the head of chain ${this.chain} could not be created`);
    }
    this.head = head;
    return head;
  }

  private async selectHead(): Promise<{ sequence: number; hash: string } | null> {
    const qb = this.tx.createQueryBuilder(ChainHead).select(['sequence', 'hash']).where({ chain: this.chain });
    if (this.dialect === 'postgresql') qb.setLockMode(LockMode.PESSIMISTIC_WRITE);
    const row = await qb.execute<{ sequence: number | string; hash: string } | undefined>('get');
    return row ? { sequence: Number(row.sequence), hash: row.hash } : null;
  }

  /** Reads the balances it does not know yet (one statement per journal at most), then adds the entries to them. */
  private async addToBalances(entries: JournalDraft['entries']): Promise<void> {
    const missing = entries.filter((e) => !this.balances.has(balanceKey(e.account, e.currency)));
    if (missing.length > 0) {
      const rows = await this.tx
        .createQueryBuilder(AccountBalance)
        .select(['account', 'currency', 'debitTotal', 'creditTotal'])
        .where({ $or: missing.map(({ account, currency }) => ({ account, currency })) })
        .execute<Array<{ account: string; currency: string; debitTotal: unknown; creditTotal: unknown }>>('all');
      for (const row of rows) {
        const { account, currency } = row;
        this.balances.set(balanceKey(account, currency), { account, currency, debitTotal: minorOf(row.debitTotal), creditTotal: minorOf(row.creditTotal) });
      }
      for (const { account, currency } of missing) {
        if (!this.balances.has(balanceKey(account, currency))) this.balances.set(balanceKey(account, currency), { account, currency, debitTotal: 0n, creditTotal: 0n });
      }
    }
    for (const e of entries) {
      const key = balanceKey(e.account, e.currency);
      const balance = this.balances.get(key)!;
      const amount = money(e.amount, e.currency);
      if (e.side === 'DEBIT') balance.debitTotal = add(money(balance.debitTotal, e.currency), amount).minor;
      else balance.creditTotal = add(money(balance.creditTotal, e.currency), amount).minor;
      this.touched.add(key);
    }
  }
}

/** Minor units as a driver returns them: text on SQLite, bigint read as text on PostgreSQL. */
function minorOf(value: unknown): bigint {
  return BigInt(value as string | number | bigint);
}
