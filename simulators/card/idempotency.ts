import { createHash } from 'node:crypto';
import type { Request, RequestHandler } from 'express';
import { providerError, send, type Reply } from './reply.js';

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
export function idempotent(stored: IdempotencyStore, handle: (req: Request) => Reply): RequestHandler {
  return (req, res) => {
    const key = req.get('Idempotency-Key');
    if (key === undefined) return send(res, handle(req));
    const fingerprint = fingerprintOf(req);
    const previous = stored.get(key);
    if (previous !== undefined) {
      const reply = previous.fingerprint === fingerprint
        ? previous.reply
        : providerError(409, 'idempotency_error', 'This Idempotency-Key was used with a different request');
      return send(res, reply);
    }
    const reply = handle(req);
    stored.set(key, { fingerprint, reply });
    send(res, reply);
  };
}
