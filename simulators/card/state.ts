import { randomBytes } from 'node:crypto';
import type { AuthorizationRecord } from './authorization.js';
import type { IdempotencyStore } from './idempotency.js';

/** Everything the simulator remembers, in memory, for as long as it runs. */
export interface SimulatorState {
  /** set once the server listens; 3-D Secure action URLs point here */
  baseUrl: string;
  webhookSecret: string;
  authorizations: Map<string, AuthorizationRecord>;
  idempotency: IdempotencyStore;
  /** sandbox control: every API answer waits this long, as a slow provider would */
  latencyMs: number;
}

export function createSimulatorState(webhookSecret: string): SimulatorState {
  return { baseUrl: '', webhookSecret, authorizations: new Map(), idempotency: new Map(), latencyMs: 0 };
}

export function newId(prefix: 'auth' | 're' | 'evt'): string {
  return `${prefix}_${randomBytes(12).toString('hex')}`;
}
