import { defineEntity, p, type InferEntity } from '@mikro-orm/core';

/**
 * A mutation's idempotency key, scoped to the caller and the mutation: the fingerprint of the input
 * it was first used with and, once the mutation committed, the response to replay.
 */
export const IdempotencyRecord = defineEntity({
  name: 'IdempotencyRecord',
  tableName: 'idempotency_keys',
  properties: {
    id: p.string().primary(),
    scope: p.string(),
    key: p.string(),
    fingerprint: p.string(),
    state: p.enum(['IN_PROGRESS', 'COMPLETED'] as const),
    response: p.text().nullable(),
    lockedAt: p.datetime(3),
    createdAt: p.datetime(3),
    expiresAt: p.datetime(3).index(),
  },
  uniques: [{ properties: ['scope', 'key'] }],
});
export type IdempotencyRecord = InferEntity<typeof IdempotencyRecord>;
