import { z } from 'zod';
import { httpRequest } from '../../../../lib/http-request.js';
import type { Payment } from '../../entities/Payment.js';
import type { Refund } from '../../entities/Refund.js';
import {
  ChannelError,
  type AuthorizationOutcome,
  type CallbackAnswer,
  type ChannelConnector,
  type PaymentQueryResult,
  type ProviderCallback,
  type RefundOutcome,
  type StatementLine,
} from '../channel.js';
import { BillFormatError, parseTradeBill } from './bill.js';
import { WechatPayClient, WechatPayError } from './client.js';
import { parseNotification } from './notification.js';
import { declined, queryResultOf, refundOutcomeOf } from './outcomes.js';
import type { PlatformVerifier } from './signature.js';
import { toWechatTime } from './time.js';
import { nativeOrderSchema, refundSchema, tradeBillSchema, transactionSchema } from './wire.js';

export interface WechatPayChannelOptions {
  client: WechatPayClient;
  /** the AppID the Native orders are placed under */
  appid: string;
  /** the APIv3 key that decrypts notifications (32 bytes) */
  apiV3Key: string;
  platform: PlatformVerifier;
  /** where WeChat Pay sends this payment service's notifications */
  callbackUrl: () => string;
  nowSeconds?: () => number;
}

/** out_trade_no: 6 to 32 of digits, letters, _ - * (our payment ids are 30). */
function outTradeNo(payment: Payment): string {
  if (!/^[0-9A-Za-z_\-*]{6,32}$/.test(payment.id)) throw new ChannelError('PROVIDER_REJECTED', `payment id ${payment.id} cannot be an out_trade_no`);
  return payment.id;
}

/** out_refund_no: 1 to 64 of digits, letters, _ - | * @. */
function outRefundNo(refund: Refund): string {
  if (!/^[0-9A-Za-z_\-|*@]{1,64}$/.test(refund.id)) throw new ChannelError('PROVIDER_REJECTED', `refund id ${refund.id} cannot be an out_refund_no`);
  return refund.id;
}

/** Fen as the JSON integer the API takes: exact, since it is checked to be a safe integer. */
function wireFen(amount: bigint): number {
  if (amount <= 0n || amount > BigInt(Number.MAX_SAFE_INTEGER)) throw new ChannelError('PROVIDER_REJECTED', `${amount} fen is out of range`);
  return Number(amount);
}

/** Faults that say nothing about the payment: no trustworthy answer, or our own credentials refused. */
function channelError(error: WechatPayError): ChannelError {
  if (error.status === 0 || error.status >= 500 || error.status === 429) {
    return new ChannelError('PROVIDER_UNAVAILABLE', error.message);
  }
  return new ChannelError('PROVIDER_REJECTED', error.message);
}

function isBusinessRefusal(error: unknown): error is WechatPayError {
  return error instanceof WechatPayError && error.status >= 400 && error.status < 500 && ![401, 429].includes(error.status) && error.code !== 'NO_AUTH';
}

async function call<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw error instanceof WechatPayError ? channelError(error) : error;
  }
}

/** WECHAT_PAY payments: Native orders (a QR code the payer scans) through WeChat Pay API v3. */
export class WechatPayChannel implements ChannelConnector {
  private readonly client: WechatPayClient;

  constructor(private readonly options: WechatPayChannelOptions) {
    this.client = options.client;
  }

  async confirm(payment: Payment): Promise<AuthorizationOutcome> {
    // Native payments are captured when the payer pays: an authorization held for a later capture does not exist
    if (payment.captureMethod === 'MANUAL') return declined('PROVIDER_DECLINED', null, 'captureMethod MANUAL is not offered');
    const body = {
      appid: this.options.appid,
      mchid: this.client.mchid,
      description: (payment.description ?? `Payment ${payment.id}`).slice(0, 127),
      out_trade_no: outTradeNo(payment),
      notify_url: this.options.callbackUrl(),
      amount: { total: wireFen(payment.amount), currency: payment.currency },
      // WeChat Pay itself refuses to take the payment after our expiry, so that a late payer cannot pay an order we close
      ...(payment.expiresAt ? { time_expire: toWechatTime(payment.expiresAt) } : {}),
    };
    try {
      const order = await this.client.call('POST', '/v3/pay/transactions/native', nativeOrderSchema, body);
      // WeChat Pay assigns the transaction_id only when the payer pays: no provider reference yet.
      return { kind: 'requires_action', providerReference: null, nextAction: { type: 'QR_CODE', url: order.code_url } };
    } catch (error) {
      if (!isBusinessRefusal(error)) throw error instanceof WechatPayError ? channelError(error) : error;
      if (error.code === 'ORDERPAID') return this.confirmedOutcome(payment);
      if (error.code === 'ORDER_CLOSED') return declined('PAYMENT_EXPIRED', null);
      return declined('PROVIDER_DECLINED', null, error.code);
    }
  }

  async query(payment: Payment): Promise<PaymentQueryResult> {
    const path = `/v3/pay/transactions/out-trade-no/${encodeURIComponent(outTradeNo(payment))}?mchid=${encodeURIComponent(this.client.mchid)}`;
    try {
      return queryResultOf(await this.client.call('GET', path, transactionSchema));
    } catch (error) {
      if (error instanceof WechatPayError && error.status === 404) return { kind: 'not_found' };
      throw error instanceof WechatPayError ? channelError(error) : error;
    }
  }

  capture(): Promise<void> {
    return Promise.reject(new ChannelError('PROVIDER_INVALID_STATE', 'WeChat Pay captures a Native payment when the payer pays'));
  }

  /** Closes the unpaid order so that its QR code can no longer be paid; closing twice, or an order never placed, is done. */
  async cancel(payment: Payment): Promise<void> {
    const path = `/v3/pay/transactions/out-trade-no/${encodeURIComponent(outTradeNo(payment))}/close`;
    try {
      await this.client.call('POST', path, z.undefined(), { mchid: this.client.mchid });
    } catch (error) {
      if (error instanceof WechatPayError && error.status === 404) return;
      if (error instanceof WechatPayError && error.code === 'ORDERPAID') {
        throw new ChannelError('PROVIDER_INVALID_STATE', 'the WeChat Pay order is already paid');
      }
      throw error instanceof WechatPayError ? channelError(error) : error;
    }
  }

  /** Usually PROCESSING (PENDING here): the result arrives as a REFUND.* notification, or by queryRefund. */
  async refund(payment: Payment, refund: Refund): Promise<RefundOutcome> {
    const body = {
      out_trade_no: outTradeNo(payment),
      out_refund_no: outRefundNo(refund),
      ...(refund.reason ? { reason: refund.reason.slice(0, 80) } : {}),
      notify_url: this.options.callbackUrl(),
      amount: { refund: wireFen(refund.amount), total: wireFen(payment.amount), currency: payment.currency },
    };
    try {
      const answer = await this.client.call('POST', '/v3/refund/domestic/refunds', refundSchema, body);
      return refundOutcomeOf(answer.status, answer.refund_id);
    } catch (error) {
      // the provider refused this refund for good (over the amount, over 50 refunds, balance, …): nothing was refunded
      if (isBusinessRefusal(error)) return { status: 'FAILED', providerReference: null, failureCode: 'REFUND_REJECTED' };
      throw error instanceof WechatPayError ? channelError(error) : error;
    }
  }

  async queryRefund(payment: Payment, refund: Refund): Promise<RefundOutcome> {
    try {
      const answer = await this.client.call('GET', `/v3/refund/domestic/refunds/${encodeURIComponent(outRefundNo(refund))}`, refundSchema);
      return refundOutcomeOf(answer.status, answer.refund_id);
    } catch (error) {
      // WeChat Pay never received the request (lost on its way): asked again with the same out_refund_no, it refunds once
      if (error instanceof WechatPayError && error.status === 404 && error.code === 'RESOURCE_NOT_EXISTS') return this.refund(payment, refund);
      throw error instanceof WechatPayError ? channelError(error) : error;
    }
  }

  /** The ALL trade bill of a day in China time; a day without trades has no bill (NO_STATEMENT_EXIST) and no lines. */
  async fetchStatement(date: string): Promise<StatementLine[]> {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) throw new ChannelError('PROVIDER_REJECTED', `${date} is not a YYYY-MM-DD date`);
    let bill: z.infer<typeof tradeBillSchema>;
    try {
      bill = await this.client.call('GET', `/v3/bill/tradebill?bill_date=${date}&bill_type=ALL`, tradeBillSchema);
    } catch (error) {
      if (error instanceof WechatPayError && error.code === 'NO_STATEMENT_EXIST') return [];
      throw error instanceof WechatPayError ? channelError(error) : error;
    }
    const file = await call(() => this.client.download(bill.download_url, bill.hash_value));
    try {
      return parseTradeBill(file);
    } catch (error) {
      if (error instanceof BillFormatError) throw new ChannelError('PROVIDER_UNAVAILABLE', `WeChat Pay trade bill of ${date}: ${error.message}`);
      throw error;
    }
  }

  /** Sandbox: the simulator's payer scans the QR code and pays (APPROVE) or has the payment fail (DECLINE). */
  async sandboxPayerAction(payment: Payment, outcome: 'APPROVE' | 'DECLINE'): Promise<void> {
    const codeUrl = payment.nextAction?.type === 'QR_CODE' ? payment.nextAction.url : undefined;
    if (!codeUrl) throw new ChannelError('PROVIDER_INVALID_STATE', 'the payment has no QR code to scan');
    let status: number;
    try {
      const answer = await httpRequest(`${this.client.baseUrl}/sandbox/payer`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
        body: JSON.stringify({ code_url: codeUrl, outcome }),
        timeoutMs: 10_000,
      });
      status = answer.status;
    } catch (cause) {
      throw new ChannelError('PROVIDER_UNAVAILABLE', `WeChat Pay sandbox unreachable: ${String(cause)}`);
    }
    if (status === 404 || status === 409) throw new ChannelError('PROVIDER_INVALID_STATE', 'the WeChat Pay order cannot be paid now');
    if (status !== 200) throw new ChannelError('PROVIDER_UNAVAILABLE', `WeChat Pay sandbox answered ${status}`);
  }

  parseCallback(rawBody: Buffer, headers: Record<string, string | undefined>): Promise<ProviderCallback | null> {
    const keys = { mchid: this.client.mchid, platform: this.options.platform, apiV3Key: this.options.apiV3Key };
    return Promise.resolve(parseNotification(keys, rawBody, headers, this.options.nowSeconds?.()));
  }

  /** API v3: 204 without a body on success; otherwise a 4xx with {code, message}, and WeChat Pay delivers again. */
  callbackAnswer(accepted: boolean): CallbackAnswer {
    return accepted
      ? { status: 204, contentType: 'application/json', body: '' }
      : { status: 401, contentType: 'application/json', body: JSON.stringify({ code: 'FAIL', message: 'notification not accepted' }) };
  }

  private async confirmedOutcome(payment: Payment): Promise<AuthorizationOutcome> {
    const result = await this.query(payment);
    if (result.kind === 'pending' || result.kind === 'closed' || result.kind === 'not_found') {
      throw new ChannelError('PROVIDER_INVALID_STATE', `WeChat Pay said the order was paid, then ${result.kind}`);
    }
    return result;
  }
}
