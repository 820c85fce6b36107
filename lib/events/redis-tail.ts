import { setTimeout as delay } from 'node:timers/promises';
import type { EventEnvelope, Subscription } from './event.js';
import { openConnection, parseEnvelope, type StreamEntry } from './redis-consumer.js';
import { errorSummary } from '../log.js';
import { logger } from '../logger.js';

const log = logger('events');

export interface TailOptions {
  url: string;
  key: string;
  blockMs: number;
  batchSize: number;
}

/**
 * Reads `key` from its current end with XREAD on a dedicated connection: no group, nothing to
 * acknowledge, nothing left behind in Redis when this process goes away. Resolves once the starting
 * id is fixed, so every entry added after that is seen.
 */
export async function startTail(options: TailOptions, handler: (event: EventEnvelope) => void): Promise<Subscription> {
  const connection = openConnection(options.url, `tail ${options.key}`);
  const stopping = new AbortController();
  let lastId: string;
  try {
    const newest = (await connection.xrevrange(options.key, '+', '-', 'COUNT', 1)) as StreamEntry[];
    lastId = newest[0]?.[0] ?? '0-0';
  } catch (error) {
    connection.disconnect();
    throw error;
  }

  const loop = async () => {
    while (!stopping.signal.aborted) {
      try {
        const reply = await connection.xread('COUNT', options.batchSize, 'BLOCK', options.blockMs, 'STREAMS', options.key, lastId);
        for (const [id, fields] of reply?.[0]?.[1] ?? []) {
          lastId = id;
          const event = parseEnvelope(fields);
          if (event) handler(event);
        }
      } catch (error) {
        if (stopping.signal.aborted) break;
        log.warn(`tail of ${options.key}: ${errorSummary(error)}; retrying`);
        await delay(1000, undefined, { signal: stopping.signal }).catch(() => undefined);
      }
    }
  };
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
