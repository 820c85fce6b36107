import { defineEntity, p, type InferEntity } from '@mikro-orm/core';

/**
 * The last journal of a hash chain. Its row is the chain's lock: posting holds it (SELECT … FOR UPDATE
 * on PostgreSQL) while it assigns the next sequence and computes the hash, so concurrent posting
 * cannot fork the chain.
 */
export const ChainHead = defineEntity({
  name: 'ChainHead',
  tableName: 'chain_heads',
  properties: {
    chain: p.string().primary(),
    sequence: p.integer(),
    hash: p.string().length(64),
  },
});
export type ChainHead = InferEntity<typeof ChainHead>;
