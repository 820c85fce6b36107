import express, { type Express, type RequestHandler } from 'express';
import { z } from 'zod';
import type { Em } from '../database.js';
import { callInternalRoute } from '../internal-client.js';
import { parseRouteRequest, type InternalRoute, type ParsedRouteReply, type RouteReply, type RouteRequest } from '../internal-route.js';
import { eventEnvelopeSchema } from './event.js';
import { OutboxEvent } from './outbox.js';
import { envelope } from './outbox-relay.js';

/**
 * A producer's outbox, read by its consumers to fill what their transport lost (lib/events/catch-up.ts):
 * the placed events after a position in position order, or only one aggregate's events after a
 * sequence; with the producer's head (its highest position so far) and the oldest position it still
 * keeps (older events were pruned after EVENT_RETENTION). Served by every subgraph with an outbox: a
 * reader names the producer it signs for.
 */
export const outboxEventsRoute = {
  path: '/internal/outbox-events',
  request: z.object({
    afterPosition: z.number().int().min(0),
    limit: z.number().int().min(1).max(1000),
    aggregate: z.object({ aggregateId: z.string().min(1).max(128), afterSequence: z.number().int().min(0) }).optional(),
  }),
  reply: z.object({
    events: z.array(eventEnvelopeSchema),
    /** the highest position placed so far; 0 before the first event */
    head: z.number().int().min(0),
    /** the lowest position still kept; null when the outbox holds no placed event */
    oldest: z.number().int().min(1).nullable(),
  }),
  timeoutMs: 10_000,
} satisfies Omit<InternalRoute, 'service'>;

export type OutboxPageRequest = RouteRequest<typeof outboxEventsRoute>;
export type OutboxPage = ParsedRouteReply<typeof outboxEventsRoute>;

/** One page of the outbox of `source`, as the route answers it. */
export async function readOutboxPage(em: Em, source: string, request: z.output<typeof outboxEventsRoute.request>): Promise<RouteReply<typeof outboxEventsRoute>> {
  const { aggregate } = request;
  const rows = await em.find(
    OutboxEvent,
    {
      position: { $ne: null, $gt: request.afterPosition },
      ...(aggregate ? { aggregateId: aggregate.aggregateId, sequence: { $gt: aggregate.afterSequence } } : {}),
    },
    { orderBy: aggregate ? { sequence: 'asc' } : { position: 'asc' }, limit: request.limit },
  );
  const bound = (order: 'asc' | 'desc') => em.findOne(OutboxEvent, { position: { $ne: null } }, { orderBy: { position: order }, fields: ['position'] });
  const oldest = await bound('asc');
  const newest = await bound('desc');
  return {
    events: rows.map((row) => envelope(source, row)),
    head: newest?.position ?? 0,
    oldest: oldest?.position ?? null,
  };
}

/** Serves outboxEventsRoute for the subgraph `source`, signed like every internal route. */
export function mountOutboxRoute(app: Express, requireSignature: RequestHandler, deps: { fork: () => Em; source: string }): void {
  app.post(outboxEventsRoute.path, express.raw({ type: () => true, limit: '4kb' }), requireSignature, async (req, res) => {
    const request = parseRouteRequest(outboxEventsRoute, req.body as Buffer);
    if (!request.success) {
      res.status(400).json({ error: { code: 'BAD_USER_INPUT', message: 'afterPosition and limit (1 to 1000) are required; aggregate is { aggregateId, afterSequence }' } });
      return;
    }
    res.json(await readOutboxPage(deps.fork(), deps.source, request.data));
  });
}

/** Reads a producer's outbox over its signed route. */
export type OutboxReader = (request: OutboxPageRequest) => Promise<OutboxPage>;

export function outboxReader(producer: string, baseUrl: string, secret: string): OutboxReader {
  const route = { ...outboxEventsRoute, service: producer };
  return (request) => callInternalRoute(route, baseUrl, secret, request);
}
