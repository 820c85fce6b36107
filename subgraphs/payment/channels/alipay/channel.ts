import type { Clock } from '../../../../lib/clock.js';
import { money } from '../../../../lib/money.js';
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
import { ALIPAY_CURRENCY, toYuan } from './amounts.js';
import { AlipayClient, SUCCESS } from './client.js';
import { parseNotification } from './notification.js';
import { closeOutcome, precreateOutcome, queryResult, refundOutcome, refundQueryOutcome } from './outcomes.js';
import { downloadTradeBill } from './statement.js';
import { toAlipayTime } from './time.js';

export interface AlipayChannelOptions {
  client: AlipayClient;
  clock: Clock;
  /** where Alipay sends this payment service's notifications */
  callbackUrl: () => string;
  notifyMaxAgeMs: number;
}

/**
 * ALIPAY payments: a QR code from alipay.trade.precreate (当面付, face-to-face payment) that the payer
 * scans in the Alipay app; the result arrives as a signed asynchronous notification. Works against
 * Alipay's gateway or the sandbox simulator alike: only the gateway URL and the keys differ.
 */
export class AlipayChannel implements ChannelConnector {
  constructor(private readonly options: AlipayChannelOptions) {}

  async confirm(payment: Payment): Promise<AuthorizationOutcome> {
    const bizContent: Record<string, unknown> = {
      out_trade_no: payment.id,
      total_amount: amountOf(payment),
      subject: subject(payment),
      product_code: 'FACE_TO_FACE_PAYMENT',
    };
    // Alipay stops taking payment for the QR code when we stop waiting for it
    if (payment.expiresAt) bizContent['time_expire'] = toAlipayTime(payment.expiresAt);
    const answer = await this.options.client.call('alipay.trade.precreate', bizContent, { notify_url: this.options.callbackUrl() });
    return precreateOutcome(answer);
  }

  async query(payment: Payment): Promise<PaymentQueryResult> {
    const answer = await this.options.client.call('alipay.trade.query', { out_trade_no: payment.id });
    return queryResult(answer, amountOf(payment));
  }

  async capture(): Promise<void> {
    throw new ChannelError('PROVIDER_INVALID_STATE', 'Alipay payments are captured when the payer pays');
  }

  /** Closing again a trade closed already is done; a paid one cannot be closed. */
  async cancel(payment: Payment): Promise<void> {
    if (closeOutcome(await this.options.client.call('alipay.trade.close', { out_trade_no: payment.id })) === 'closed') return;
    if ((await this.query(payment)).kind === 'closed') return;
    throw new ChannelError('PROVIDER_INVALID_STATE', 'alipay.trade.close: the trade is no longer waiting for the payer');
  }

  /**
   * The same out_request_no refunds once: Alipay answers a repeat fund_change N, which by its rules the
   * refund query confirms, so that a refund sent again answers what the first one did.
   */
  async refund(payment: Payment, refund: Refund): Promise<RefundOutcome> {
    const answer = await this.options.client.call('alipay.trade.refund', {
      out_trade_no: payment.id,
      refund_amount: toYuan(money(refund.amount, refund.currency)),
      out_request_no: refund.id,
      ...(refund.reason ? { refund_reason: refund.reason.slice(0, 256) } : {}),
    });
    const outcome = refundOutcome(answer);
    if (answer.code !== SUCCESS || outcome.status !== 'PENDING') return outcome;
    const confirmed = await this.askRefund(payment, refund);
    return confirmed === 'absent' ? outcome : confirmed;
  }

  /** Asks Alipay; a refund it does not know is sent again with the same out_request_no, as Alipay's rules say. */
  async queryRefund(payment: Payment, refund: Refund): Promise<RefundOutcome> {
    const outcome = await this.askRefund(payment, refund);
    return outcome === 'absent' ? this.refund(payment, refund) : outcome;
  }

  private async askRefund(payment: Payment, refund: Refund): Promise<RefundOutcome | 'absent'> {
    return refundQueryOutcome(await this.options.client.call('alipay.trade.fastpay.refund.query', { out_trade_no: payment.id, out_request_no: refund.id }));
  }

  async fetchStatement(date: string): Promise<StatementLine[]> {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) throw new ChannelError('PROVIDER_REJECTED', `a bill date is YYYY-MM-DD, not ${date}`);
    const answer = await this.options.client.call('alipay.data.dataservice.bill.downloadurl.query', { bill_type: 'trade', bill_date: date });
    const url = answer['bill_download_url'];
    if (answer.code !== SUCCESS || typeof url !== 'string') {
      throw new ChannelError('PROVIDER_REJECTED', `alipay bill of ${date}: ${answer.sub_code ?? answer.code} ${answer.sub_msg ?? answer.msg}`);
    }
    return downloadTradeBill(url);
  }

  async sandboxPayerAction(payment: Payment, outcome: 'APPROVE' | 'DECLINE'): Promise<void> {
    const url = new URL('/sandbox/payer', this.options.client.options.gatewayUrl);
    let response: Response;
    try {
      response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ app_id: this.options.client.options.appId, out_trade_no: payment.id, outcome }),
        signal: AbortSignal.timeout(30_000),
      });
    } catch {
      throw new ChannelError('PROVIDER_UNAVAILABLE', 'the Alipay sandbox cannot be reached');
    }
    // Whether its notification got through or not, the payer has acted: a lost notification is found by the recovery job.
    if (response.status === 409) throw new ChannelError('PROVIDER_INVALID_STATE', `the Alipay sandbox refused: ${await response.text()}`);
    if (!response.ok) throw new ChannelError('PROVIDER_UNAVAILABLE', `the Alipay sandbox answered ${response.status}`);
    await response.arrayBuffer();
  }

  async parseCallback(rawBody: Buffer): Promise<ProviderCallback | null> {
    const { client, clock, notifyMaxAgeMs } = this.options;
    return parseNotification(rawBody, { sdk: client.sdk, appId: client.options.appId, now: clock.now(), maxAgeMs: notifyMaxAgeMs });
  }

  /** Alipay stops sending a notification once it reads exactly `success`; anything else is sent again later. */
  callbackAnswer(accepted: boolean): CallbackAnswer {
    return accepted ? { status: 200, contentType: 'text/plain', body: 'success' } : { status: 400, contentType: 'text/plain', body: 'fail' };
  }
}

function amountOf(payment: Payment): string {
  if (payment.currency !== ALIPAY_CURRENCY) throw new ChannelError('PROVIDER_REJECTED', `Alipay takes ${ALIPAY_CURRENCY}, not ${payment.currency}`);
  return toYuan(money(payment.amount, payment.currency));
}

/** Alipay's order title: at most 256 characters, none of / = & (Alipay refuses them). */
function subject(payment: Payment): string {
  const text = (payment.description ?? '').replace(/[/=&]/g, ' ').replace(/\s+/g, ' ').trim();
  return (text || `Payment ${payment.id}`).slice(0, 256);
}
