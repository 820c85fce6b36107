import { alipayNotifications, alipayPaymentAwaitingPayer, confirmAlipay, createAlipayPayment, setAlipayFaults } from './alipay.js';
import type { GraphQLResponse } from './graphql.js';
import type { ConfirmPaymentResult, PaymentResult } from './operations.js';
import { paymentTable, selectRows } from './payments.js';
import type { System } from './system.js';
import { confirmWechat, createWechatPayment, loseWechatNotifications, wechatNotifications, wechatPaymentAwaitingPayer } from './wechat.js';

/** A notification a wallet simulator made, as its sandbox log answers it. */
export interface WalletNotification {
  body: string;
  attempts: number;
  delivered: boolean;
  lost: boolean;
}

/** What the wallet channels' shared tests do differently for each channel. */
export interface WalletDriver {
  channel: 'ALIPAY' | 'WECHAT_PAY';
  /** a new payment of that channel, in CNY */
  create: (system: System, apiKey: string, amount?: string) => Promise<PaymentResult>;
  /** confirmPayment for that channel (no card), with the whole answer */
  confirm: (system: System, apiKey: string, paymentId: string, idempotencyKey?: string) => Promise<GraphQLResponse<ConfirmPaymentResult>>;
  /** a new payment showing its QR code (REQUIRES_ACTION) */
  awaitingPayer: (system: System, apiKey: string, amount?: string) => Promise<PaymentResult>;
  /** the QR code's URL as the wallet makes it */
  qrCodeUrl: RegExp;
  /** the wallet's transaction number of a paid payment (its provider_reference) */
  transactionNumber: RegExp;
  /** every notification the simulator made about a payment, oldest first */
  notifications: (system: System, paymentId: string) => Promise<WalletNotification[]>;
  /** the simulator loses (never sends) its next notification */
  loseNextNotification: (system: System) => Promise<unknown>;
  /** the simulator's faults all off again */
  clearFaults: (system: System) => Promise<unknown>;
  /**
   * The payer scans the code straight at the simulator (not through our API): what the wallet answers.
   * Only WeChat Pay's simulator takes a scan by the code's URL.
   */
  scanAtWallet?: (system: System, codeUrl: string) => Promise<{ status: number; message: string }>;
}

async function scanAtWechat(system: System, codeUrl: string): Promise<{ status: number; message: string }> {
  const response = await fetch(`${system.wechatPaySimulatorUrl}/sandbox/payer`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ code_url: codeUrl, outcome: 'APPROVE' }),
  });
  const body = (await response.json()) as { message?: string };
  return { status: response.status, message: body.message ?? '' };
}

export const WALLETS: WalletDriver[] = [
  {
    channel: 'ALIPAY',
    create: createAlipayPayment,
    confirm: confirmAlipay,
    awaitingPayer: alipayPaymentAwaitingPayer,
    qrCodeUrl: /^https:\/\/qr\.alipay\.com\/\w+$/,
    transactionNumber: /^\d{28}$/,
    notifications: alipayNotifications,
    loseNextNotification: (system) => setAlipayFaults(system, { loseNotifications: true }),
    clearFaults: (system) => setAlipayFaults(system, { loseNotifications: false, uncertainRefunds: false }),
  },
  {
    channel: 'WECHAT_PAY',
    create: createWechatPayment,
    confirm: confirmWechat,
    awaitingPayer: wechatPaymentAwaitingPayer,
    qrCodeUrl: /^weixin:\/\/wxpay\/bizpayurl\?pr=\w+$/,
    transactionNumber: /^4200\d{24}$/,
    notifications: wechatNotifications,
    loseNextNotification: (system) => loseWechatNotifications(system, 1),
    clearFaults: (system) => loseWechatNotifications(system, 0),
    scanAtWallet: scanAtWechat,
  },
];

/** The wallet's transaction number the payment subgraph stored for a payment, if any yet. */
export async function providerReferenceOf(system: System, paymentId: string): Promise<string | null> {
  const rows = await selectRows(system, `select provider_reference from ${paymentTable(system, 'payments')} where id = ?`, [paymentId]);
  return (rows[0]?.['provider_reference'] as string | null) ?? null;
}
