import { DomainError, ErrorCode } from '../../lib/errors.js';
import { callInternalRoute, InternalCallError } from '../../lib/internal-client.js';
import type { ParsedRouteReply } from '../../lib/internal-route.js';
import { statusEventsRoute } from '../../subgraphs/payment/contract/internal-routes.js';

export const REPLAY_PAGE_SIZE = 500;

export type ReplayPage = ParsedRouteReply<typeof statusEventsRoute>;

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
  const page = async (request: { after: string } | { afterPosition: number }, scope: ReplayScope): Promise<ReplayPage> => {
    try {
      return await callInternalRoute(statusEventsRoute, paymentUrl, internalSecret, { ...request, ...scope, limit: REPLAY_PAGE_SIZE });
    } catch (error) {
      const refusal = error instanceof InternalCallError && error.status === 400 ? error.refusal : null;
      if (refusal?.code === ErrorCode.BAD_USER_INPUT) throw new DomainError(ErrorCode.BAD_USER_INPUT, refusal.message, { field: 'after' });
      throw error;
    }
  };
  return {
    afterCursor: (cursor, scope) => page({ after: cursor }, scope),
    afterPosition: (position, scope) => page({ afterPosition: position }, scope),
  };
}
