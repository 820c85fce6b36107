import { DomainError, ErrorCode } from '../../lib/errors.js';
import type { EventEnvelope } from '../../lib/events/event.js';
import { httpRequest } from '../../lib/http-request.js';
import { signedJsonHeaders, SYSTEM_PRINCIPAL } from '../../lib/internal-signature.js';

/** The payment subgraph's replay route (subgraphs/payment/http-routes.ts). */
const STATUS_EVENTS_PATH = '/internal/payment-status-events';
export const REPLAY_PAGE_SIZE = 500;

export interface ReplayPage {
  events: EventEnvelope[];
  next: number;
  done: boolean;
}

export interface ReplayScope {
  paymentId: string | null;
  /** only this merchant's events; null for every merchant (ADMIN) */
  merchantId: string | null;
}

/** Pages of a subscription's past status events, from the payment subgraph's outbox. */
export interface ReplaySource {
  /** the first page after a client's cursor; a bad or expired cursor is the subgraph's BAD_USER_INPUT */
  afterCursor: (cursor: string, scope: ReplayScope) => Promise<ReplayPage>;
  afterPosition: (position: number, scope: ReplayScope) => Promise<ReplayPage>;
}

export function paymentReplaySource(paymentUrl: string, internalSecret: string): ReplaySource {
  const page = async (request: Record<string, unknown>): Promise<ReplayPage> => {
    const body = JSON.stringify({ ...request, limit: REPLAY_PAGE_SIZE });
    const response = await httpRequest(`${paymentUrl}${STATUS_EVENTS_PATH}`, {
      method: 'POST',
      headers: signedJsonHeaders(internalSecret, SYSTEM_PRINCIPAL, body),
      body,
      timeoutMs: 10_000,
    });
    if (response.status === 400) {
      const { error } = JSON.parse(response.body) as { error: { code: string; message: string } };
      if (error.code === ErrorCode.BAD_USER_INPUT) throw new DomainError(ErrorCode.BAD_USER_INPUT, error.message, { field: 'after' });
    }
    if (response.status !== 200) throw new Error(`replaying status events failed: HTTP ${response.status}`);
    return JSON.parse(response.body) as ReplayPage;
  };
  return {
    afterCursor: (cursor, scope) => page({ after: cursor, ...scope }),
    afterPosition: (position, scope) => page({ afterPosition: position, ...scope }),
  };
}
