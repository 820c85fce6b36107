import { randomBytes } from 'node:crypto';
import type { AuthorizationRecord } from './authorization.js';
import type { IdempotencyStore } from './idempotency.js';

/** A refund the acquirer made; amounts are minor units of the authorization's currency. */
export interface RefundRecord {
  id: string;
  authorization: string;
  /** the merchant's reference of the refund */
  reference: string;
  amount: bigint;
  createdAt: Date;
}

/** A capture the acquirer made (at authorization, after 3-D Secure or on request); minor units. */
export interface CaptureRecord {
  authorization: string;
  amount: bigint;
  at: Date;
}

/** A void the acquirer made; voiding a voided authorization again makes none. */
export interface VoidRecord {
  authorization: string;
  at: Date;
}

/** The operations a sandbox fault can hit. */
export const FAULTY_OPERATIONS = ['authorize', 'capture', 'void', 'refund'] as const;
export type FaultyOperation = (typeof FAULTY_OPERATIONS)[number];

/**
 * Sandbox faults, counted down per operation: `drop` applies the operation and then resets the
 * connection without answering (the answer lost on the way back); `unavailable` answers 503 without applying.
 */
export type ArmedFaults = Record<FaultyOperation, { drop: number; unavailable: number }>;

export type SettlementCorruptionKind = 'DROP' | 'ADD' | 'AMOUNT' | 'STATUS' | 'DUPLICATE';

/** A sandbox control: a day's settlement report made wrong on purpose, as if the acquirer's records were. */
export interface SettlementCorruption {
  kind: SettlementCorruptionKind;
  /** the row of this payment reference (its capture, or with refundReference one of its refunds); the day's first row when absent */
  reference: string | null;
  refundReference: string | null;
  /** ADD: the capture nobody made, named when the control is set so that every download lists the same one */
  added: { authorizationId: string; reference: string } | null;
}

/** Everything the simulator remembers, in memory, for as long as it runs. */
export interface SimulatorState {
  /** set once the server listens; 3-D Secure action URLs point here */
  baseUrl: string;
  webhookSecret: string;
  authorizations: Map<string, AuthorizationRecord>;
  refunds: RefundRecord[];
  captures: CaptureRecord[];
  voids: VoidRecord[];
  idempotency: IdempotencyStore;
  /** sandbox control: every API answer waits this long, as a slow provider would */
  latencyMs: number;
  /** sandbox control, per report date (YYYY-MM-DD) */
  settlementCorruptions: Map<string, SettlementCorruption[]>;
  faults: ArmedFaults;
}

export function noFaults(): ArmedFaults {
  const none = () => ({ drop: 0, unavailable: 0 });
  return { authorize: none(), capture: none(), void: none(), refund: none() };
}

export function createSimulatorState(webhookSecret: string): SimulatorState {
  return {
    baseUrl: '',
    webhookSecret,
    authorizations: new Map(),
    refunds: [],
    captures: [],
    voids: [],
    idempotency: new Map(),
    latencyMs: 0,
    settlementCorruptions: new Map(),
    faults: noFaults(),
  };
}

export function newId(prefix: 'auth' | 're' | 'evt'): string {
  return `${prefix}_${randomBytes(12).toString('hex')}`;
}
