import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { decodeEventCursor } from '../../lib/events/event-cursor.js';
import { pollUntil, POLL_TIMEOUT_MS } from './eventually.js';
import { createPayment, paymentTable, selectRows } from './payments.js';
import type { GraphQLResponse, System } from './system.js';

/** One subscription through the gateway's WebSocket, recording what it receives. */
/** A paymentStatusChanged answer, as far as the helpers read it (tests select more). */
export interface StatusChangedResult {
  paymentStatusChanged?: { paymentId: string; status: string; [field: string]: unknown } | null;
}

export interface Subscriber {
  results: GraphQLResponse<StatusChangedResult>[];
  /** the error the subscription ended with: GraphQL errors, or the socket's close event */
  error: unknown;
  completed: boolean;
  /** resolves once `count` results have arrived (rejects after the deadline) */
  received(count: number, timeoutMs?: number): Promise<GraphQLResponse<StatusChangedResult>[]>;
  /** resolves once the subscription errored or completed */
  ended(timeoutMs?: number): Promise<void>;
  /** completes the subscription (the socket stays open for the client's other subscriptions) */
  unsubscribe(): void;
}

export interface SubscriptionClient {
  subscribe(query: string, variables?: Record<string, unknown>): Subscriber;
  close(): Promise<void>;
}

/** A real graphql-ws client on the system's gateway, authenticated with `apiKey` (none when null). */
export function subscriptionClient(system: System, apiKey: string | null): SubscriptionClient {
  const client: Client = createClient({
    url: `${system.gatewayUrl.replace(/^http/, 'ws')}/graphql`,
    webSocketImpl: WebSocket,
    connectionParams: apiKey ? { authorization: `Bearer ${apiKey}` } : {},
    retryAttempts: 0,
  });
  return {
    subscribe(query, variables) {
      const subscriber: Subscriber = {
        results: [],
        error: undefined,
        completed: false,
        async received(count, timeoutMs) {
          await pollUntil(() => subscriber.results.length >= count || subscriber.error !== undefined, { what: `${count} results`, timeoutMs });
          if (subscriber.results.length < count) throw new Error(`subscription failed: ${JSON.stringify(subscriber.error)}`);
          return subscriber.results;
        },
        ended: (timeoutMs) => pollUntil(() => subscriber.error !== undefined || subscriber.completed, { what: 'the end of the subscription', timeoutMs }),
        unsubscribe: () => stop(),
      };
      const stop = client.subscribe(
        { query, variables },
        {
          next: (result) => void subscriber.results.push(result as GraphQLResponse<StatusChangedResult>),
          error: (error) => void (subscriber.error = error),
          complete: () => void (subscriber.completed = true),
        },
      );
      return subscriber;
    },
    close: async () => {
      await client.dispose();
    },
  };
}

/** The paymentStatusChanged events a subscriber received (of one payment, when given). */
export function events(subscriber: Subscriber, paymentId?: string): any[] {
  return subscriber.results.map((result) => result.data?.paymentStatusChanged).filter((event) => event && (!paymentId || event.paymentId === paymentId));
}

/** The outbox position a cursor names (NaN when it is not a cursor). */
export function positionOf(cursor: string): number {
  return decodeEventCursor(cursor)?.position ?? NaN;
}

export function errorCodes(error: unknown): (string | undefined)[] {
  return Array.isArray(error) ? error.map((e: { extensions?: { code?: string } }) => e.extensions?.code) : [];
}

/**
 * A subscription goes live once its connection is authenticated and it is admitted, which the
 * protocol does not acknowledge: probe payments are made until the event of any of them arrives
 * (on a loaded machine an event can come after the next probe was made: it still counts).
 */
export async function live(system: System, subscriber: Subscriber, apiKey: string): Promise<void> {
  const deadline = Date.now() + POLL_TIMEOUT_MS;
  const probes = new Set<string>();
  const arrived = () => events(subscriber).some((event) => probes.has(event.paymentId));
  for (;;) {
    if (subscriber.error !== undefined) throw new Error(`the subscription was refused: ${JSON.stringify(subscriber.error)}`);
    probes.add((await createPayment(system, apiKey, { amount: '1.00' })).id);
    const seen = await pollUntil(arrived, { what: 'a probe payment\'s event', timeoutMs: 500 }).then(
      () => true,
      () => false,
    );
    if (seen) return;
    if (Date.now() > deadline) throw new Error(`the subscription did not go live: ${JSON.stringify(subscriber.error)}`);
  }
}

/** The positions of a merchant's status events in the payment outbox, in order: what a subscriber must see. */
export async function statusEventPositions(system: System, merchantId: string, after: number, upTo: number): Promise<number[]> {
  const rows = await selectRows(
    system,
    `select position, payload from ${paymentTable(system, 'outbox')} where position > ? and position <= ? and type in ('payment.created', 'payment.status_changed') order by position`,
    [after, upTo],
  );
  return rows
    .filter((row) => (typeof row['payload'] === 'string' ? JSON.parse(row['payload']) : row['payload']).merchantId === merchantId)
    .map((row) => Number(row['position']));
}

/** A graphql-transport-ws connection spoken by hand, recording every frame exactly as the gateway wrote it. */
export interface RawSubscriptionConnection {
  frames: string[];
  subscribe(id: string, query: string): void;
  complete(id: string): void;
  /** the `next` frames of a subscription id, as written */
  nextFrames(id: string): string[];
  close(): Promise<void>;
}

export async function rawSubscriptionConnection(system: System, apiKey: string): Promise<RawSubscriptionConnection> {
  const socket = new WebSocket(`${system.gatewayUrl.replace(/^http/, 'ws')}/graphql`, 'graphql-transport-ws');
  const frames: string[] = [];
  socket.on('message', (data: Buffer) => void frames.push(data.toString()));
  await new Promise((resolve, reject) => {
    socket.once('open', resolve);
    socket.once('error', reject);
  });
  socket.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${apiKey}` } }));
  await pollUntil(() => frames.some((frame) => JSON.parse(frame).type === 'connection_ack'), { what: 'connection_ack' });
  return {
    frames,
    subscribe: (id, query) => socket.send(JSON.stringify({ id, type: 'subscribe', payload: { query } })),
    complete: (id) => socket.send(JSON.stringify({ id, type: 'complete' })),
    nextFrames: (id) => frames.filter((frame) => frame.startsWith(`{"id":${JSON.stringify(id)},"type":"next",`)),
    close: () =>
      new Promise<void>((resolve) => {
        if (socket.readyState === WebSocket.CLOSED) return resolve();
        socket.once('close', () => resolve());
        socket.close();
      }),
  };
}
