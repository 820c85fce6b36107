import { expect } from 'vitest';
import { alipayNotifications, alipayPaymentAwaitingPayer, clearBillCorruptions, confirmAlipay, corruptBill, createAlipayPayment, setAlipayFaults } from './alipay.js';
import { eventually } from './eventually.js';
import type { GraphQLResponse } from './graphql.js';
import type { ConfirmPaymentResult, PaymentResult } from './operations.js';
import { getPayment, paymentTable, selectRows } from './payments.js';
import type { StatementLine } from '../../subgraphs/payment/channels/channel.js';
import type { System } from './system.js';
import { clearWechatBill, confirmWechat, corruptWechatBill, createWechatPayment, loseWechatNotifications, wechatNotifications, wechatPaymentAwaitingPayer } from './wechat.js';

/** A notification a wallet simulator made, as its sandbox log answers it. */
export interface WalletNotification {
  body: string;
  attempts: number;
  delivered: boolean;
  lost: boolean;
}

/** A wrong line the shared bill tests make in a day's bill: a payment's line, or a refund's with `refundId`. */
export type WalletBillCorruption =
  | { kind: 'DROP'; paymentId: string }
  | { kind: 'ADD'; amountFen: number }
  | { kind: 'ONE_FEN_MORE'; paymentId: string; amountFen: number }
  | { kind: 'DUPLICATE'; paymentId: string; refundId: string };

/** A refund as refundPayment answers it. */
export interface RefundAnswer {
  id: string;
  status: string;
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
  /** the connector's statement of a day's bill */
  fetchBill: (system: System, day: string) => Promise<StatementLine[]>;
  /** makes a day's bill wrong at the simulator; `amountFen` is the line's amount in fen, as it stands or as it is to be */
  corruptBill: (system: System, day: string, corruption: WalletBillCorruption) => Promise<unknown>;
  /** every corruption of these days' bills undone */
  clearBills: (system: System, days: string[]) => Promise<unknown>;
  /** brings a declined payment to where the wallet's bill leaves it out: WeChat Pay's bill lists only what succeeded, once the recovery job knows it FAILED */
  settleDeclined: (system: System, apiKey: string, paymentId: string) => Promise<void>;
  /**
   * The refund's final status: Alipay answers it at once (SUCCEEDED); WeChat Pay answers PENDING and settles
   * the refund on its REFUND.SUCCESS notification, so this waits for the refund to leave PENDING.
   */
  settleRefund: (system: System, apiKey: string, paymentId: string, refund: RefundAnswer) => Promise<string>;
  /** the next refund is answered PENDING and the notification of its outcome is lost (Alipay: an uncertain answer; WeChat Pay answers PENDING anyway) */
  loseNextRefundOutcome: (system: System) => Promise<unknown>;
  /** waits until the wallet has lost that notification (WeChat Pay makes it after answering; Alipay's is never sent) */
  refundOutcomeLost: (system: System, paymentId: string) => Promise<unknown>;
}

function corruptAlipayBill(system: System, day: string, corruption: WalletBillCorruption): Promise<unknown> {
  switch (corruption.kind) {
    case 'DROP':
      return corruptBill(system, day, 'DROP', { outTradeNo: corruption.paymentId });
    case 'ADD':
      // Alipay's simulator adds a trade of one yuan
      return corruptBill(system, day, 'ADD');
    case 'ONE_FEN_MORE':
      return corruptBill(system, day, 'AMOUNT', { outTradeNo: corruption.paymentId });
    case 'DUPLICATE':
      return corruptBill(system, day, 'DUPLICATE', { outTradeNo: corruption.paymentId, outRequestNo: corruption.refundId });
  }
}

function corruptWechatPayBill(system: System, day: string, corruption: WalletBillCorruption): Promise<unknown> {
  switch (corruption.kind) {
    case 'DROP':
      return corruptWechatBill(system, day, { kind: 'DROP', reference: corruption.paymentId });
    case 'ADD':
      return corruptWechatBill(system, day, { kind: 'ADD', amount: corruption.amountFen });
    case 'ONE_FEN_MORE':
      return corruptWechatBill(system, day, { kind: 'CHANGE_AMOUNT', reference: corruption.paymentId, amount: corruption.amountFen });
    case 'DUPLICATE':
      return corruptWechatBill(system, day, { kind: 'DUPLICATE', reference: corruption.refundId });
  }
}

async function settleWechatDeclined(system: System, apiKey: string, paymentId: string): Promise<void> {
  system.clock.advance(2 * 60_000);
  await system.payment.runRecovery();
  await eventually(() => getPayment(system, apiKey, paymentId), (payment) => payment.status === 'FAILED', { what: `payment ${paymentId} FAILED`, timeoutMs: 0 });
}

async function settleWechatRefund(system: System, apiKey: string, paymentId: string, refund: RefundAnswer): Promise<string> {
  // WeChat Pay answers PROCESSING; its notification may already have settled it
  expect(['PENDING', 'SUCCEEDED']).toContain(refund.status);
  const payment = await eventually(
    () => getPayment(system, apiKey, paymentId),
    (current) => current.refunds.some((r: RefundAnswer) => r.id === refund.id && r.status !== 'PENDING'),
    { what: `refund ${refund.id} no longer PENDING` },
  );
  return payment.refunds.find((r: RefundAnswer) => r.id === refund.id)!.status;
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
    fetchBill: (system, day) => system.payment.channels.ALIPAY!.fetchStatement(day),
    corruptBill: corruptAlipayBill,
    clearBills: (system) => clearBillCorruptions(system),
    settleDeclined: async () => {},
    settleRefund: async (_system, _apiKey, _paymentId, refund) => refund.status,
    loseNextRefundOutcome: (system) => setAlipayFaults(system, { uncertainRefunds: true, loseNotifications: true }),
    refundOutcomeLost: async () => {},
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
    fetchBill: (system, day) => system.payment.channels.WECHAT_PAY!.fetchStatement(day),
    corruptBill: corruptWechatPayBill,
    clearBills: async (system, days) => {
      for (const day of days) await clearWechatBill(system, day);
    },
    settleDeclined: settleWechatDeclined,
    settleRefund: settleWechatRefund,
    loseNextRefundOutcome: (system) => loseWechatNotifications(system, 1),
    refundOutcomeLost: (system, paymentId) =>
      eventually(() => wechatNotifications(system, paymentId), (list) => list.some((n) => n.eventType === 'REFUND.SUCCESS' && n.lost), { what: 'the lost REFUND.SUCCESS notification' }),
  },
];

/** The wallet's transaction number the payment subgraph stored for a payment, if any yet. */
export async function providerReferenceOf(system: System, paymentId: string): Promise<string | null> {
  const rows = await selectRows(system, `select provider_reference from ${paymentTable(system, 'payments')} where id = ?`, [paymentId]);
  return (rows[0]?.['provider_reference'] as string | null) ?? null;
}
