import express, { type Express, type RequestHandler } from 'express';
import { paymentChannels, type PaymentChannel } from './entities/Payment.js';
import type { ChannelRegistry } from './channels/channel.js';
import type { MerchantService } from './services/merchants.js';
import type { PaymentService } from './services/payments.js';

export const INTERNAL_PRINCIPAL_PATH = '/internal/principal';

/** Provider callbacks (verified by each channel's own signature scheme), and the gateway's key lookup. */
export function mountPaymentRoutes(
  app: Express,
  requireSignature: RequestHandler,
  deps: { channels: ChannelRegistry; payments: () => PaymentService; merchants: () => MerchantService },
): void {
  app.post('/callbacks/:channel', express.raw({ type: () => true, limit: '256kb' }), async (req, res) => {
    const channel = String(req.params['channel']).toUpperCase() as PaymentChannel;
    const connector = paymentChannels.includes(channel) ? deps.channels[channel] : undefined;
    if (!connector) {
      res.status(404).send('unknown channel');
      return;
    }
    const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v[0] : v]));
    const callback = await connector.parseCallback(req.body as Buffer, headers);
    // refund callbacks are refused until the refund service applies them, so that the provider delivers them again
    const answer = connector.callbackAnswer(callback?.kind === 'payment');
    if (callback?.kind === 'payment') {
      // Answered only after the change has committed, so an unanswered callback is delivered again.
      await deps.payments().applyCallback(callback.paymentId, callback.outcome);
    }
    res.status(answer.status).type(answer.contentType).send(answer.body);
  });

  app.post(INTERNAL_PRINCIPAL_PATH, express.raw({ type: () => true, limit: '4kb' }), requireSignature, async (req, res) => {
    const { keyHash } = JSON.parse((req.body as Buffer).toString('utf8')) as { keyHash?: unknown };
    if (typeof keyHash !== 'string' || !/^[0-9a-f]{64}$/.test(keyHash)) {
      res.status(400).json({ error: 'keyHash must be a SHA-256 hex digest' });
      return;
    }
    res.json({ principal: await deps.merchants().principalForKeyHash(keyHash) });
  });
}
