import WebSocket from 'ws';

/**
 * Many graphql-transport-ws subscribers, one connection each, kept as cheap as the load generator
 * can make them: a message is not parsed as JSON, only the event's occurredAt is read from its bytes,
 * and latencies go into 1 ms histograms.
 */
export interface SubscriberFleet {
  received: () => number;
  errors: () => number;
  /** the first error message a subscriber received, shortened */
  firstError: () => string | null;
  /** connections still open */
  held: () => number;
  /** close codes of the connections that closed before close() (code: count) */
  closedEarly: () => Record<number, number>;
  /** commit-to-receipt latency percentile (ms) of what was received since the last reset */
  percentile: (p: number) => number;
  /** latency percentile (ms) from the event's arrival on the stream (`arrivalOf`) to receipt */
  streamPercentile: (p: number) => number;
  reset: () => void;
  close: () => Promise<void>;
}

export interface FleetOptions {
  url: string;
  apiKey: string;
  query: string;
  count: number;
  openConcurrency?: number;
  /** when (Date.now()) the event with this occurredAt was seen on the event stream, if it was */
  arrivalOf?: (occurredAt: string) => number | undefined;
}

const HISTOGRAM_MS = 120_000;
const OCCURRED_AT = Buffer.from('"occurredAt":"');
const NEXT = Buffer.from('"type":"next"');
const ERROR = Buffer.from('"type":"error"');
const ACK = Buffer.from('{"type":"connection_ack"');
const ISO_LENGTH = 24; // 2026-01-01T00:00:00.000Z

function histogram() {
  const counts = new Uint32Array(HISTOGRAM_MS + 1);
  return {
    add: (ms: number) => void (counts[Math.min(HISTOGRAM_MS, Math.max(0, ms))]! += 1),
    percentile(p: number) {
      const total = counts.reduce((sum, n) => sum + n, 0);
      let seen = 0;
      for (let ms = 0; ms <= HISTOGRAM_MS; ms++) {
        seen += counts[ms]!;
        if (seen >= (total * p) / 100 && total > 0) return ms;
      }
      return NaN;
    },
    reset: () => counts.fill(0),
  };
}

function connectOne(options: FleetOptions, onNext: (message: Buffer) => void, onError: (text: string) => void, onEarlyClose: (code: number) => void): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(options.url, 'graphql-transport-ws', { perMessageDeflate: false });
    socket.once('error', reject);
    socket.once('close', (code) => onEarlyClose(code));
    socket.once('open', () => socket.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${options.apiKey}` } })));
    socket.on('message', (data: Buffer) => {
      if (data.indexOf(NEXT) >= 0) onNext(data);
      else if (data.indexOf(ACK) === 0) {
        socket.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { query: options.query } }));
        resolve(socket);
      } else if (data.indexOf(ERROR) >= 0) onError(data.toString());
    });
  });
}

export async function startSubscribers(options: FleetOptions): Promise<SubscriberFleet> {
  const commitToReceipt = histogram();
  const streamToReceipt = histogram();
  let received = 0;
  let errors = 0;
  let firstError: string | null = null;
  let closing = false;
  const closedEarly: Record<number, number> = {};
  const onNext = (message: Buffer) => {
    const now = Date.now();
    received++;
    const at = message.indexOf(OCCURRED_AT);
    if (at < 0) return;
    const occurredAt = message.toString('latin1', at + OCCURRED_AT.length, at + OCCURRED_AT.length + ISO_LENGTH);
    commitToReceipt.add(now - Date.parse(occurredAt));
    const arrived = options.arrivalOf?.(occurredAt);
    if (arrived !== undefined) streamToReceipt.add(now - arrived);
  };
  const sockets: WebSocket[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: options.openConcurrency ?? 100 }, async () => {
      while (next < options.count) {
        next++;
        const socket = await connectOne(
          options,
          onNext,
          (text) => {
            errors++;
            firstError ??= text.slice(0, 300);
          },
          (code) => void (closing || (closedEarly[code] = (closedEarly[code] ?? 0) + 1)),
        );
        sockets.push(socket);
      }
    }),
  );
  return {
    received: () => received,
    errors: () => errors,
    firstError: () => firstError,
    held: () => sockets.filter((socket) => socket.readyState === WebSocket.OPEN).length,
    closedEarly: () => ({ ...closedEarly }),
    percentile: (p) => commitToReceipt.percentile(p),
    streamPercentile: (p) => streamToReceipt.percentile(p),
    reset() {
      commitToReceipt.reset();
      streamToReceipt.reset();
      received = 0;
    },
    close: async () => {
      closing = true;
      await Promise.all(
        sockets.map((socket) => new Promise<void>((resolve) => {
          if (socket.readyState === WebSocket.CLOSED) return resolve();
          socket.once('close', () => resolve());
          socket.close();
        })),
      );
    },
  };
}
