import type { EventTransport, Subscription } from './event.js';
import { ENVELOPE_FIELD, openConnection, startConsumer } from './redis-consumer.js';
import { startTail } from './redis-tail.js';

export interface RedisTransportOptions {
  url: string;
  /** how long an entry stays pending (handler failed, consumer died) before another claims it */
  claimIdleMs?: number;
  /** the longest a read waits for new entries */
  blockMs?: number;
  /** entries read or claimed at once */
  batchSize?: number;
}

/** The Redis key of an event stream. */
export const streamKey = (stream: string) => `paygraph:${stream}`;

/**
 * Event transport over Redis Streams, so services can run as separate processes in several
 * replicas: a consumer group per consuming service shares the stream's entries among its replicas.
 */
export function createRedisTransport(options: RedisTransportOptions): EventTransport {
  const settings = {
    url: options.url,
    claimIdleMs: options.claimIdleMs ?? 5000,
    blockMs: options.blockMs ?? 1000,
    batchSize: options.batchSize ?? 100,
  };
  // Subscriptions block on their own connections; this one publishes.
  const publisher = openConnection(settings.url, 'publisher', { lazyConnect: true });
  const subscriptions = new Set<Subscription>();

  return {
    async publish(stream, events) {
      if (events.length === 0) return;
      const batch = publisher.multi();
      for (const event of events) batch.xadd(streamKey(stream), '*', ENVELOPE_FIELD, JSON.stringify(event));
      const results = await batch.exec();
      if (!results) throw new Error(`publishing to ${stream}: Redis discarded the transaction`);
      const failure = results.find(([error]) => error !== null)?.[0];
      if (failure) throw failure;
    },

    async subscribe(stream, group, consumer, handler, subscribeOptions) {
      const consuming = await startConsumer({ ...settings, key: streamKey(stream), group, consumer }, handler, subscribeOptions);
      const subscription: Subscription = {
        async stop() {
          subscriptions.delete(subscription);
          await consuming.stop();
        },
      };
      subscriptions.add(subscription);
      return subscription;
    },

    async tail(stream, handler) {
      const tailing = await startTail({ url: settings.url, key: streamKey(stream), blockMs: settings.blockMs, batchSize: settings.batchSize }, handler);
      const subscription: Subscription = {
        async stop() {
          subscriptions.delete(subscription);
          await tailing.stop();
        },
      };
      subscriptions.add(subscription);
      return subscription;
    },

    async close() {
      await Promise.all([...subscriptions].map((subscription) => subscription.stop()));
      // QUIT waits for pending replies, and would wait for Redis to come back when it is down.
      if (publisher.status === 'ready') await publisher.quit();
      else publisher.disconnect();
    },
  };
}
