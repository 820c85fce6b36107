import { LockMode } from '@mikro-orm/core';
import type { Clock } from '../../../lib/clock.js';
import type { Dialect, Em } from '../../../lib/database.js';
import { fail } from '../../../lib/errors.js';
import { recordEvent } from '../../../lib/events/outbox.js';
import { newId } from '../../../lib/ids.js';
import { displayPrefix, generateApiKey, hashApiKey } from '../../../lib/api-key.js';
import { selectPlain } from '../../../lib/plain-rows.js';
import type { Principal } from '../../../lib/principal.js';
import { apiKeyEvents, type ApiKeyEventType } from '../contract/api-key-events.js';
import { ApiKey } from '../entities/ApiKey.js';
import { Merchant } from '../entities/Merchant.js';

/** The longest grace a rolled key keeps working (7 days). */
export const MAX_ROLL_GRACE_SECONDS = 604_800;
/** lastUsedAt moves at most this often per key: a use is a write only when the last one is older. */
export const LAST_USED_RESOLUTION_MS = 60_000;

export interface IssuedApiKey {
  apiKey: string;
  role: 'MERCHANT' | 'ANALYST';
  merchant: Merchant | null;
}

/** What the gateway's lookup answers of a working key: who it is, and until when it works. */
export interface KeyRecord {
  principal: Principal;
  expiresAt: Date | null;
}

export interface KeyLookup {
  record: KeyRecord | null;
  /** records the use in lastUsedAt (one statement), when its last use is older than a minute; run it after answering */
  noteUse: (() => Promise<void>) | null;
}

/** Adds a new key to the unit of work of `tx`; resolves to the key itself, which is never stored. */
export function issueApiKey(tx: Em, role: 'MERCHANT' | 'ANALYST', merchantId: string | null, now: Date): { apiKey: string; id: string } {
  const apiKey = generateApiKey();
  const id = newId('key', now.getTime());
  tx.create(ApiKey, { id, keyHash: hashApiKey(apiKey), keyPrefix: displayPrefix(apiKey), role, merchantId, createdAt: now, eventSequence: 0 });
  return { apiKey, id };
}

/**
 * The keys whose use this process wrote in the last minute: one looked up again meanwhile (before the
 * write has committed, too) costs no statement. One per process, shared by its requests.
 */
export class KeyUseNotes {
  private readonly notedAt = new Map<string, number>();

  /** whether a use of the key at `now` is to be written, and if so noted as written */
  due(keyId: string, now: number): boolean {
    const last = this.notedAt.get(keyId);
    if (last !== undefined && now - last < LAST_USED_RESOLUTION_MS) return false;
    if (this.notedAt.size >= 10_000) for (const [id, at] of this.notedAt) if (now - at >= LAST_USED_RESOLUTION_MS) this.notedAt.delete(id);
    this.notedAt.set(keyId, now);
    return true;
  }
}

export interface ApiKeyServiceOptions {
  em: Em;
  dialect: Dialect;
  clock: Clock;
  uses: KeyUseNotes;
  /**
   * Publishes the outbox now (the relay would soon anyway): a revocation answers only once its event
   * is on the backbone, so every gateway tailing it drops the key without waiting for a cache TTL.
   * It never fails the change, which has committed: an event it could not publish, the relay publishes later.
   */
  publishEvents: () => Promise<unknown>;
}

/**
 * API keys listed, revoked and rolled. A change to a key is recorded as an `api_key.*` event in the
 * outbox in the same transaction (contract/api-key-events.ts): gateways tail it to forget the key.
 * Keys of another merchant are NOT_FOUND, as if they did not exist.
 */
export class ApiKeyService {
  constructor(private readonly options: ApiKeyServiceOptions) {}

  /** ADMIN: every key, or one merchant's; MERCHANT: its own merchant's; newest first. */
  async list(principal: Principal, merchantId: string | null | undefined): Promise<ApiKey[]> {
    let scope: string | null;
    if (principal.role === 'ADMIN') scope = merchantId ?? null;
    else if (principal.role === 'MERCHANT' && principal.merchantId) {
      if (merchantId && merchantId !== principal.merchantId) throw fail.forbidden("A MERCHANT key lists only its own merchant's keys");
      scope = principal.merchantId;
    } else throw fail.forbidden('Only ADMIN and MERCHANT keys may list API keys');
    const em = this.options.em.fork();
    const qb = em.createQueryBuilder(ApiKey).select('*').orderBy({ createdAt: 'desc', id: 'desc' });
    if (scope !== null) qb.where({ merchantId: scope });
    return selectPlain(em, ApiKey, qb);
  }

  async revoke(principal: Principal, id: string): Promise<ApiKey> {
    const revoked = await this.options.em.fork().transactional(async (tx) => {
      const key = await this.lockedKey(tx, principal, id);
      if (key.revokedAt) return key;
      const now = this.options.clock.now();
      key.revokedAt = now;
      this.record(tx, key, 'api_key.revoked', { endsAt: now.toISOString() });
      return key;
    });
    await this.options.publishEvents();
    return revoked;
  }

  /** A new key of the same role and merchant; the old one expires after `expiresInSeconds` (default 0: now), never later than it already would. */
  async roll(principal: Principal, input: { id: string; expiresInSeconds?: number | null }): Promise<IssuedApiKey> {
    const grace = input.expiresInSeconds ?? 0;
    if (!Number.isInteger(grace) || grace < 0 || grace > MAX_ROLL_GRACE_SECONDS) {
      throw fail.badInput('input.expiresInSeconds', `must be 0 to ${MAX_ROLL_GRACE_SECONDS} seconds`);
    }
    const issued = await this.options.em.fork().transactional(async (tx) => {
      const key = await this.lockedKey(tx, principal, input.id);
      const now = this.options.clock.now();
      if (key.revokedAt) throw fail.badInput('input.id', 'is a revoked key');
      if (key.expiresAt && key.expiresAt <= now) throw fail.badInput('input.id', 'is an expired key');
      const endsAt = new Date(now.getTime() + grace * 1000);
      if (!key.expiresAt || endsAt < key.expiresAt) key.expiresAt = endsAt;
      const next = issueApiKey(tx, key.role, key.merchantId ?? null, now);
      this.record(tx, key, 'api_key.rolled', { endsAt: key.expiresAt.toISOString(), replacedBy: next.id });
      const merchant = key.merchantId ? await tx.findOne(Merchant, { id: key.merchantId }) : null;
      return { apiKey: next.apiKey, role: key.role, merchant };
    });
    await this.options.publishEvents();
    return issued;
  }

  /**
   * The gateway's lookup: the principal of a working key by its hash (null when unknown, revoked or
   * expired), one statement; and, when its last use is older than a minute, the one statement that
   * records this one.
   */
  async lookUp(keyHash: string): Promise<KeyLookup> {
    const em = this.options.em.fork();
    const [key] = await selectPlain(em, ApiKey, em.createQueryBuilder(ApiKey).select('*').where({ keyHash }).limit(1));
    const now = this.options.clock.now();
    if (!key || key.revokedAt || (key.expiresAt && key.expiresAt <= now)) return { record: null, noteUse: null };
    const record = { principal: { role: key.role, merchantId: key.merchantId ?? null, keyId: key.id }, expiresAt: key.expiresAt ?? null };
    const staleBefore = new Date(now.getTime() - LAST_USED_RESOLUTION_MS);
    if ((key.lastUsedAt && key.lastUsedAt > staleBefore) || !this.options.uses.due(key.id, now.getTime())) return { record, noteUse: null };
    // the condition again in the statement: replicas that look the key up together write it once
    const noteUse = async () =>
      void (await this.options.em
        .fork()
        .createQueryBuilder(ApiKey)
        .update({ lastUsedAt: now })
        .where({ id: key.id, $or: [{ lastUsedAt: null }, { lastUsedAt: { $lte: staleBefore } }] })
        .execute('run'));
    return { record, noteUse };
  }

  /** The key, locked for the change; NOT_FOUND when it does not exist or is another merchant's. */
  private async lockedKey(tx: Em, principal: Principal, id: string): Promise<ApiKey> {
    if (principal.role !== 'ADMIN' && principal.role !== 'MERCHANT') throw fail.forbidden('Only ADMIN and MERCHANT keys may change API keys');
    const lock = this.options.dialect === 'postgresql' ? { lockMode: LockMode.PESSIMISTIC_WRITE } : {};
    const key = await tx.findOne(ApiKey, { id }, lock);
    if (!key || (principal.role === 'MERCHANT' && (!principal.merchantId || key.merchantId !== principal.merchantId))) throw fail.notFound('ApiKey', id);
    return key;
  }

  private record(tx: Em, key: ApiKey, type: ApiKeyEventType, change: { endsAt: string; replacedBy?: string }): void {
    key.eventSequence += 1;
    const payload = { keyId: key.id, merchantId: key.merchantId ?? null, ...change };
    const occurredAt = this.options.clock.now();
    const message = { aggregateType: 'api_key', aggregateId: key.id, sequence: key.eventSequence, occurredAt };
    if (type === 'api_key.rolled') recordEvent(tx, apiKeyEvents, { ...message, type, payload: { ...payload, replacedBy: change.replacedBy! } });
    else recordEvent(tx, apiKeyEvents, { ...message, type, payload });
  }
}
