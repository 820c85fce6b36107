import { setTimeout as delay } from 'node:timers/promises';
import { Redis, type RedisOptions } from 'ioredis';
import type { EventEnvelope, EventHandler, SubscribeOptions, Subscription, UnhandledEvent } from './event.js';
import { errorSummary } from '../log.js';
import { logger } from '../logger.js';

const log = logger('events');

/** The stream entry field that holds the JSON envelope. */
export const ENVELOPE_FIELD = 'envelope';

export interface ConsumerOptions {
  url: string;
  key: string;
  group: string;
  consumer: string;
  claimIdleMs: number;
  blockMs: number;
  batchSize: number;
}

/** A connection that, while Redis is unreachable, warns once instead of at every reconnection attempt. */
export function openConnection(url: string, label: string, options: RedisOptions = {}): Redis {
  const connection = new Redis(url, options);
  let down = false;
  connection.on('error', (error: Error) => {
    if (!down) log.warn(`Redis connection (${label}): ${error.message}; reconnecting`);
    down = true;
  });
  connection.on('ready', () => (down = false));
  return connection;
}

export type StreamEntry = [id: string, fields: string[]];

/** What the handler could not handle of `events`: all of them when it throws. */
async function settle(handler: EventHandler, events: readonly EventEnvelope[]): Promise<readonly UnhandledEvent[]> {
  if (events.length === 0) return [];
  try {
    return await handler(events);
  } catch (error) {
    return events.map((event) => ({ event, error }));
  }
}

export function parseEnvelope(fields: string[]): EventEnvelope | null {
  const index = fields.indexOf(ENVELOPE_FIELD);
  const json = index % 2 === 0 ? fields[index + 1] : undefined;
  if (json === undefined) return null;
  try {
    return JSON.parse(json) as EventEnvelope;
  } catch {
    return null;
  }
}

const message = errorSummary;

/**
 * Consumes `key` as `consumer` of `group` on a dedicated connection: new entries by XREADGROUP,
 * and every claimIdleMs/2 the entries left pending longer than claimIdleMs (a failed handler, a
 * dead consumer) by XAUTOCLAIM. Hands the handler the entries of each read at once, and acknowledges
 * those it handled in one XACK.
 * When Redis comes back after an outage (reconnected; or its stream or group gone, a restart that lost
 * its data, and recreated here), `onRestored` is told: what the outage lost must be fetched elsewhere.
 */
export async function startConsumer(options: ConsumerOptions, handler: EventHandler, subscribeOptions: SubscribeOptions = {}): Promise<Subscription> {
  const { key, group, consumer, claimIdleMs, blockMs, batchSize } = options;
  const connection = openConnection(options.url, `${group}/${consumer}`);
  let connectedBefore = false;
  connection.on('ready', () => {
    if (connectedBefore) subscribeOptions.onRestored?.();
    connectedBefore = true;
  });
  const stopping = new AbortController();
  const stopped = new Promise<never>((_, reject) => {
    stopping.signal.addEventListener('abort', () => reject(new Error('stopped')), { once: true });
  });
  stopped.catch(() => undefined);
  // stop() abandons what the loop awaits: a handler that never settles, or a command that ioredis
  // keeps queued forever when disconnected while reconnecting. The entry then stays pending.
  const unlessStopped = <T>(pending: Promise<T>) => Promise.race([pending, stopped]);

  // From id 0, not $: events published before the group existed belong to it too.
  const createGroup = async () => {
    try {
      await connection.xgroup('CREATE', key, group, '0', 'MKSTREAM');
    } catch (error) {
      if (!message(error).startsWith('BUSYGROUP')) throw error;
    }
  };

  const handle = async (entries: StreamEntry[]) => {
    if (entries.length === 0 || stopping.signal.aborted) return;
    const events: EventEnvelope[] = [];
    const entryOf = new Map<EventEnvelope, string>();
    const done: string[] = [];
    for (const [id, fields] of entries) {
      const event = parseEnvelope(fields);
      if (event) {
        events.push(event);
        entryOf.set(event, id);
      } else {
        // Redelivery cannot make a malformed entry readable: drop it rather than retry it forever.
        log.warn(`stream ${key}: entry ${id} has no readable envelope, acknowledged without handling`);
        done.push(id);
      }
    }
    const unhandled = await unlessStopped(settle(handler, events));
    const failed = new Set<string>();
    for (const { event, error } of unhandled) {
      failed.add(event.id);
      log.warn(`event ${event.id} not handled, to be delivered again: ${message(error)}`);
    }
    for (const event of events) if (!failed.has(event.id)) done.push(entryOf.get(event)!);
    if (done.length > 0) await unlessStopped(connection.xack(key, group, ...done));
  };

  const claimIdle = async () => {
    let cursor = '0-0';
    do {
      const [next, entries] = (await unlessStopped(
        connection.xautoclaim(key, group, consumer, claimIdleMs, cursor, 'COUNT', batchSize),
      )) as [string, (StreamEntry | null)[]];
      // Redis before 7 answers a null for an entry deleted from the stream while pending.
      await handle(entries.filter((entry): entry is StreamEntry => entry !== null));
      cursor = next;
    } while (cursor !== '0-0' && !stopping.signal.aborted);
  };

  const readNew = async (waitMs: number) => {
    const reply = (await unlessStopped(
      connection.xreadgroup('GROUP', group, consumer, 'COUNT', batchSize, 'BLOCK', waitMs, 'STREAMS', key, '>'),
    )) as [string, StreamEntry[]][] | null;
    return reply?.[0]?.[1] ?? [];
  };

  const loop = async () => {
    const claimEveryMs = Math.max(1, Math.floor(claimIdleMs / 2));
    let nextClaimAt = 0;
    let groupMissing = false;
    while (!stopping.signal.aborted) {
      try {
        if (groupMissing) {
          await unlessStopped(createGroup());
          subscribeOptions.onRestored?.();
        }
        groupMissing = false;
        if (Date.now() >= nextClaimAt) {
          await claimIdle();
          nextClaimAt = Date.now() + claimEveryMs;
        }
        // BLOCK 0 would wait forever, and the next claim must not wait for a full block.
        const waitMs = Math.max(1, Math.min(blockMs, nextClaimAt - Date.now()));
        await handle(await readNew(waitMs));
      } catch (error) {
        if (stopping.signal.aborted) break;
        // The stream key was deleted (and the group with it): recreate both and carry on.
        groupMissing = message(error).startsWith('NOGROUP');
        log.warn(`stream ${key}, group ${group}: ${message(error)}; retrying`);
        await delay(1000, undefined, { signal: stopping.signal }).catch(() => undefined);
      }
    }
  };

  try {
    await createGroup();
  } catch (error) {
    connection.disconnect();
    throw error;
  }
  const running = loop();
  return {
    async stop() {
      if (!stopping.signal.aborted) {
        stopping.abort();
        connection.disconnect();
      }
      await running;
    },
  };
}
