import { randomBytes } from 'node:crypto';
import { refused, success, type Answer } from './answer.js';
import { chinaTime, parseChinaTime, parseYuan, yuan } from './china-time.js';
import { notifyTrade } from './notifier.js';
import { findTrade, type SimulatorState, type TradeRecord } from './state.js';

/** alipay.trade.precreate: an order and its QR code. The same out_trade_no again gives the same code while unpaid. */
export function precreate(state: SimulatorState, biz: Record<string, unknown>, common: Record<string, string>): Answer {
  const outTradeNo = biz['out_trade_no'];
  const amount = parseYuan(biz['total_amount']);
  const subject = biz['subject'];
  if (typeof outTradeNo !== 'string' || !/^[A-Za-z0-9_]{1,64}$/.test(outTradeNo)) return refused('ACQ.INVALID_PARAMETER', 'out_trade_no 无效');
  if (amount === null) return refused('ACQ.INVALID_PARAMETER', 'total_amount 无效');
  if (typeof subject !== 'string' || subject === '' || /[/=&]/.test(subject)) return refused('ACQ.INVALID_PARAMETER', 'subject 无效');
  const timeExpire = biz['time_expire'] === undefined ? null : parseChinaTime(biz['time_expire']);
  if (biz['time_expire'] !== undefined && !timeExpire) return refused('ACQ.INVALID_PARAMETER', 'time_expire 无效');
  const existing = state.trades.get(outTradeNo);
  if (existing) {
    expireIfDue(state, existing);
    if (existing.status === 'TRADE_SUCCESS' || existing.status === 'TRADE_FINISHED') return refused('ACQ.TRADE_HAS_SUCCESS', '交易已被支付');
    if (existing.status === 'TRADE_CLOSED') return refused('ACQ.TRADE_HAS_CLOSE', '交易已经关闭');
    if (existing.totalAmount !== amount) return refused('ACQ.CONTEXT_INCONSISTENT', '交易信息被篡改');
    return success({ out_trade_no: outTradeNo, qr_code: existing.qrCode });
  }
  const trade: TradeRecord = {
    outTradeNo,
    tradeNo: null,
    totalAmount: amount,
    subject,
    status: 'WAIT_BUYER_PAY',
    qrCode: `https://qr.alipay.com/bax0${randomBytes(10).toString('hex')}`,
    notifyUrl: common['notify_url'] ?? null,
    timeExpire,
    createdAt: new Date(),
    paidAt: null,
    closedAt: null,
    buyerId: null,
    refunds: new Map(),
    refunded: 0n,
  };
  state.trades.set(outTradeNo, trade);
  return success({ out_trade_no: outTradeNo, qr_code: trade.qrCode });
}

/** An order nobody has scanned is no trade yet: Alipay answers ACQ.TRADE_NOT_EXIST for it. */
function scannedTrade(state: SimulatorState, biz: Record<string, unknown>): TradeRecord | undefined {
  const trade = findTrade(state, biz);
  if (trade) expireIfDue(state, trade);
  return trade?.tradeNo ? trade : undefined;
}

export function queryTrade(state: SimulatorState, biz: Record<string, unknown>): Answer {
  const trade = scannedTrade(state, biz);
  if (!trade) return refused('ACQ.TRADE_NOT_EXIST', '交易不存在');
  return success({
    trade_no: trade.tradeNo,
    out_trade_no: trade.outTradeNo,
    buyer_logon_id: 'buy***@example.com',
    trade_status: trade.status,
    total_amount: yuan(trade.totalAmount),
    ...(trade.paidAt ? { send_pay_date: chinaTime(trade.paidAt), receipt_amount: yuan(trade.totalAmount) } : {}),
    buyer_user_id: trade.buyerId,
  });
}

/**
 * alipay.trade.close: only a scanned trade waiting for the payer closes (a paid or closed one is
 * ACQ.TRADE_STATUS_ERROR, as Alipay answers); an unscanned QR code stays payable until time_expire.
 */
export function closeTrade(state: SimulatorState, biz: Record<string, unknown>): Answer {
  const trade = scannedTrade(state, biz);
  if (!trade) return refused('ACQ.TRADE_NOT_EXIST', '交易不存在');
  if (trade.status !== 'WAIT_BUYER_PAY') return refused('ACQ.TRADE_STATUS_ERROR', '交易状态不合法');
  trade.status = 'TRADE_CLOSED';
  trade.closedAt = new Date();
  state.closes.push({ outTradeNo: trade.outTradeNo, tradeNo: trade.tradeNo, at: trade.closedAt });
  return success({ trade_no: trade.tradeNo, out_trade_no: trade.outTradeNo });
}

/** An unpaid order past its time_expire closes; a scanned one tells the merchant (TRADE_CLOSED). */
export function expireIfDue(state: SimulatorState, trade: TradeRecord, now = new Date()): void {
  if (trade.status !== 'WAIT_BUYER_PAY' || !trade.timeExpire || trade.timeExpire > now) return;
  trade.status = 'TRADE_CLOSED';
  trade.closedAt = now;
  if (trade.tradeNo) void notifyTrade(state, trade, {});
}
