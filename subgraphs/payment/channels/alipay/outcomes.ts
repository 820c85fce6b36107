import { ChannelError, type AuthorizationOutcome, type PaymentQueryResult, type RefundOutcome } from '../channel.js';
import { BUSINESS_FAILURE, gatewayError, SUCCESS, UNKNOWN, type AlipayAnswer } from './client.js';

/** Alipay's answers in our terms; docs/channels.md has the table. */

const PRECREATE = 'alipay.trade.precreate';
const QUERY = 'alipay.trade.query';
const REFUND = 'alipay.trade.refund';

function text(answer: AlipayAnswer, field: string): string | null {
  const value = answer[field];
  return typeof value === 'string' && value !== '' ? value : null;
}

function refusal(answer: AlipayAnswer): string {
  return `${answer.sub_code ?? answer.code}: ${answer.sub_msg ?? answer.msg}`;
}

/** trade.precreate: the QR code's content, or a refusal of the order (PROVIDER_DECLINED). */
export function precreateOutcome(answer: AlipayAnswer): AuthorizationOutcome {
  if (answer.code === SUCCESS) {
    const qrCode = text(answer, 'qr_code');
    if (!qrCode) throw new ChannelError('PROVIDER_UNAVAILABLE', `${PRECREATE}: a success without qr_code`);
    return { kind: 'requires_action', providerReference: null, nextAction: { type: 'QR_CODE', url: qrCode } };
  }
  if (answer.code === BUSINESS_FAILURE && answer.sub_code !== 'ACQ.SYSTEM_ERROR') {
    return { kind: 'declined', providerReference: null, failureCode: 'PROVIDER_DECLINED', failureMessage: `Alipay refused the order (${refusal(answer)})` };
  }
  throw gatewayError(PRECREATE, answer);
}

/** trade.query: the trade's status; a QR code nobody scanned yet is no trade at all (ACQ.TRADE_NOT_EXIST). */
export function queryResult(answer: AlipayAnswer, expectedAmount: string): PaymentQueryResult {
  if (answer.code === BUSINESS_FAILURE && answer.sub_code === 'ACQ.TRADE_NOT_EXIST') return { kind: 'not_found' };
  if (answer.code !== SUCCESS) throw gatewayError(QUERY, answer);
  const providerReference = text(answer, 'trade_no');
  if (text(answer, 'total_amount') !== expectedAmount) {
    throw new ChannelError('PROVIDER_REJECTED', `${QUERY}: the trade's amount ${String(answer['total_amount'])} is not the payment's ${expectedAmount}`);
  }
  switch (text(answer, 'trade_status')) {
    case 'WAIT_BUYER_PAY':
      return { kind: 'pending', providerReference };
    case 'TRADE_SUCCESS':
    case 'TRADE_FINISHED':
      if (!providerReference) throw new ChannelError('PROVIDER_UNAVAILABLE', `${QUERY}: a paid trade without trade_no`);
      return { kind: 'captured', providerReference };
    case 'TRADE_CLOSED':
      return { kind: 'closed', providerReference };
    default:
      throw new ChannelError('PROVIDER_UNAVAILABLE', `${QUERY}: unknown trade_status ${String(answer['trade_status'])}`);
  }
}

/**
 * trade.close: closed, or nothing to close (an unscanned QR code has no trade; Alipay expires it at
 * time_expire); 'not_waiting' when the trade no longer waits for the payer (Alipay closes only those):
 * paid, or closed already.
 */
export function closeOutcome(answer: AlipayAnswer): 'closed' | 'not_waiting' {
  if (answer.code === SUCCESS) return 'closed';
  if (answer.code === BUSINESS_FAILURE && answer.sub_code === 'ACQ.TRADE_NOT_EXIST') return 'closed';
  if (answer.code === BUSINESS_FAILURE && answer.sub_code === 'ACQ.TRADE_STATUS_ERROR') return 'not_waiting';
  throw gatewayError('alipay.trade.close', answer);
}

const pending: RefundOutcome = { status: 'PENDING', providerReference: null, failureCode: null };

/**
 * trade.refund: fund_change Y is a refund done now; N (a repeated out_request_no) and an unknown outcome
 * (20000, ACQ.SYSTEM_ERROR) leave it PENDING until the refund query says; a business refusal is REFUND_REJECTED.
 */
export function refundOutcome(answer: AlipayAnswer): RefundOutcome {
  if (answer.code === SUCCESS) {
    return answer['fund_change'] === 'Y' ? { status: 'SUCCEEDED', providerReference: text(answer, 'trade_no'), failureCode: null } : pending;
  }
  if (answer.code === UNKNOWN || answer.sub_code === 'ACQ.SYSTEM_ERROR') return pending;
  if (answer.code === BUSINESS_FAILURE) return { status: 'FAILED', providerReference: null, failureCode: 'REFUND_REJECTED' };
  throw gatewayError(REFUND, answer);
}

/**
 * trade.fastpay.refund.query: a refund found with refund_status REFUND_SUCCESS (or none, on older accounts)
 * succeeded; 'absent' means Alipay has no such refund, and Alipay's rule is to send it again with the
 * same out_request_no.
 */
export function refundQueryOutcome(answer: AlipayAnswer): RefundOutcome | 'absent' {
  if (answer.code === UNKNOWN || answer.sub_code === 'ACQ.SYSTEM_ERROR') return pending;
  if (answer.code !== SUCCESS) throw gatewayError('alipay.trade.fastpay.refund.query', answer);
  const status = text(answer, 'refund_status');
  if (!text(answer, 'refund_amount') || (status !== null && status !== 'REFUND_SUCCESS')) return 'absent';
  return { status: 'SUCCEEDED', providerReference: text(answer, 'trade_no'), failureCode: null };
}
