import { createAlipayPayment, confirmAlipay } from './alipay.js';
import type { GraphQLResponse } from './graphql.js';
import type { ConfirmPaymentResult, PaymentResult } from './operations.js';
import type { System } from './system.js';
import { confirmWechat, createWechatPayment } from './wechat.js';

/** What the wallet channels' shared tests do differently for each channel. */
export interface WalletDriver {
  channel: 'ALIPAY' | 'WECHAT_PAY';
  /** a new payment of that channel, in CNY */
  create: (system: System, apiKey: string, amount?: string) => Promise<PaymentResult>;
  /** confirmPayment for that channel (no card), with the whole answer */
  confirm: (system: System, apiKey: string, paymentId: string, idempotencyKey?: string) => Promise<GraphQLResponse<ConfirmPaymentResult>>;
}

export const WALLETS: WalletDriver[] = [
  { channel: 'ALIPAY', create: createAlipayPayment, confirm: confirmAlipay },
  { channel: 'WECHAT_PAY', create: createWechatPayment, confirm: confirmWechat },
];
