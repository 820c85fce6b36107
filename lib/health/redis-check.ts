import { Redis } from 'ioredis';
import { redisFailure } from '../start-failure.js';
import type { ReadinessCheck } from './readiness.js';

/** A connection that fails at once instead of retrying: readiness and start-up want an answer, not a wait. */
function probeConnection(url: string, label: string): Redis & { lastError?: Error } {
  const client = new Redis(url, {
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    connectTimeout: 1_000,
    commandTimeout: 1_000,
    retryStrategy: () => null,
    connectionName: `paygraph-${label}`,
  });
  // the failure is the answer of connect() or ping() (which only says "Connection is closed": the event says why)
  const probe: Redis & { lastError?: Error } = client;
  client.on('error', (error: Error) => (probe.lastError = error));
  return probe;
}

async function ping(client: Redis & { lastError?: Error }): Promise<void> {
  try {
    if (client.status === 'wait' || client.status === 'end') await client.connect();
    await client.ping();
  } catch (error) {
    throw client.lastError ?? error;
  } finally {
    client.lastError = undefined;
  }
}

/** Redis answers PING, on one connection opened at the first check (none while nobody asks). */
export function redisCheck(url: string, service: string): { check: ReadinessCheck; close: () => Promise<void> } {
  let client: ReturnType<typeof probeConnection> | undefined;
  return {
    check: async () => {
      client ??= probeConnection(url, `${service}-readiness`);
      await ping(client);
      return { ok: true };
    },
    close: () => {
      client?.disconnect();
      client = undefined;
      return Promise.resolve();
    },
  };
}

/** Before a service starts on Redis: it answers, or the start fails naming REDIS_URL. */
export async function requireRedis(service: string, url: string): Promise<void> {
  const client = probeConnection(url, `${service}-start`);
  try {
    await ping(client);
  } catch (error) {
    throw redisFailure(service, url, error);
  } finally {
    client.disconnect();
  }
}
