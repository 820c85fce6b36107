import { defineEntity, p, type InferEntity } from '@mikro-orm/core';

export const recoveryResources = ['PAYMENT', 'REFUND'] as const;
export const recoveryOperations = ['CONFIRM', 'CAPTURE', 'CANCEL', 'REFUND'] as const;
/** legacy: a claim left IN_PROGRESS before recovery points existed; its resource is unknown, so it is never taken over */
export const LEGACY_OPERATION = 'LEGACY';

/**
 * A mutation's idempotency key, scoped to the caller and the mutation: the fingerprint of the input
 * it was first used with; while IN_PROGRESS, its owner's lease and, once the intent committed, its
 * recovery point (the resource the work is on); once COMPLETED, the answer to replay (a response or a refusal).
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
    /** a definitive refusal stored as the answer ({code, message, details}), instead of a response */
    error: p.text().nullable(),
    lockedAt: p.datetime(3),
    /** who holds the claim and until when: the live owner renews it; only a lapsed claim may be taken over or resumed */
    leaseOwner: p.string().nullable(),
    leaseExpiresAt: p.datetime(3),
    /** the recovery point: committed with the intent, never deleted before the work completes */
    resourceType: p.enum([...recoveryResources]).nullable(),
    resourceId: p.string().nullable(),
    operation: p.enum([...recoveryOperations, LEGACY_OPERATION]).nullable(),
    createdAt: p.datetime(3),
    expiresAt: p.datetime(3).index(),
  },
  uniques: [{ properties: ['scope', 'key'] }],
  indexes: [{ properties: ['resourceId', 'operation'] }],
});
export type IdempotencyRecord = InferEntity<typeof IdempotencyRecord>;
