/**
 * The clients' side of the API: one GraphQL request and what it answered, and a mutation retried with
 * its idempotency key, as a careful partner does, until the answer is definitive. Every answer is kept.
 */
import { setTimeout as delay } from 'node:timers/promises';
import { httpRequest } from '../../lib/http-request.js';

/** What one request got: data, a GraphQL error with its code, or no usable answer (network, 5xx, a code that says retry). */
export type Answer =
  | { kind: 'data'; data: Record<string, unknown> }
  | { kind: 'error'; code: string; message: string }
  | { kind: 'transient'; reason: string };

/** Codes after which the same request, sent again later, may succeed. */
const RETRYABLE_CODES = new Set(['IDEMPOTENCY_KEY_IN_USE', 'INTERNAL_SERVER_ERROR', 'RATE_LIMITED', 'UNKNOWN']);

export async function request(url: string, apiKey: string, query: string, variables: Record<string, unknown>): Promise<Answer> {
  let status: number;
  let body: string;
  try {
    const answer = await httpRequest(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${apiKey}` },
      body: JSON.stringify({ query, variables }),
      timeoutMs: 30_000,
    });
    status = answer.status;
    body = answer.body;
  } catch (error) {
    return { kind: 'transient', reason: (error as NodeJS.ErrnoException).code ?? (error as Error).name };
  }
  let parsed: { data?: Record<string, unknown> | null; errors?: { message?: string; extensions?: { code?: string } }[] };
  try {
    parsed = JSON.parse(body) as typeof parsed;
  } catch {
    return { kind: 'transient', reason: `HTTP ${status}, not JSON` };
  }
  const first = parsed.errors?.[0];
  if (first) {
    const code = first.extensions?.code ?? 'UNKNOWN';
    if (status >= 500 || RETRYABLE_CODES.has(code)) return { kind: 'transient', reason: code };
    return { kind: 'error', code, message: first.message ?? '' };
  }
  if (status >= 500 || !parsed.data) return { kind: 'transient', reason: `HTTP ${status}` };
  return { kind: 'data', data: parsed.data };
}

const IN_FLIGHT_RETRY_MS = 500;

/** A confirmation or capture answered PROCESSING: the provider's word has not been booked yet. */
function inFlight(answer: Answer, field: string): boolean {
  if (answer.kind !== 'data' || (field !== 'confirmPayment' && field !== 'capturePayment')) return false;
  const node = answer.data[field] as { status?: unknown } | null | undefined;
  return node?.status === 'PROCESSING';
}

/** A definitive answer as compared between attempts: the object's id and what matters of its state, or the error's code. */
export type Outcome = { ok: true; id: string; detail: string } | { ok: false; code: string };

export function sameOutcome(a: Outcome, b: Outcome): boolean {
  return a.ok && b.ok ? a.id === b.id && a.detail === b.detail : !a.ok && !b.ok && a.code === b.code;
}

export function describeOutcome(outcome: Outcome | null): string {
  if (!outcome) return 'no definitive answer';
  return outcome.ok ? `${outcome.id} ${outcome.detail}` : outcome.code;
}

/** One idempotency key's story: its request, each definitive answer in order (the first is the one the client acted on). */
export interface KeyRecord {
  operation: string;
  key: string;
  query: string;
  variables: Record<string, unknown>;
  answers: { at: number; outcome: Outcome }[];
  attempts: number;
  retriedFor: Map<string, number>;
}

export interface Mutator {
  /** retries until definitive (or the deadline: null); the record keeps every answer */
  mutate(operation: string, query: string, variables: Record<string, unknown>, key: string, field: string, detail: (node: Record<string, unknown>) => string): Promise<{ outcome: Outcome | null; node: Record<string, unknown> | null }>;
  /** a query, retried on transient failures until the deadline */
  read(query: string, variables: Record<string, unknown>): Promise<Record<string, unknown> | null>;
  /** a mutation without an idempotency key (sandboxPayerAction), retried on transient failures */
  act(query: string, variables: Record<string, unknown>): Promise<Answer>;
}

export interface Ledger {
  keys: Map<string, KeyRecord>;
  mutations: number;
  retries: number;
  retryReasons: Map<string, number>;
}

export function newLedger(): Ledger {
  return { keys: new Map(), mutations: 0, retries: 0, retryReasons: new Map() };
}

/** A client talking to the gateways, moving to the next replica whenever one does not answer. */
export function mutator(options: { gatewayUrls: string[]; apiKey: string; ledger: Ledger; deadlineMs: number; start: number }): Mutator {
  let replica = options.start % options.gatewayUrls.length;
  const url = () => `${options.gatewayUrls[replica]}/graphql`;
  const noteRetry = (reason: string) => {
    options.ledger.retries++;
    options.ledger.retryReasons.set(reason, (options.ledger.retryReasons.get(reason) ?? 0) + 1);
    // a gateway that does not answer at all: the next replica (a load balancer's health check would do the same)
    if (!/^[A-Z_]+$/.test(reason)) replica = (replica + 1) % options.gatewayUrls.length;
  };
  const untilDefinitive = async (query: string, variables: Record<string, unknown>, onRetry?: (reason: string) => void): Promise<Answer> => {
    const deadline = Date.now() + options.deadlineMs;
    for (let attempt = 0; ; attempt++) {
      const answer = await request(url(), options.apiKey, query, variables);
      if (answer.kind !== 'transient' || Date.now() > deadline) return answer;
      noteRetry(answer.reason);
      onRetry?.(answer.reason);
      await delay(Math.min(2_000, 100 * 2 ** attempt) * (0.5 + Math.random()));
    }
  };
  return {
    async mutate(operation, query, variables, key, field, detail) {
      options.ledger.mutations++;
      const record: KeyRecord = options.ledger.keys.get(key) ?? { operation, key, query, variables, answers: [], attempts: 0, retriedFor: new Map() };
      options.ledger.keys.set(key, record);
      record.attempts++;
      const onRetry = (reason: string) => {
        record.attempts++;
        record.retriedFor.set(reason, (record.retriedFor.get(reason) ?? 0) + 1);
      };
      let answer = await untilDefinitive(query, variables, onRetry);
      // an answer in flight (the provider's answer was lost): the same key again resumes it, as the README tells partners
      for (let waited = 0; inFlight(answer, field) && waited < options.deadlineMs; waited += IN_FLIGHT_RETRY_MS) {
        noteRetry('PROCESSING');
        onRetry('PROCESSING');
        await delay(IN_FLIGHT_RETRY_MS);
        answer = await untilDefinitive(query, variables, onRetry);
      }
      if (answer.kind === 'transient') return { outcome: null, node: null };
      const node = answer.kind === 'data' ? (answer.data[field] as Record<string, unknown>) : null;
      const outcome: Outcome = node ? { ok: true, id: String(node['id']), detail: detail(node) } : { ok: false, code: answer.kind === 'error' ? answer.code : 'NO_DATA' };
      record.answers.push({ at: Date.now(), outcome });
      return { outcome, node };
    },
    async read(query, variables) {
      const answer = await untilDefinitive(query, variables);
      return answer.kind === 'data' ? answer.data : null;
    },
    act: (query, variables) => untilDefinitive(query, variables),
  };
}
