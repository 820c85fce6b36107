import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, it, expect } from 'vitest';
import { CardProviderClient, CardProviderError } from '../../subgraphs/payment/channels/card/client.js';
import { verifyCardWebhook } from '../../subgraphs/payment/channels/card/webhook.js';
import { cardEffects } from '../../test/support/simulator-effects.js';
import { startCardSimulator, type CardSimulator } from './server.js';
import { startTestWebhookReceiver, type ReceivedWebhook } from './test-webhook-receiver.js';

const apiKey = 'sk_test_card';
const webhookSecret = 'whsec_card';
let simulator: CardSimulator;
let client: CardProviderClient;

beforeAll(async () => {
  simulator = await startCardSimulator({ port: 0, apiKey, webhookSecret });
  client = new CardProviderClient({ baseUrl: simulator.url, apiKey });
});
afterAll(async () => {
  await simulator.close();
});

async function authorizeWithChallenge(notifyUrl: string, capture: boolean) {
  const card = { number: '4000000000003220', expMonth: 12, expYear: new Date().getUTCFullYear() + 1, cvc: '123' };
  return client.authorize({ reference: 'pay_3ds', amount: 1050n, currency: 'EUR', capture, card, notifyUrl }, randomUUID());
}

function verified(webhook: ReceivedWebhook | undefined) {
  const result = verifyCardWebhook(webhookSecret, webhook?.rawBody ?? '', webhook?.signature);
  if (!result.ok) throw new Error(`webhook refused: ${result.reason}`);
  return result.event;
}

describe('card simulator: 3-D Secure', () => {
  it('shows the payer a challenge page with the amount and no card data', async () => {
    const authorization = await authorizeWithChallenge('http://127.0.0.1:9/unused', true);
    const page = await fetch(authorization.actionUrl ?? '');
    const html = await page.text();
    expect(page.status).toBe(200);
    expect(html).toContain('3-D Secure challenge for 10.50 EUR');
    expect(html).not.toContain('4000000000003220');
  });

  it('captures after an approved challenge and delivers a signed webhook', async () => {
    const receiver = await startTestWebhookReceiver();
    try {
      const { id } = await authorizeWithChallenge(receiver.url, true);
      expect(await client.sandboxAuthenticate(id, 'APPROVE')).toEqual({ delivered: true, status: 'captured' });
      expect(receiver.received).toHaveLength(1);
      const event = verified(receiver.received[0]);
      expect(event).toMatchObject({ type: 'authorization.updated', data: { id, status: 'captured', capturedAmount: 1050n } });
      expect(event.id).toMatch(/^evt_/);
      expect(await client.get(id)).toMatchObject({ status: 'captured', actionUrl: null });
      expect((await cardEffects(simulator.url)).captures.filter((made) => made.authorization === id)).toMatchObject([{ amount: 1050n }]);
      const again = await client.sandboxAuthenticate(id, 'APPROVE').catch((e: unknown) => e);
      expect(again).toBeInstanceOf(CardProviderError);
      expect(again).toMatchObject({ status: 409, type: 'invalid_state' });
    } finally {
      await receiver.close();
    }
  });

  it('leaves a manual-capture authorization authorized after an approved challenge', async () => {
    const receiver = await startTestWebhookReceiver();
    try {
      const { id } = await authorizeWithChallenge(receiver.url, false);
      expect(await client.sandboxAuthenticate(id, 'APPROVE')).toEqual({ delivered: true, status: 'authorized' });
      expect(await client.capture(id, 1050n)).toMatchObject({ status: 'captured', capturedAmount: 1050n });
    } finally {
      await receiver.close();
    }
  });

  it('declines after a failed challenge', async () => {
    const receiver = await startTestWebhookReceiver();
    try {
      const { id } = await authorizeWithChallenge(receiver.url, true);
      expect(await client.sandboxAuthenticate(id, 'DECLINE')).toEqual({ delivered: true, status: 'declined' });
      const event = verified(receiver.received[0]);
      expect(event.data).toMatchObject({ status: 'declined', declineCode: 'authentication_failed', capturedAmount: 0n });
    } finally {
      await receiver.close();
    }
  });

  it('retries a webhook the receiver first refuses, with the same event', async () => {
    const receiver = await startTestWebhookReceiver([500]);
    try {
      const { id } = await authorizeWithChallenge(receiver.url, true);
      expect(await client.sandboxAuthenticate(id, 'APPROVE')).toEqual({ delivered: true, status: 'captured' });
      expect(receiver.received).toHaveLength(2);
      expect(verified(receiver.received[1]).id).toBe(verified(receiver.received[0]).id);
    } finally {
      await receiver.close();
    }
  });

  it('gives up after four refused attempts', async () => {
    const receiver = await startTestWebhookReceiver([500, 500, 500, 500, 500]);
    try {
      const { id } = await authorizeWithChallenge(receiver.url, true);
      expect(await client.sandboxAuthenticate(id, 'APPROVE')).toEqual({ delivered: false, status: 'captured' });
      expect(receiver.received).toHaveLength(4);
    } finally {
      await receiver.close();
    }
  });

  it('refuses a challenge outcome for an authorization that needs none', async () => {
    const card = { number: '4242424242424242', expMonth: 12, expYear: new Date().getUTCFullYear() + 1, cvc: '123' };
    const input = { reference: 'pay', amount: 100n, currency: 'EUR', capture: false, card, notifyUrl: 'http://127.0.0.1:9/' };
    const { id } = await client.authorize(input, randomUUID());
    const error = await client.sandboxAuthenticate(id, 'APPROVE').catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 409, type: 'invalid_state' });
  });
});
