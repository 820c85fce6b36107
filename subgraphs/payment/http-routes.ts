import express, { type ErrorRequestHandler, type Express, type Request, type RequestHandler, type Response } from 'express';
import { DomainError } from '../../lib/errors.js';
import type { z } from 'zod';
import { parseRouteRequest, type RouteReply } from '../../lib/internal-route.js';
import { logInternalError } from '../../lib/log.js';
import { paymentChannels, type PaymentChannel } from './entities/Payment.js';
import { ChannelError, type CallbackAnswer, type ChannelRegistry } from './channels/channel.js';
import type { ApiKeyService } from './services/api-keys.js';
import type { ProviderCallbackService } from './services/provider-callbacks.js';
import type { StatusEventsPage } from './services/status-events.js';
import { callbackRefusal, MAX_CALLBACK_BYTES } from './contract/callback-refusals.js';
import { principalRoute, statementsRoute, statusEventsRoute } from './contract/internal-routes.js';

export type StatusEventsRequestBody = z.output<typeof statusEventsRoute.request>;

/** Provider callbacks (verified by each channel's own signature scheme), and the gateway's key lookup. */
export function mountPaymentRoutes(
  app: Express,
  requireSignature: RequestHandler,
  deps: {
    channels: ChannelRegistry;
    callbacks: () => ProviderCallbackService;
    apiKeys: () => ApiKeyService;
    statusEvents: (request: StatusEventsRequestBody) => Promise<StatusEventsPage>;
  },
): void {
  app.post('/callbacks/:channel', express.raw({ type: () => true, limit: MAX_CALLBACK_BYTES }), async (req: Request, res: Response) => {
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
  }, unreadableCallback);

  app.post(principalRoute.path, express.raw({ type: () => true, limit: '4kb' }), requireSignature, async (req, res) => {
    const request = parseRouteRequest(principalRoute, req.body as Buffer);
    if (!request.success) {
      res.status(400).json({ error: 'keyHash must be a SHA-256 hex digest' });
      return;
    }
    const { record, noteUse } = await deps.apiKeys().lookUp(request.data.keyHash);
    const reply: RouteReply<typeof principalRoute> = { principal: record?.principal ?? null, expiresAt: record?.expiresAt?.toISOString() ?? null };
    res.json(reply);
    // after the answer: the use is noted off the gateway's request path
    await noteUse?.().catch((error: unknown) => logInternalError('API key last use', error));
  });

  mountStatementsRoute(app, requireSignature, deps.channels);

  app.post(statusEventsRoute.path, express.raw({ type: () => true, limit: '4kb' }), requireSignature, async (req, res) => {
    const request = parseRouteRequest(statusEventsRoute, req.body as Buffer);
    if (!request.success) {
      res.status(400).json({ error: { code: 'BAD_USER_INPUT', message: 'malformed status events request' } });
      return;
    }
    try {
      const reply: RouteReply<typeof statusEventsRoute> = await deps.statusEvents(request.data);
      res.json(reply);
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      res.status(400).json({ error: { code: error.code, message: error.message } });
    }
  });
}

/** statementsRoute: a channel's statement of a day, as its connector fetches it. */
function mountStatementsRoute(app: Express, requireSignature: RequestHandler, channels: ChannelRegistry): void {
  app.post(statementsRoute.path, express.raw({ type: () => true, limit: '4kb' }), requireSignature, async (req, res) => {
    const request = parseRouteRequest(statementsRoute, req.body as Buffer);
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
      const reply: RouteReply<typeof statementsRoute> = {
        lines: lines.map(({ amount, ...line }) => ({ ...line, currency: amount.currency, amount: amount.minor.toString(), occurredAt: line.occurredAt.toISOString() })),
      };
      res.json(reply);
    } catch (error) {
      if (!(error instanceof ChannelError)) throw error;
      res.status(502).json({ error: { code: error.code, message: error.message } });
    }
  });
}

/**
 * A callback whose body cannot be read (beyond MAX_CALLBACK_BYTES, chunked or not; cut short; badly
 * encoded) is refused in the provider's own format with a 4xx; anything else that reaches here is a
 * fault of ours, a 5xx in that format, which the provider retries. Never express's HTML page.
 */
const unreadableCallback: ErrorRequestHandler = (error: { status?: unknown; type?: unknown }, req, res, next) => {
  if (res.headersSent) {
    next(error);
    return;
  }
  const channel = String(req.params['channel']);
  const status = typeof error?.status === 'number' && error.status >= 400 && error.status < 500 ? error.status : 500;
  if (status === 500) logInternalError('callback', error);
  const message = error?.type === 'entity.too.large' ? 'callback body too large' : status === 500 ? 'callback not processed' : 'callback body could not be read';
  answer(res, callbackRefusal(channel, status, message));
};

function answer(res: Response, reply: CallbackAnswer): void {
  res.status(reply.status).type(reply.contentType).send(reply.body);
}
