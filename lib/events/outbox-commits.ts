import type { EventSubscriber, EventArgs, TransactionEventArgs } from '@mikro-orm/core';
import type { Em } from '../database.js';
import { OutboxEvent } from './outbox.js';

/** Called once a transaction that wrote outbox rows has committed, with the highest id it wrote. */
export type OutboxCommitListener = (lastId: number) => void;

/**
 * This process's commits that wrote outbox rows, as they happen: a subscriber on the database's event
 * manager notes each OutboxEvent inserted in a transaction and calls the listeners once that
 * transaction commits (at once for an insert outside any transaction). Rows written some other way (raw
 * SQL, another process) are not seen: the relay's LISTEN and safety poll cover those.
 */
class OutboxCommitWatch implements EventSubscriber {
  readonly listeners = new Set<OutboxCommitListener>();
  /** the highest outbox id written in each open root transaction */
  private readonly written = new WeakMap<object, number>();

  afterCreate(args: EventArgs<unknown>): void {
    if (args.meta?.className !== OutboxEvent.meta.className) return;
    const id = Number((args.entity as { id?: unknown }).id);
    const transaction = args.em.getTransactionContext<object>();
    if (!transaction) return this.notify(id);
    const root = rootTransaction(transaction);
    this.written.set(root, Math.max(this.written.get(root) ?? 0, id));
  }

  afterTransactionCommit(args: TransactionEventArgs): void {
    const transaction = args.transaction as object | undefined;
    const id = transaction && this.written.get(transaction);
    if (id === undefined) return;
    this.written.delete(transaction!);
    this.notify(id);
  }

  private notify(id: number): void {
    for (const listener of this.listeners) listener(id);
  }
}

/**
 * A transaction nested in another (a savepoint) commits with its outermost one: MikroORM links a
 * nested knex transaction to its parent under a symbol of its own (AbstractSqlConnection's
 * `parentTransaction`), and runs the commit hooks for the outermost one only.
 */
function rootTransaction(transaction: object): object {
  for (let current = transaction; ; ) {
    const parentKey = Object.getOwnPropertySymbols(current).find((symbol) => symbol.description === 'parentTransaction');
    const parent = parentKey && (current as Record<symbol, unknown>)[parentKey];
    // a knex transaction is a function (its query builder)
    if (!parent || (typeof parent !== 'object' && typeof parent !== 'function')) return current;
    current = parent;
  }
}

const watches = new WeakMap<object, OutboxCommitWatch>();

/**
 * Calls `listener` after each commit of this database (the ORM behind `em`) that wrote outbox rows;
 * returns the function that stops it. Watching starts with the first call: forks made before it keep
 * their own copy of the event manager only if they cloned it (MikroORM's transactional forks do, at
 * the time they are made).
 */
export function watchOutboxCommits(em: Em, listener: OutboxCommitListener): () => void {
  const events = em.getEventManager();
  let watch = watches.get(events);
  if (!watch) {
    watch = new OutboxCommitWatch();
    watches.set(events, watch);
    events.registerSubscriber(watch);
  }
  const registered = watch;
  registered.listeners.add(listener);
  return () => void registered.listeners.delete(listener);
}
