import { z } from 'zod';
import { eventEnvelopeSchema } from '../../../lib/events/event.js';
import { minorUnitsField, timestampField } from '../../../lib/events/payload-fields.js';
import type { InternalRoute } from '../../../lib/internal-route.js';
import { currencyExponent } from '../../../lib/money.js';
import { paymentChannelField } from './events.js';

/**
 * The payment subgraph's signed internal routes (served by subgraphs/payment/http-routes.ts, called
 * through lib/internal-client.ts). Amounts are minor units as decimal strings, times ISO strings.
 */

const principal = z.object({
  role: z.enum(['ADMIN', 'MERCHANT', 'ANALYST']),
  merchantId: z.string().nullable(),
  keyId: z.string().nullable(),
});

/** The gateway's key lookup (the payment subgraph owns API keys): the principal of a working key's hash (null: unknown, revoked or expired) and when it expires. */
export const principalRoute = {
  service: 'payment',
  path: '/internal/principal',
  request: z.object({ keyHash: z.string().regex(/^[0-9a-f]{64}$/) }),
  reply: z.object({ principal: principal.nullable(), expiresAt: z.iso.datetime().nullable() }),
  // a loaded payment subgraph may take seconds; the gateway shares one lookup per key among its requests
  timeoutMs: 15_000,
} satisfies InternalRoute;

const statusEventsScope = { paymentId: z.string().max(64).nullable(), merchantId: z.string().max(64).nullable(), limit: z.number().int().min(1).max(1000) };

/**
 * The gateway's replay for subscribers that resume: status events after a client's cursor, then after
 * a position the previous page returned. A bad or expired cursor is 400 BAD_USER_INPUT.
 */
export const statusEventsRoute = {
  service: 'payment',
  path: '/internal/payment-status-events',
  request: z.union([
    z.object({ after: z.string().max(128), ...statusEventsScope }),
    z.object({ afterPosition: z.number().int().min(0), ...statusEventsScope }),
  ]),
  reply: z.object({
    /** the events after the cursor that match, in position order */
    events: z.array(eventEnvelopeSchema),
    /** the position to ask after next */
    next: z.number().int(),
    /** no event with a position after `next` exists yet */
    done: z.boolean(),
  }),
  timeoutMs: 10_000,
} satisfies InternalRoute;

const statementLine = z.object({
  kind: z.enum(['PAYMENT', 'REFUND']),
  providerReference: z.string().min(1),
  paymentId: z.string().min(1),
  refundId: z.string().min(1).nullable(),
  currency: z.string().refine((code) => currencyExponent(code) !== undefined, 'must be an ISO 4217 code'),
  amount: minorUnitsField,
  status: z.enum(['SUCCEEDED', 'FAILED', 'PENDING', 'CLOSED']),
  occurredAt: timestampField,
});

/**
 * Accounting's reconciliation: a provider's statement of one day, fetched and parsed by its channel. A
 * channel that is not enabled is 400 BAD_USER_INPUT; a provider that fails or refuses is 502 with the
 * channel's error code (PROVIDER_UNAVAILABLE, PROVIDER_REJECTED). The provider's statement can take a while.
 */
export const statementsRoute = {
  service: 'payment',
  path: '/internal/statements',
  request: z.object({ channel: paymentChannelField, date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/) }),
  reply: z.object({ lines: z.array(statementLine) }),
  timeoutMs: 60_000,
} satisfies InternalRoute;
