import { defineEntity, p, type InferEntity } from '@mikro-orm/core';

export const journalTypes = ['capture', 'refund', 'settlement'] as const;
export type JournalType = (typeof journalTypes)[number];

/**
 * A balanced set of ledger entries posted together. Journals of one chain carry a gapless sequence
 * and a hash over the previous journal's hash and this one's canonical form (services/chain-hash.ts),
 * so an edited, deleted or reordered row is detectable.
 */
export const Journal = defineEntity({
  name: 'Journal',
  tableName: 'journals',
  properties: {
    id: p.string().primary(),
    chain: p.string(),
    sequence: p.integer(),
    type: p.enum([...journalTypes]),
    paymentId: p.string().index(),
    merchantId: p.string(),
    currency: p.string().length(3),
    /** the event it books, exactly one journal per event; null for journals the settlement job posts */
    eventId: p.string().nullable().unique(),
    occurredAt: p.datetime(3),
    postedAt: p.datetime(3),
    previousHash: p.string().length(64),
    hash: p.string().length(64),
  },
  // The unique sequence is the last line of defence against a forked chain, beside the chain's lock.
  uniques: [{ properties: ['chain', 'sequence'] }],
});
export type Journal = InferEntity<typeof Journal>;
