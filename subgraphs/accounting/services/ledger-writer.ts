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

/**
 * Posts journals inside one transaction: takes the chain's lock once (the ChainHead row, SELECT … FOR
 * UPDATE on PostgreSQL; SQLite has one writer), then for each journal assigns the next sequence,
 * computes its hash, writes it with its entries and adds them to the account balances. Every balance
 * writer holds the chain's lock, so read-modify-write of the totals is safe, and the totals commit
 * with the entries.
 */
export class LedgerWriter {
  private head: ChainHead | null = null;
  private readonly balances = new Map<string, AccountBalance>();

  constructor(
    private readonly tx: Em,
    private readonly dialect: Dialect,
    private readonly clock: Clock,
    private readonly chain = LEDGER_CHAIN,
  ) {}

  async post(draft: JournalDraft): Promise<Journal> {
    assertBalanced(draft);
    const head = await this.lockHead();
    const postedAt = this.clock.now();
    const sequence = head.sequence + 1;
    const journalId = newId('jrn', postedAt.getTime());
    const entries = draft.entries.map((e, index) => ({ ...e, id: newId('le', postedAt.getTime()), line: index + 1 }));
    const hash = chainHash(head.hash, { ...draft, id: journalId, sequence, entries });
    const { type, paymentId, merchantId, currency, eventId, occurredAt } = draft;
    const journal = this.tx.create(Journal, {
      id: journalId,
      chain: this.chain,
      sequence,
      type,
      paymentId,
      merchantId,
      currency,
      eventId,
      occurredAt,
      postedAt,
      previousHash: head.hash,
      hash,
    });
    for (const e of entries) {
      this.tx.create(LedgerEntry, { ...e, journalId, journalSequence: sequence, paymentId: draft.paymentId, postedAt });
    }
    head.sequence = sequence;
    head.hash = hash;
    await this.addToBalances(entries, postedAt);
    return journal;
  }

  private async lockHead(): Promise<ChainHead> {
    if (this.head) return this.head;
    await this.tx
      .createQueryBuilder(ChainHead)
      .insert({ chain: this.chain, sequence: 0, hash: GENESIS_HASH })
      .onConflict(['chain'])
      .ignore()
      .execute();
    this.head = await this.tx.findOneOrFail(
      ChainHead,
      { chain: this.chain },
      this.dialect === 'postgresql' ? { lockMode: LockMode.PESSIMISTIC_WRITE } : {},
    );
    return this.head;
  }

  private async addToBalances(entries: JournalDraft['entries'], at: Date): Promise<void> {
    const key = (account: string, currency: string) => `${account}\u0000${currency}`;
    const missing = entries.filter((e) => !this.balances.has(key(e.account, e.currency)));
    if (missing.length > 0) {
      const rows = await this.tx.find(AccountBalance, { $or: missing.map(({ account, currency }) => ({ account, currency })) });
      for (const row of rows) this.balances.set(key(row.account, row.currency), row);
    }
    for (const e of entries) {
      let balance = this.balances.get(key(e.account, e.currency));
      if (!balance) {
        balance = this.tx.create(AccountBalance, { account: e.account, currency: e.currency, debitTotal: 0n, creditTotal: 0n, updatedAt: at });
        this.balances.set(key(e.account, e.currency), balance);
      }
      const amount = money(e.amount, e.currency);
      if (e.side === 'DEBIT') balance.debitTotal = add(money(balance.debitTotal, e.currency), amount).minor;
      else balance.creditTotal = add(money(balance.creditTotal, e.currency), amount).minor;
      balance.updatedAt = at;
    }
  }
}
