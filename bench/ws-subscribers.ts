import WebSocket from 'ws';

/**
 * Many graphql-transport-ws subscribers, one connection each, kept as cheap as the load generator
 * can make them: a message is not parsed as JSON, only the event's occurredAt is read from it, and
 * latencies go into a 1 ms histogram.
 */
export interface SubscriberFleet {
  received: () => number;
  errors: () => number;
  /** the first error message a subscriber received, shortened */
  firstError: () => string | null;
  /** commit-to-receipt latency percentiles (ms) of what was received since the last reset */
  percentile: (p: number) => number;
  reset: () => void;
  close: () => Promise<void>;
}

const HISTOGRAM_MS = 120_000;
const OCCURRED_AT = /"occurredAt":"([^"]+)"/;

function connectOne(url: string, apiKey: string, query: string, onNext: (message: string) => void, onError: (text: string) => void): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, 'graphql-transport-ws');
    socket.once('error', reject);
    socket.once('open', () => socket.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${apiKey}` } })));
    socket.on('message', (data: Buffer) => {
      const text = data.toString();
      if (text.startsWith('{"type":"connection_ack"')) {
        socket.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { query } }));
        resolve(socket);
      } else if (text.includes('"type":"next"')) onNext(text);
      else if (text.includes('"type":"error"')) onError(text);
    });
  });
}

export async function startSubscribers(options: { url: string; apiKey: string; query: string; count: number; openConcurrency?: number }): Promise<SubscriberFleet> {
  const histogram = new Uint32Array(HISTOGRAM_MS + 1);
  let received = 0;
  let errors = 0;
  let firstError: string | null = null;
  const onNext = (text: string) => {
    const now = Date.now();
    received++;
    const occurredAt = OCCURRED_AT.exec(text)?.[1];
    if (occurredAt) histogram[Math.min(HISTOGRAM_MS, Math.max(0, now - Date.parse(occurredAt)))]! += 1;
  };
  const sockets: WebSocket[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: options.openConcurrency ?? 100 }, async () => {
      while (next < options.count) {
        next++;
        sockets.push(
          await connectOne(options.url, options.apiKey, options.query, onNext, (text) => {
            errors++;
            firstError ??= text.slice(0, 300);
          }),
        );
      }
    }),
  );
  return {
    received: () => received,
    errors: () => errors,
    firstError: () => firstError,
    percentile(p) {
      const total = histogram.reduce((sum, n) => sum + n, 0);
      let seen = 0;
      for (let ms = 0; ms <= HISTOGRAM_MS; ms++) {
        seen += histogram[ms]!;
        if (seen >= (total * p) / 100) return ms;
      }
      return NaN;
    },
    reset() {
      histogram.fill(0);
      received = 0;
    },
    close: async () => {
      await Promise.all(
        sockets.map((socket) => new Promise<void>((resolve) => {
          socket.once('close', () => resolve());
          socket.close();
        })),
      );
    },
  };
}
