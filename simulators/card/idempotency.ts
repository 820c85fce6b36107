import { createHash } from 'node:crypto';
import type { Request } from 'express';
import { providerError, type Reply } from './reply.js';

interface StoredReply {
  fingerprint: string;
  reply: Reply;
}

export type IdempotencyStore = Map<string, StoredReply>;

function fingerprintOf(req: Request): string {
  return createHash('sha256').update(`${req.method} ${req.path} ${JSON.stringify(req.body ?? null)}`).digest('hex');
}

/**
 * Replays the stored reply for a repeated Idempotency-Key with the same request, refuses the key with a
 * different request. Handlers run synchronously, so no second request can slip in between check and store.
 */
export function idempotent(stored: IdempotencyStore, handle: (req: Request) => Reply): (req: Request) => Reply {
  return (req) => {
    const key = req.get('Idempotency-Key');
    if (key === undefined) return handle(req);
    const fingerprint = fingerprintOf(req);
    const previous = stored.get(key);
    if (previous !== undefined) {
      return previous.fingerprint === fingerprint
        ? previous.reply
        : providerError(409, 'idempotency_error', 'This Idempotency-Key was used with a different request');
    }
    const reply = handle(req);
    stored.set(key, { fingerprint, reply });
    return reply;
  };
}
