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
  /** keys the input fingerprints */
  fingerprintSecret: string;
}

/** What a mutation does with its key, each inside one of its own transactions. */
export interface IdempotencyKeyUse<T> {
  /** claims the key: the first statement of the first transaction of work that calls a provider */
  claim(tx: Em): Promise<void>;
  /** records the response in the transaction that commits the effect (claiming the key there if not yet claimed) */
  complete(tx: Em, response: T): Promise<void>;
}

/** Thrown inside the work's transaction when the key is already taken, so that the transaction rolls back. */
class KeyTaken extends Error {}

/**
 * Stripe's idempotency semantics, per caller and mutation: the first request holds the key; a retry
 * with the same input gets the stored response; a different input is refused; a request that arrives
 * while the first still runs is told to retry. The key is written in the same transactions as the
 * effect, so a request refused by validation, or one that fails, leaves no key behind.
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

  async run<T>(scope: string, key: string, fingerprint: string, work: (use: IdempotencyKeyUse<T>) => Promise<T>): Promise<T> {
    if (key.length < 1 || key.length > 255) throw fail.badInput('input.idempotencyKey', 'must be 1 to 255 characters');
    for (let attempt = 0; ; attempt++) {
      const id = newId('idem');
      let claimed = false;
      const insert = async (tx: Em, response: T | null) => {
        const now = this.clock.now();
        try {
          await tx.insert(IdempotencyRecord, {
            id,
            scope,
            key,
            fingerprint,
            state: response === null ? 'IN_PROGRESS' : 'COMPLETED',
            response: response === null ? null : encodeSnapshot(response),
            lockedAt: now,
            createdAt: now,
            expiresAt: new Date(now.getTime() + this.options.retentionMs),
          });
        } catch (error) {
          throw error instanceof UniqueConstraintViolationException ? new KeyTaken() : error;
        }
      };
      const use: IdempotencyKeyUse<T> = {
        claim: async (tx) => {
          await insert(tx, null);
          claimed = true;
        },
        complete: async (tx, response) => {
          if (!claimed) return insert(tx, response);
          await tx.nativeUpdate(IdempotencyRecord, { id }, { state: 'COMPLETED', response: encodeSnapshot(response) });
        },
      };
      try {
        return await work(use);
      } catch (error) {
        if (!(error instanceof KeyTaken)) {
          // A claim committed by an earlier transaction of this work is released: the key stays usable.
          if (claimed) await this.em.fork().nativeDelete(IdempotencyRecord, { id, state: 'IN_PROGRESS' });
          throw error;
        }
      }
      const replay = await this.existing(scope, key, fingerprint, attempt);
      if (replay !== null) return decodeSnapshot<T>(replay);
    }
  }

  /** The stored response for a taken key, or null when the key was freed and the work may run again. */
  private async existing(scope: string, key: string, fingerprint: string, attempt: number): Promise<string | null> {
    const record = await this.em.fork().findOne(IdempotencyRecord, { scope, key });
    if (attempt >= 3) throw fail.idempotencyKeyInUse();
    // The request that held the key failed and released it in the meantime.
    if (!record) return null;
    const now = this.clock.now();
    const expired = record.expiresAt <= now;
    const abandoned = record.state === 'IN_PROGRESS' && now.getTime() - record.lockedAt.getTime() >= this.options.abandonAfterMs;
    if (expired || abandoned) {
      // An expired key, or the claim of a request that died, is removed; the work then runs again.
      await this.em.fork().nativeDelete(IdempotencyRecord, { id: record.id, lockedAt: record.lockedAt });
      return null;
    }
    if (record.fingerprint !== fingerprint) throw fail.idempotencyKeyReused();
    if (record.state === 'COMPLETED' && record.response) return record.response;
    throw fail.idempotencyKeyInUse();
  }
}
