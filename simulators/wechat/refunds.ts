import { setTimeout as delay } from 'node:timers/promises';
import { add, greaterThan, money, sum } from '../../lib/money.js';
import { notify } from './notifier.js';
import { invalidRequest, refusal, type Reply } from './reply.js';
import { parseRequest, refundRequest } from './request-schemas.js';
import { chinaTime, randomDigits, type OrderRecord, type RefundRecord, type SimulatorState } from './state.js';

/** WeChat Pay's limit on partial refunds of one payment. */
export const MAX_REFUNDS_PER_ORDER = 50;

const refundNotFound = (): Reply => refusal(404, 'RESOURCE_NOT_EXISTS', '退款单不存在');

export function refundToWire(state: SimulatorState, refund: RefundRecord) {
  const order = state.orders.get(refund.outTradeNo)!;
  return {
    refund_id: refund.refundId,
    out_refund_no: refund.outRefundNo,
    transaction_id: order.transactionId,
    out_trade_no: order.outTradeNo,
    channel: 'ORIGINAL',
    user_received_account: '支付用户零钱',
    ...(refund.successAt ? { success_time: chinaTime(refund.successAt) } : {}),
    create_time: chinaTime(refund.createdAt),
    status: refund.status,
    funds_account: 'UNSETTLED',
    amount: {
      total: Number(order.total),
      refund: Number(refund.amount),
      payer_total: Number(order.total),
      payer_refund: Number(refund.amount),
      settlement_refund: Number(refund.amount),
      settlement_total: Number(order.total),
      discount_refund: 0,
      currency: order.currency,
    },
  };
}

function findOrder(state: SimulatorState, request: { transaction_id?: string | undefined; out_trade_no?: string | undefined }): OrderRecord | undefined {
  if (request.out_trade_no !== undefined) return state.orders.get(request.out_trade_no);
  return [...state.orders.values()].find((order) => order.transactionId === request.transaction_id);
}

function refundsOf(state: SimulatorState, outTradeNo: string): RefundRecord[] {
  return [...state.refunds.values()].filter((refund) => refund.outTradeNo === outTradeNo);
}

/** PROCESSING for refundSettleMs, then SUCCESS and a REFUND.SUCCESS notification. */
async function settleLater(state: SimulatorState, refund: RefundRecord): Promise<void> {
  try {
    await delay(state.refundSettleMs, undefined, { signal: state.shutdown.signal });
  } catch {
    return;
  }
  refund.status = 'SUCCESS';
  refund.successAt = new Date();
  if (!refund.notifyUrl) return;
  const order = state.orders.get(refund.outTradeNo)!;
  await notify(state, refund.notifyUrl, {
    eventType: 'REFUND.SUCCESS',
    originalType: 'refund',
    outTradeNo: order.outTradeNo,
    outRefundNo: refund.outRefundNo,
    summary: '退款成功',
    resource: {
      mchid: state.keys.mchid,
      out_trade_no: order.outTradeNo,
      transaction_id: order.transactionId,
      out_refund_no: refund.outRefundNo,
      refund_id: refund.refundId,
      refund_status: 'SUCCESS',
      success_time: chinaTime(refund.successAt),
      user_received_account: '支付用户零钱',
      amount: { total: Number(order.total), refund: Number(refund.amount), payer_total: Number(order.total), payer_refund: Number(refund.amount) },
    },
  });
}

/**
 * A refund, accepted as PROCESSING. The same out_refund_no refunds once: asked again, the existing refund is
 * answered. At most 50 refunds per order, and never more than its total.
 */
export function createRefund(state: SimulatorState, body: unknown): Reply {
  const parsed = parseRequest(refundRequest, body);
  if ('refusal' in parsed) return parsed.refusal;
  const request = parsed.data;
  const order = findOrder(state, request);
  if (!order) return refusal(404, 'RESOURCE_NOT_EXISTS', '订单不存在');
  const existing = state.refunds.get(request.out_refund_no);
  if (existing) {
    if (existing.outTradeNo !== order.outTradeNo) return invalidRequest('商户退款单号已用于其他订单');
    return { status: 200, body: refundToWire(state, existing) };
  }
  if (order.tradeState !== 'SUCCESS' && order.tradeState !== 'REFUND') return invalidRequest('订单未支付，不能退款');
  if (BigInt(request.amount.total) !== order.total) return refusal(400, 'PARAM_ERROR', 'amount.total 与订单金额不一致');
  const previous = refundsOf(state, order.outTradeNo);
  if (previous.length >= MAX_REFUNDS_PER_ORDER) return invalidRequest(`订单退款次数已达上限(${MAX_REFUNDS_PER_ORDER}次)`);
  const cny = (fen: bigint) => money(fen, 'CNY');
  const refunded = sum(previous.filter((refund) => refund.status !== 'CLOSED').map((refund) => cny(refund.amount)), 'CNY');
  const amount = BigInt(request.amount.refund);
  if (greaterThan(add(refunded, cny(amount)), cny(order.total))) return invalidRequest('申请退款金额超过订单可退金额');
  const refund: RefundRecord = {
    refundId: `5030${randomDigits(25)}`,
    outRefundNo: request.out_refund_no,
    outTradeNo: order.outTradeNo,
    amount,
    status: 'PROCESSING',
    notifyUrl: request.notify_url ?? null,
    createdAt: new Date(),
    successAt: null,
  };
  state.refunds.set(refund.outRefundNo, refund);
  order.tradeState = 'REFUND';
  order.tradeStateDesc = '转入退款';
  void settleLater(state, refund);
  return { status: 200, body: refundToWire(state, refund) };
}

export function queryRefund(state: SimulatorState, outRefundNo: string): Reply {
  const refund = state.refunds.get(outRefundNo);
  return refund ? { status: 200, body: refundToWire(state, refund) } : refundNotFound();
}
