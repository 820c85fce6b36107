import express, { type Express, type RequestHandler, type Response } from 'express';
import { z } from 'zod';
import { DomainError } from '../../lib/errors.js';
import { logInternalError } from '../../lib/log.js';
import { paymentChannels, type PaymentChannel } from './entities/Payment.js';
import { ChannelError, type CallbackAnswer, type ChannelRegistry } from './channels/channel.js';
import type { MerchantService } from './services/merchants.js';
import type { ProviderCallbackService } from './services/provider-callbacks.js';
import type { StatusEventsPage } from './services/status-events.js';

export const INTERNAL_PRINCIPAL_PATH = '/internal/principal';
/** The gateway's replay for subscribers that resume: status events after a cursor, then after a position. */
export const INTERNAL_STATUS_EVENTS_PATH = '/internal/payment-status-events';

const statusEventsRequest = z.union([
  z.object({ after: z.string().max(128), paymentId: z.string().max(64).nullable(), merchantId: z.string().max(64).nullable(), limit: z.number().int().min(1).max(1000) }),
  z.object({ afterPosition: z.number().int().min(0), paymentId: z.string().max(64).nullable(), merchantId: z.string().max(64).nullable(), limit: z.number().int().min(1).max(1000) }),
]);
export type StatusEventsRequestBody = z.infer<typeof statusEventsRequest>;

/** Accounting's reconciliation: a provider's statement of one day, fetched and parsed by its channel. */
export const INTERNAL_STATEMENTS_PATH = '/internal/statements';
const statementsRequest = z.object({ channel: z.enum(paymentChannels), date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/) });

/** Provider callbacks (verified by each channel's own signature scheme), and the gateway's key lookup. */
export function mountPaymentRoutes(
  app: Express,
  requireSignature: RequestHandler,
  deps: {
    channels: ChannelRegistry;
    callbacks: () => ProviderCallbackService;
    merchants: () => MerchantService;
    statusEvents: (request: StatusEventsRequestBody) => Promise<StatusEventsPage>;
  },
): void {
  app.post('/callbacks/:channel', express.raw({ type: () => true, limit: '256kb' }), async (req, res) => {
    const channel = String(req.params['channel']).toUpperCase() as PaymentChannel;
    const connector = paymentChannels.includes(channel) ? deps.channels[channel] : undefined;
    if (!connector) {
      res.status(404).send('unknown channel');
      return;
    }
    const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v[0] : v]));
    const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    let accepted = false;
    try {
      // Unsigned, forged, tampered or stale: refused before anything is read from it, nothing written.
      const callback = await connector.parseCallback(body, headers);
      // Answered only after the change has committed, so an unanswered callback is delivered again.
      if (callback) accepted = (await deps.callbacks().apply(channel, callback)) !== 'replayed';
    } catch (error) {
      logInternalError(`${channel} callback`, error);
    }
    answer(res, connector.callbackAnswer(accepted));
  });

  app.post(INTERNAL_PRINCIPAL_PATH, express.raw({ type: () => true, limit: '4kb' }), requireSignature, async (req, res) => {
    const { keyHash } = JSON.parse((req.body as Buffer).toString('utf8')) as { keyHash?: unknown };
    if (typeof keyHash !== 'string' || !/^[0-9a-f]{64}$/.test(keyHash)) {
      res.status(400).json({ error: 'keyHash must be a SHA-256 hex digest' });
      return;
    }
    res.json({ principal: await deps.merchants().principalForKeyHash(keyHash) });
  });

  mountStatementsRoute(app, requireSignature, deps.channels);

  app.post(INTERNAL_STATUS_EVENTS_PATH, express.raw({ type: () => true, limit: '4kb' }), requireSignature, async (req, res) => {
    const request = statusEventsRequest.safeParse(JSON.parse((req.body as Buffer).toString('utf8')));
    if (!request.success) {
      res.status(400).json({ error: { code: 'BAD_USER_INPUT', message: 'malformed status events request' } });
      return;
    }
    try {
      res.json(await deps.statusEvents(request.data));
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      res.status(400).json({ error: { code: error.code, message: error.message } });
    }
  });
}

/**
 * POST /internal/statements {channel, date} → {lines}: amounts as strings of minor units, times ISO.
 * A channel that is not enabled is 400 BAD_USER_INPUT; a provider that fails or refuses is 502 with
 * the channel's error code (PROVIDER_UNAVAILABLE, PROVIDER_REJECTED) and its message.
 */
function mountStatementsRoute(app: Express, requireSignature: RequestHandler, channels: ChannelRegistry): void {
  app.post(INTERNAL_STATEMENTS_PATH, express.raw({ type: () => true, limit: '4kb' }), requireSignature, async (req, res) => {
    const request = statementsRequest.safeParse(parseJson(req.body as Buffer));
    if (!request.success) {
      res.status(400).json({ error: { code: 'BAD_USER_INPUT', message: 'channel (CARD, ALIPAY, WECHAT_PAY) and date (YYYY-MM-DD) are required' } });
      return;
    }
    const { channel, date } = request.data;
    const connector = channels[channel];
    if (!connector) {
      res.status(400).json({ error: { code: 'BAD_USER_INPUT', message: `the ${channel} channel is not enabled` } });
      return;
    }
    try {
      const lines = await connector.fetchStatement(date);
      res.json({ lines: lines.map(({ amount, ...line }) => ({ ...line, currency: amount.currency, amount: amount.minor.toString(), occurredAt: line.occurredAt.toISOString() })) });
    } catch (error) {
      if (!(error instanceof ChannelError)) throw error;
      res.status(502).json({ error: { code: error.code, message: error.message } });
    }
  });
}

function parseJson(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8')) as unknown;
  } catch {
    return undefined;
  }
}

function answer(res: Response, reply: CallbackAnswer): void {
  res.status(reply.status).type(reply.contentType).send(reply.body);
}
