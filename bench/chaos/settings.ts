/** The chaos run's knobs, read once from the environment. */
export interface ChaosSettings {
  /** how long clients start new flows (CHAOS_SECONDS, default 180) */
  seconds: number;
  /** concurrent client loops (CHAOS_CLIENTS, default 8) */
  clients: number;
  /** seeds every random choice of the clients and of the fault order (CHAOS_SEED, default: random, printed) */
  seed: number;
  /** gateway replicas (CHAOS_GATEWAYS, default 2) */
  gateways: number;
  /** how long one mutation is retried before it counts as never answered (CHAOS_RETRY_DEADLINE seconds, default 100: more than the 60 s an abandoned idempotency claim waits on main) */
  retryDeadlineMs: number;
  /** how long the heal phase waits for in-flight states and consumers to settle (CHAOS_SETTLE_SECONDS, default 90) */
  settleMs: number;
  /** keeps every service's output there (CHAOS_LOGS; default a temporary directory, printed) */
  logDir: string | undefined;
}

function positive(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name}: must be a positive number, got ${raw}`);
  return value;
}

export function loadChaosSettings(): ChaosSettings {
  return {
    seconds: positive('CHAOS_SECONDS', 180),
    clients: Math.round(positive('CHAOS_CLIENTS', 8)),
    seed: Math.round(positive('CHAOS_SEED', 1 + Math.floor(Math.random() * 2 ** 31))),
    gateways: Math.round(positive('CHAOS_GATEWAYS', 2)),
    retryDeadlineMs: positive('CHAOS_RETRY_DEADLINE', 100) * 1000,
    settleMs: positive('CHAOS_SETTLE_SECONDS', 90) * 1000,
    logDir: process.env['CHAOS_LOGS'] || undefined,
  };
}

/** A small seeded generator (mulberry32): the same seed makes the same choices. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}
