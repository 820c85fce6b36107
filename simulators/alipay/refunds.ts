import { add, greaterThan, money } from '../../lib/money.js';
import { refused, success, unknown, type Answer } from './answer.js';
import { chinaTime, parseYuan, yuan } from './china-time.js';
import { notifyTrade } from './notifier.js';
import { findTrade, type SimulatorState } from './state.js';

/**
 * alipay.trade.refund: partial and several refunds of a paid trade, idempotent by out_request_no (the same
 * request again answers fund_change N; a different amount under it is refused). A full refund closes the
 * trade. The merchant is notified (trade_status with out_biz_no and refund_fee). With the uncertainRefunds
 * fault on, the refund is made but the answer says the outcome is unknown; with lostRefundRequests, nothing
 * is made and the answer says the same.
 */
export function refundTrade(state: SimulatorState, biz: Record<string, unknown>): Answer {
  if (state.faults.lostRefundRequests) return unknown();
  const trade = findTrade(state, biz);
  if (!trade?.tradeNo) return refused('ACQ.TRADE_NOT_EXIST', '交易不存在');
  const amount = parseYuan(biz['refund_amount']);
  if (amount === null) return refused('ACQ.INVALID_PARAMETER', 'refund_amount 无效');
  const outRequestNo = typeof biz['out_request_no'] === 'string' ? biz['out_request_no'] : trade.outTradeNo;
  const previous = trade.refunds.get(outRequestNo);
  const answer = () =>
    success({
      trade_no: trade.tradeNo,
      out_trade_no: trade.outTradeNo,
      buyer_logon_id: 'buy***@example.com',
      fund_change: previous ? 'N' : 'Y',
      refund_fee: yuan(trade.refunded),
      gmt_refund_pay: chinaTime(trade.refunds.get(outRequestNo)!.refundedAt),
    });
  if (previous) return previous.amount === amount ? answer() : refused('ACQ.DISCORDANT_REPEAT_REQUEST', '请求信息不一致');
  if (trade.status !== 'TRADE_SUCCESS') return refused('ACQ.TRADE_STATUS_ERROR', '交易状态不合法');
  const cny = (fen: bigint) => money(fen, 'CNY');
  if (greaterThan(add(cny(trade.refunded), cny(amount)), cny(trade.totalAmount))) return refused('ACQ.REFUND_AMT_NOT_EQUAL_TOTAL', '退款金额超限');

  const refundedAt = new Date();
  trade.refunds.set(outRequestNo, { outRequestNo, amount, refundedAt });
  trade.refunded = add(cny(trade.refunded), cny(amount)).minor;
  if (trade.refunded === trade.totalAmount) {
    trade.status = 'TRADE_CLOSED';
    trade.closedAt = refundedAt;
  }
  void notifyTrade(state, trade, { out_biz_no: outRequestNo, refund_fee: yuan(trade.refunded), gmt_refund: chinaTime(refundedAt) });
  return state.faults.uncertainRefunds ? unknown() : answer();
}

/** alipay.trade.fastpay.refund.query: a refund Alipay made, or a success with no refund fields when it made none. */
export function queryRefund(state: SimulatorState, biz: Record<string, unknown>): Answer {
  const trade = findTrade(state, biz);
  if (!trade?.tradeNo) return refused('ACQ.TRADE_NOT_EXIST', '交易不存在');
  const outRequestNo = typeof biz['out_request_no'] === 'string' ? biz['out_request_no'] : '';
  const refund = trade.refunds.get(outRequestNo);
  if (!refund) return success({ trade_no: trade.tradeNo, out_trade_no: trade.outTradeNo });
  return success({
    trade_no: trade.tradeNo,
    out_trade_no: trade.outTradeNo,
    out_request_no: outRequestNo,
    total_amount: yuan(trade.totalAmount),
    refund_amount: yuan(refund.amount),
    refund_status: 'REFUND_SUCCESS',
    gmt_refund_pay: chinaTime(refund.refundedAt),
  });
}
