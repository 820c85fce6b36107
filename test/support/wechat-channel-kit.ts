import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { newId } from '../../lib/ids.js';
import type { WechatPaySandboxKeys } from '../../simulators/wechat/sandbox-keys.js';
import { testWechatPayKeys } from './keys.js';
import { startWechatPaySimulator, type WechatPaySimulator } from '../../simulators/wechat/server.js';
import type { Payment } from '../../subgraphs/payment/entities/Payment.js';
import type { Refund } from '../../subgraphs/payment/entities/Refund.js';
import type { ChannelConnector, ProviderCallback } from '../../subgraphs/payment/channels/channel.js';
import { WechatPayChannel } from '../../subgraphs/payment/channels/wechat/channel.js';
import { WechatPayClient } from '../../subgraphs/payment/channels/wechat/client.js';

/** A payment service's callback endpoint for connector tests: verifies with the channel and answers as it says. */
export interface CallbackEndpoint {
  url: string;
  /** every delivery: its status answered and what the channel made of it */
  deliveries: { status: number; callback: ProviderCallback | null }[];
  /** the next deliveries are answered 500 (a payment service that fails to commit) */
  failNext: (count: number) => void;
  close: () => Promise<void>;
}

export interface WechatPayKit {
  keys: WechatPaySandboxKeys;
  simulator: WechatPaySimulator;
  channel: ChannelConnector;
  endpoint: CallbackEndpoint;
  /** a channel with other keys, e.g. to show that answers or notifications are refused */
  channelWith: (changes: { merchantPrivateKey?: string; platformPublicKey?: string; apiV3Key?: string }) => ChannelConnector;
  sandbox: (path: string, body?: unknown, method?: 'POST' | 'DELETE') => Promise<Response>;
  close: () => Promise<void>;
}

async function startEndpoint(parse: (body: Buffer, headers: Record<string, string | undefined>) => Promise<ProviderCallback | null>, answer: (accepted: boolean) => { status: number; body: string }): Promise<CallbackEndpoint> {
  const deliveries: CallbackEndpoint['deliveries'] = [];
  let failing = 0;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v[0] : v]));
      void parse(Buffer.concat(chunks), headers).then((callback) => {
        const reply = failing > 0 ? { status: 500, body: '{"code":"FAIL","message":"not committed"}' } : answer(callback !== null);
        if (failing > 0) failing -= 1;
        deliveries.push({ status: reply.status, callback });
        res.writeHead(reply.status, { 'content-type': 'application/json' }).end(reply.body);
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/callbacks/wechat_pay`,
    deliveries,
    failNext: (count) => void (failing = count),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeIdleConnections();
      }),
  };
}

/** The real simulator on a free port, a channel configured against it, and a callback endpoint. */
export async function startWechatPayKit(options: { notifyRetryDelaysMs?: number[]; refundSettleMs?: number } = {}): Promise<WechatPayKit> {
  const keys = testWechatPayKeys();
  const simulator = await startWechatPaySimulator({ keys, notifyRetryDelaysMs: options.notifyRetryDelaysMs ?? [20, 20, 20], refundSettleMs: options.refundSettleMs ?? 20 });
  let callbackUrl = '';
  const channelWith: WechatPayKit['channelWith'] = (changes) => {
    const platform = { serial: keys.platform.serial, publicKey: changes.platformPublicKey ?? keys.platform.publicKey };
    const client = new WechatPayClient({
      baseUrl: simulator.url,
      merchant: { mchid: keys.mchid, serial: keys.merchant.serial, privateKey: changes.merchantPrivateKey ?? keys.merchant.privateKey },
      platform,
    });
    return new WechatPayChannel({ client, appid: keys.appid, apiV3Key: changes.apiV3Key ?? keys.apiV3Key, platform, callbackUrl: () => callbackUrl });
  };
  const channel = channelWith({});
  const endpoint = await startEndpoint((body, headers) => channel.parseCallback(body, headers), (accepted) => channel.callbackAnswer(accepted));
  callbackUrl = endpoint.url;
  return {
    keys,
    simulator,
    channel,
    endpoint,
    channelWith,
    sandbox: (path, body, method = 'POST') =>
      fetch(`${simulator.url}/sandbox${path}`, { method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body ?? {}) }),
    close: async () => {
      await simulator.close();
      await endpoint.close();
    },
  };
}

/** A payment as the payment service hands it to a connector. */
export function wechatPayment(amount: bigint, overrides: Partial<Payment> = {}): Payment {
  const now = new Date();
  return {
    id: newId('pay'), merchantId: 'mer_test', currency: 'CNY', amount, amountCapturable: 0n, amountReceived: 0n, amountRefunded: 0n,
    channel: 'WECHAT_PAY', captureMethod: 'AUTOMATIC', status: 'PROCESSING', nextAction: null, failureCode: null, failureMessage: null,
    description: 'Sandbox order', metadata: null, card: null, cancellationReason: null, providerReference: null, pendingOperation: null, pendingAmount: null, expiresAt: null, providerCheckedAt: null, createdAt: now,
    updatedAt: now, eventSequence: 0, version: 1, ...overrides,
  };
}

export function wechatRefund(payment: Payment, amount: bigint, id = newId('re')): Refund {
  const now = new Date();
  return {
    id, paymentId: payment.id, merchantId: payment.merchantId, currency: payment.currency, amount, status: 'PENDING', reason: null,
    failureCode: null, providerReference: null, providerCheckedAt: null, createdAt: now, updatedAt: now,
  };
}
