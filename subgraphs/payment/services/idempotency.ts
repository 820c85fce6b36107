import { createHmac } from 'node:crypto';
import { UniqueConstraintViolationException } from '@mikro-orm/core';
import type { Em } from '../../../lib/database.js';
import type { Clock } from '../../../lib/clock.js';
import { fail } from '../../../lib/errors.js';
import { newId } from '../../../lib/ids.js';
import { decodeSnapshot, encodeSnapshot } from '../../../lib/snapshot.js';
import { IdempotencyRecord } from '../entities/IdempotencyRecord.js';

export interface IdempotencyOptions {
  /** how long a key and its response are kept */
  retentionMs: number;
  /** a claim older than this belongs to a request that died; a retry may take it over */
  abandonAfterMs: number;
  /** keys the input fingerprints, so that a stored fingerprint reveals nothing of the input (a card number) */
  fingerprintSecret: string;
}

/** Completes the key with the response, in the transaction that commits the mutation's effect. */
export type Complete<T> = (em: Em, response: T) => Promise<void>;

/**
 * Stripe's idempotency semantics, per caller and mutation: the first request claims the key;
 * a retry with the same input gets the stored response; a different input is refused; a request
 * that arrives while the first still runs is told to retry. Validation happens before the claim, so
 * refused input stores nothing; a failure after the claim releases it.
 */
export class IdempotencyService {
  constructor(
    private readonly em: Em,
    private readonly clock: Clock,
    private readonly options: IdempotencyOptions,
  ) {}

  fingerprint(operation: string, input: unknown): string {
    return createHmac('sha256', this.options.fingerprintSecret)
      .update(operation)
      .update('\0')
      .update(encodeSnapshot(input))
      .digest('hex');
  }

  async run<T>(scope: string, key: string, fingerprint: string, work: (complete: Complete<T>) => Promise<T>): Promise<T> {
    if (key.length < 1 || key.length > 255) throw fail.badInput('input.idempotencyKey', 'must be 1 to 255 characters');
    const claim = await this.claim(scope, key, fingerprint);
    if (claim.replay !== undefined) return decodeSnapshot<T>(claim.replay);
    let completed = false;
    const complete: Complete<T> = async (em, response) => {
      await em.nativeUpdate(IdempotencyRecord, { id: claim.id }, { state: 'COMPLETED', response: encodeSnapshot(response) });
      completed = true;
    };
    try {
      const response = await work(complete);
      if (!completed) await complete(this.em.fork(), response);
      return response;
    } catch (error) {
      if (!completed) await this.em.fork().nativeDelete(IdempotencyRecord, { id: claim.id });
      throw error;
    }
  }

  private async claim(scope: string, key: string, fingerprint: string): Promise<{ id: string; replay?: string }> {
    const now = this.clock.now();
    const id = newId('idem');
    try {
      await this.em.fork().insert(IdempotencyRecord, {
        id,
        scope,
        key,
        fingerprint,
        state: 'IN_PROGRESS',
        response: null,
        lockedAt: now,
        createdAt: now,
        expiresAt: new Date(now.getTime() + this.options.retentionMs),
      });
      return { id };
    } catch (error) {
      if (!(error instanceof UniqueConstraintViolationException)) throw error;
    }
    const existing = await this.em.fork().findOne(IdempotencyRecord, { scope, key });
    // The request that held the key failed and released it between our insert and this read.
    if (!existing) return this.claim(scope, key, fingerprint);
    if (existing.expiresAt <= now) {
      await this.em.fork().nativeDelete(IdempotencyRecord, { id: existing.id, expiresAt: existing.expiresAt });
      return this.claim(scope, key, fingerprint);
    }
    if (existing.fingerprint !== fingerprint) throw fail.idempotencyKeyReused();
    if (existing.state === 'COMPLETED' && existing.response !== null) return { id: existing.id, replay: existing.response };
    if (now.getTime() - existing.lockedAt.getTime() < this.options.abandonAfterMs) throw fail.idempotencyKeyInUse();
    // The request that claimed the key died before committing anything; take its claim over, once.
    const taken = await this.em
      .fork()
      .nativeUpdate(IdempotencyRecord, { id: existing.id, lockedAt: existing.lockedAt, state: 'IN_PROGRESS' }, { lockedAt: now });
    if (taken !== 1) throw fail.idempotencyKeyInUse();
    return { id: existing.id };
  }
}
