/**
 * A partner's live status feed: paymentStatusChanged with the merchant's key over graphql-ws, resumed
 * from the last cursor on every disconnect, error or event delivered without data. Records every
 * event, to check afterwards that each payment's changes arrived in sequence without a gap.
 */
import { setTimeout as delay } from 'node:timers/promises';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';

const QUERY = `subscription($after: String) { paymentStatusChanged(after: $after) { cursor paymentId previousStatus status } }`;

export interface StatusEvent {
  cursor: string;
  paymentId: string;
  previousStatus: string | null;
  status: string;
}

export interface FeedRecord {
  events: StatusEvent[];
  /** deliveries that came as `{ data: null, errors }` (or without a cursor) instead of an event */
  errorDeliveries: number;
  firstErrorDelivery: string | null;
  /** how often the subscription was opened again from the last cursor */
  resumes: number;
  /** why each ended, counted */
  endings: Map<string, number>;
}

export interface StatusFeed {
  record: FeedRecord;
  /** the time the last event arrived (ms since epoch) */
  lastEventAt(): number;
  close(): Promise<void>;
}

/** why a subscription ended, short enough to count: an error's message, the GraphQL errors' code, a close event's code */
function endingOf(error: unknown): string {
  if (error instanceof Error) return error.message.slice(0, 80);
  if (Array.isArray(error)) return `GraphQL error ${(error as { extensions?: { code?: string } }[])[0]?.extensions?.code ?? ''}`;
  const close = error as { code?: number; reason?: string };
  return `socket closed ${close.code ?? ''} ${close.reason ?? ''}`.trim();
}

export function startStatusFeed(gatewayUrls: string[], apiKey: string, log: (line: string) => void): StatusFeed {
  const record: FeedRecord = { events: [], errorDeliveries: 0, firstErrorDelivery: null, resumes: 0, endings: new Map() };
  let cursor: string | null = null;
  let lastEventAt = Date.now();
  let closed = false;
  let dispose: (() => void) | null = null;
  const ended = (why: string) => record.endings.set(why, (record.endings.get(why) ?? 0) + 1);

  const once = (replica: number) =>
    new Promise<void>((resolve) => {
      const client = createClient({
        url: `${gatewayUrls[replica % gatewayUrls.length]!.replace(/^http/, 'ws')}/graphql`,
        webSocketImpl: WebSocket,
        connectionParams: { authorization: `Bearer ${apiKey}` },
        retryAttempts: 0,
        lazy: true,
      });
      let finished = false;
      const finish = (why: string) => {
        if (finished) return;
        finished = true;
        ended(why);
        dispose = null;
        void client.dispose();
        resolve();
      };
      const unsubscribe = client.subscribe<{ paymentStatusChanged: StatusEvent }>(
        { query: QUERY, variables: { after: cursor } },
        {
          next: (result) => {
            const event = result.data?.paymentStatusChanged;
            if (!event?.cursor) {
              record.errorDeliveries++;
              record.firstErrorDelivery ??= JSON.stringify(result).slice(0, 300);
              unsubscribe();
              finish('an event without data: resumed');
              return;
            }
            cursor = event.cursor;
            lastEventAt = Date.now();
            record.events.push(event);
          },
          error: (error) => finish(endingOf(error)),
          complete: () => finish('completed'),
        },
      );
      dispose = () => {
        unsubscribe();
        finish('closed');
      };
    });

  const loop = (async () => {
    for (let replica = 0; !closed; replica++) {
      if (replica > 0) {
        record.resumes++;
        await delay(300);
      }
      await once(replica);
    }
  })();
  loop.catch((error: unknown) => log(`subscriber stopped: ${String(error)}`));

  return {
    record,
    lastEventAt: () => lastEventAt,
    async close() {
      closed = true;
      dispose?.();
      await loop.catch(() => undefined);
    },
  };
}
