import { createHmac, randomUUID } from 'node:crypto';
import { UniqueConstraintViolationException } from '@mikro-orm/core';
import type { Em } from '../../../lib/database.js';
import type { Clock } from '../../../lib/clock.js';
import { DomainError, fail, type ErrorCode } from '../../../lib/errors.js';
import { newId } from '../../../lib/ids.js';
import { decodeSnapshot, encodeSnapshot } from '../../../lib/snapshot.js';
import { IdempotencyRecord, LEGACY_OPERATION, type recoveryOperations, type recoveryResources } from '../entities/IdempotencyRecord.js';

export interface IdempotencyOptions {
  /** how long a key and its response are kept */
  retentionMs: number;
  /** how long a claim stays its owner's without being renewed; the live owner renews it every third of it */
  leaseMs: number;
  /** keys the input fingerprints */
  fingerprintSecret: string;
}

/** What the committed intent of a key's work is on: a retry resumes there, recovery completes the key from there. */
export interface RecoveryPoint {
  resourceType: (typeof recoveryResources)[number];
  resourceId: string;
  operation: (typeof recoveryOperations)[number];
}

/** What a mutation does with its key, each inside one of its own transactions. */
export interface IdempotencyKeyUse<T> {
  /**
   * claims the key: the first statement of the transaction that commits the intent. With the recovery point
   * when that transaction commits the intent or nothing (it rolls back otherwise): one statement, not two.
   */
  claim(tx: Em, point?: RecoveryPoint): Promise<void>;
  /** the recovery point, in the transaction that commits the intent: from then on the claim is resumed, never deleted */
  commitIntent(tx: Em, point: RecoveryPoint): Promise<void>;
  /**
   * records the response in the transaction that commits the outcome (claiming the key there if not yet claimed);
   * false: the key had its answer already (completed meanwhile by recovery, a callback, another retry)
   */
  complete(tx: Em, response: T): Promise<boolean>;
  /** records a definitive refusal as the key's answer, in the transaction that commits it: a retry gets the same error; false as for complete */
  refuse(tx: Em, error: DomainError): Promise<boolean>;
  /** inside phase (c): the answer the key was completed with meanwhile (by recovery, a callback, another retry), replayed by the thunk; null while it is in flight */
  completedAnswer(tx: Em): Promise<(() => T) | null>;
  /** gives the lease up now: the work stays in flight (an ambiguous provider failure) and a retry resumes it at once */
  release(): Promise<void>;
}

export interface IdempotentWork<T> {
  /** the work from the start */
  start: (use: IdempotencyKeyUse<T>) => Promise<T>;
  /** the work resumed at its recovery point, by a retry that took over the lease of an owner that is gone */
  resume?: (point: RecoveryPoint, use: IdempotencyKeyUse<T>) => Promise<T>;
}

/** Thrown inside the work's transaction when the key is already taken, so that the transaction rolls back. */
class KeyTaken extends Error {}

interface StoredError {
  code: ErrorCode;
  message: string;
  details: Record<string, unknown>;
}

/** The answer a completed key replays: its response, or its refusal rethrown. */
function replay<T>(record: Pick<IdempotencyRecord, 'response' | 'error'>): T {
  if (record.error) {
    const stored = JSON.parse(record.error) as StoredError;
    throw new DomainError(stored.code, stored.message, stored.details);
  }
  return decodeSnapshot<T>(record.response ?? 'null');
}

function answerColumns(answer: { response: unknown } | { error: DomainError }) {
  return 'error' in answer
    ? { response: null, error: JSON.stringify({ code: answer.error.code, message: answer.error.message, details: answer.error.details } satisfies StoredError) }
    : { response: encodeSnapshot(answer.response), error: null };
}

/**
 * Completes the key whose work is on `point` (recovery or a callback settled it): a later retry gets this answer.
 * Inside the transaction that commits the outcome.
 */
export async function completeRecoveryPoint(tx: Em, point: Omit<RecoveryPoint, 'resourceType'>, answer: { response: unknown } | { error: DomainError }): Promise<void> {
  await tx.nativeUpdate(
    IdempotencyRecord,
    { resourceId: point.resourceId, operation: point.operation, state: 'IN_PROGRESS' },
    { state: 'COMPLETED', leaseOwner: null, ...answerColumns(answer) },
  );
}

/**
 * Stripe's idempotency semantics, per caller and mutation: the first request holds the key; a retry
 * with the same input gets the stored answer; a different input is refused; a request that arrives
 * while the first still runs is told to retry (IDEMPOTENCY_KEY_IN_USE).
 *
 * A claim is held under a lease its live owner renews. The claim commits with the work's intent and its
 * recovery point (the payment or refund the work is on); from then on it is never deleted: a retry after the
 * lease lapsed resumes the work there (the same resource, so the same provider key) and answers its outcome.
 * Only a claim with nothing committed may be taken over, and only once its lease lapsed; its owner, while
 * alive, deletes it when its work fails, so that a request refused by validation leaves no key behind.
 */
export class IdempotencyService {
  constructor(
    private readonly em: Em,
    private readonly clock: Clock,
    private readonly options: IdempotencyOptions,
  ) {}

  fingerprint(operation: string, input: unknown): string {
    return createHmac('sha256', this.options.fingerprintSecret).update(operation).update('\0').update(encodeSnapshot(input)).digest('hex');
  }

  async run<T>(scope: string, key: string, fingerprint: string, work: IdempotentWork<T> | ((use: IdempotencyKeyUse<T>) => Promise<T>)): Promise<T> {
    if (key.length < 1 || key.length > 255) throw fail.badInput('input.idempotencyKey', 'must be 1 to 255 characters');
    const { start, resume } = typeof work === 'function' ? { start: work, resume: undefined } : work;
    for (let attempt = 0; ; attempt++) {
      const attemptResult = await this.attempt(scope, key, fingerprint, start);
      if (attemptResult.done) return attemptResult.value;
      if (attempt >= 3) throw fail.idempotencyKeyInUse();
      const next = await this.existing(scope, key, fingerprint);
      if (next.kind === 'answer') return replay<T>(next.record);
      if (next.kind === 'resume') {
        if (!resume) throw fail.idempotencyKeyInUse();
        return this.owned(next.record.id, next.owner, false, (use) => resume(next.point, use));
      }
      if (next.kind === 'adopted') {
        // taken over again meanwhile (its new owner's lease lapsed too): that owner's retry is the one that runs
        return this.owned(next.record.id, next.owner, true, start).catch((error: unknown) => {
          throw error instanceof KeyTaken ? fail.idempotencyKeyInUse() : error;
        });
      }
      // 'free': the key was released, removed or changed meanwhile; the work tries again (a taken key is read anew)
    }
  }

  /** The work from the start under a new claim; not done when the key turned out to be taken. */
  private async attempt<T>(scope: string, key: string, fingerprint: string, start: (use: IdempotencyKeyUse<T>) => Promise<T>): Promise<{ done: true; value: T } | { done: false }> {
    const id = newId('idem');
    const owner = randomUUID();
    const insert = async (tx: Em, answer: { response: T } | { error: DomainError } | null, point?: RecoveryPoint) => {
      const now = this.clock.now();
      try {
        await tx.insert(IdempotencyRecord, {
          id,
          scope,
          key,
          fingerprint,
          state: answer === null ? 'IN_PROGRESS' : 'COMPLETED',
          ...(answer === null ? { response: null, error: null } : answerColumns(answer)),
          lockedAt: now,
          leaseOwner: answer === null ? owner : null,
          leaseExpiresAt: this.leaseEnd(now),
          resourceType: point?.resourceType ?? null,
          resourceId: point?.resourceId ?? null,
          operation: point?.operation ?? null,
          createdAt: now,
          expiresAt: new Date(now.getTime() + this.options.retentionMs),
        });
      } catch (error) {
        throw error instanceof UniqueConstraintViolationException ? new KeyTaken() : error;
      }
    };
    try {
      return { done: true, value: await this.owned(id, owner, true, start, insert) };
    } catch (error) {
      if (error instanceof KeyTaken) return { done: false };
      throw error;
    }
  }

  /**
   * Runs work on a claim this run owns, renewing its lease meanwhile. When the work fails: a claim with nothing
   * committed is deleted (the key stays usable); one whose intent committed stays, for a retry or recovery to
   * resume (its lease lapses, or was released).
   */
  private async owned<T>(
    id: string,
    owner: string,
    fresh: boolean,
    work: (use: IdempotencyKeyUse<T>) => Promise<T>,
    insert?: (tx: Em, answer: { response: T } | { error: DomainError } | null, point?: RecoveryPoint) => Promise<void>,
  ): Promise<T> {
    let claimed = false;
    const mine = { id, leaseOwner: owner, state: 'IN_PROGRESS' as const };
    const answer = async (tx: Em, given: { response: T } | { error: DomainError }): Promise<boolean> => {
      if (!claimed && insert) {
        await insert(tx, given);
        return true;
      }
      return (await tx.nativeUpdate(IdempotencyRecord, { id, state: 'IN_PROGRESS' }, { state: 'COMPLETED', leaseOwner: null, ...answerColumns(given) })) === 1;
    };
    const use: IdempotencyKeyUse<T> = {
      claim: async (tx, point) => {
        if (insert) await insert(tx, null, point);
        else if ((await tx.nativeUpdate(IdempotencyRecord, mine, { lockedAt: this.clock.now(), ...point })) !== 1) throw new KeyTaken();
        claimed = true;
      },
      commitIntent: async (tx, point) => {
        await tx.nativeUpdate(IdempotencyRecord, mine, { ...point });
      },
      complete: async (tx, response) => answer(tx, { response }),
      refuse: async (tx, error) => answer(tx, { error }),
      completedAnswer: async (tx) => {
        const record = await tx.findOne(IdempotencyRecord, { id });
        return record && record.state === 'COMPLETED' ? () => replay<T>(record) : null;
      },
      release: async () => {
        await this.em.fork().nativeUpdate(IdempotencyRecord, mine, { leaseOwner: null, leaseExpiresAt: this.clock.now() });
      },
    };
    if (!fresh) claimed = true;
    const renewal = setInterval(() => {
      this.em
        .fork()
        .nativeUpdate(IdempotencyRecord, mine, { leaseExpiresAt: this.leaseEnd(this.clock.now()) })
        .catch(() => undefined); // a lease not renewed lapses: a retry then resumes the work, which is safe
    }, Math.max(Math.floor(this.options.leaseMs / 3), 1));
    renewal.unref();
    try {
      return await work(use);
    } catch (error) {
      if (!(error instanceof KeyTaken)) await this.em.fork().nativeDelete(IdempotencyRecord, { ...mine, resourceId: null, operation: null });
      throw error;
    } finally {
      clearInterval(renewal);
    }
  }

  private leaseEnd(now: Date): Date {
    return new Date(now.getTime() + this.options.leaseMs);
  }

  /** What a retry does about a taken key: answer it, resume its work, take over an empty claim, or run afresh. */
  private async existing(
    scope: string,
    key: string,
    fingerprint: string,
  ): Promise<
    | { kind: 'answer'; record: IdempotencyRecord }
    | { kind: 'resume'; record: IdempotencyRecord; owner: string; point: RecoveryPoint }
    | { kind: 'adopted'; record: IdempotencyRecord; owner: string }
    | { kind: 'free' }
  > {
    const em = this.em.fork();
    const record = await em.findOne(IdempotencyRecord, { scope, key });
    if (!record) return { kind: 'free' };
    const now = this.clock.now();
    const committed = record.operation !== null && record.operation !== undefined;
    if (record.expiresAt <= now && (record.state === 'COMPLETED' || !committed || record.operation === LEGACY_OPERATION)) {
      // an expired key is removed and may serve new work; work whose intent committed never expires unfinished
      // (recovery completes it), except a legacy claim, whose resource is unknown
      await em.nativeDelete(IdempotencyRecord, { id: record.id, state: record.state, lockedAt: record.lockedAt });
      return { kind: 'free' };
    }
    if (record.fingerprint !== fingerprint) throw fail.idempotencyKeyReused();
    if (record.state === 'COMPLETED') return { kind: 'answer', record };
    if (record.leaseExpiresAt > now || record.operation === LEGACY_OPERATION) throw fail.idempotencyKeyInUse();
    // the owner is gone: one retry takes the lease over (a conditional update: two retries cannot both win)
    const owner = randomUUID();
    const taken = await em.nativeUpdate(
      IdempotencyRecord,
      { id: record.id, state: 'IN_PROGRESS', leaseOwner: record.leaseOwner ?? null, leaseExpiresAt: record.leaseExpiresAt },
      { leaseOwner: owner, leaseExpiresAt: this.leaseEnd(now) },
    );
    // another retry won it, or a callback or recovery completed the key meanwhile: look again (an answer is replayed)
    if (taken !== 1) return { kind: 'free' };
    if (!committed || !record.resourceType || !record.resourceId) return { kind: 'adopted', record, owner };
    const operation = record.operation as RecoveryPoint['operation'];
    return { kind: 'resume', record, owner, point: { resourceType: record.resourceType, resourceId: record.resourceId, operation } };
  }
}
