import { defineEntity, p, type InferEntity } from '@mikro-orm/core';

/** An API key; only the SHA-256 of the key is stored. */
export const ApiKey = defineEntity({
  name: 'ApiKey',
  tableName: 'api_keys',
  properties: {
    id: p.string().primary(),
    keyHash: p.string().unique(),
    /** the first characters of the key, to recognise it in a list */
    keyPrefix: p.string(),
    role: p.enum(['MERCHANT', 'ANALYST'] as const),
    merchantId: p.string().nullable().index(),
    createdAt: p.datetime(3),
    /** set by the key lookup when older than a minute (services/api-keys.ts), not on every request */
    lastUsedAt: p.datetime(3).nullable(),
    /** after this the key no longer works; null: no expiry */
    expiresAt: p.datetime(3).nullable(),
    revokedAt: p.datetime(3).nullable(),
    /** the sequence of the last event recorded of this key (aggregate `api_key`) */
    eventSequence: p.integer().default(0),
  },
});
export type ApiKey = InferEntity<typeof ApiKey>;
