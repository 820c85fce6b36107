import { invalidRequest, refusal, type Reply } from './reply.js';
import { nativeOrderRequest, parseRequest } from './request-schemas.js';
import { chinaTime, randomBase62, randomDigits, type OrderRecord, type SimulatorState } from './state.js';

const orderNotFound = (): Reply => refusal(404, 'ORDER_NOT_EXIST', '订单不存在');

/** The order as the query API answers it (and TRANSACTION notifications carry it). */
export function transactionToWire(state: SimulatorState, order: OrderRecord) {
  const paid = order.transactionId !== null;
  return {
    appid: order.appid,
    mchid: state.keys.mchid,
    out_trade_no: order.outTradeNo,
    ...(paid ? { transaction_id: order.transactionId } : {}),
    trade_type: 'NATIVE',
    trade_state: order.tradeState,
    trade_state_desc: order.tradeStateDesc,
    ...(order.successAt ? { bank_type: 'OTHERS', success_time: chinaTime(order.successAt), payer: { openid: order.openid } } : {}),
    amount: {
      total: Number(order.total),
      currency: order.currency,
      ...(order.successAt ? { payer_total: Number(order.total), payer_currency: order.currency } : {}),
    },
  };
}

/**
 * Native order: a code_url to show as a QR code. Placing the same out_trade_no again with the same content
 * returns the same code_url while it is unpaid; anything else about a known out_trade_no is refused.
 */
export function createNativeOrder(state: SimulatorState, body: unknown): Reply {
  const parsed = parseRequest(nativeOrderRequest, body);
  if ('refusal' in parsed) return parsed.refusal;
  const request = parsed.data;
  if (request.mchid !== state.keys.mchid) return invalidRequest('mchid 与请求的商户号不一致');
  if (request.appid !== state.keys.appid) return invalidRequest('appid 与 mchid 不匹配');
  const total = BigInt(request.amount.total);
  const existing = state.orders.get(request.out_trade_no);
  if (existing) {
    if (existing.tradeState === 'CLOSED') return refusal(400, 'ORDER_CLOSED', '订单已关闭');
    if (existing.tradeState !== 'NOTPAY') return refusal(403, 'ORDERPAID', '订单已支付');
    if (existing.total !== total || existing.description !== request.description) return refusal(403, 'OUT_TRADE_NO_USED', '商户订单号重复');
    return { status: 200, body: { code_url: existing.codeUrl } };
  }
  const order: OrderRecord = {
    outTradeNo: request.out_trade_no,
    appid: request.appid,
    description: request.description,
    notifyUrl: request.notify_url,
    total,
    currency: request.amount.currency,
    codeUrl: `weixin://wxpay/bizpayurl?pr=${randomBase62(9)}`,
    timeExpire: request.time_expire === undefined ? null : new Date(request.time_expire),
    tradeState: 'NOTPAY',
    tradeStateDesc: '订单未支付',
    transactionId: null,
    openid: null,
    createdAt: new Date(),
    successAt: null,
  };
  state.orders.set(order.outTradeNo, order);
  return { status: 200, body: { code_url: order.codeUrl } };
}

export function queryOrder(state: SimulatorState, outTradeNo: string, mchid: unknown): Reply {
  if (mchid !== state.keys.mchid) return invalidRequest('mchid 与请求的商户号不一致');
  const order = state.orders.get(outTradeNo);
  return order ? { status: 200, body: transactionToWire(state, order) } : orderNotFound();
}

/** Close: 204, also for an order already closed; a paid order cannot be closed. */
export function closeOrder(state: SimulatorState, outTradeNo: string, mchid: string): Reply {
  if (mchid !== state.keys.mchid) return invalidRequest('mchid 与请求的商户号不一致');
  const order = state.orders.get(outTradeNo);
  if (!order) return orderNotFound();
  if (order.tradeState === 'SUCCESS' || order.tradeState === 'REFUND') return refusal(400, 'ORDERPAID', '订单已支付，不能关闭');
  if (order.tradeState !== 'CLOSED') state.closes.push({ outTradeNo, at: new Date() });
  order.tradeState = 'CLOSED';
  order.tradeStateDesc = '订单已关闭';
  return { status: 204 };
}

/** The payer scanned the code and paid: SUCCESS with a transaction_id. */
export function payOrder(order: OrderRecord): void {
  order.tradeState = 'SUCCESS';
  order.tradeStateDesc = '支付成功';
  order.transactionId = `4200${randomDigits(24)}`;
  order.openid = `o${randomBase62(27)}`;
  order.successAt = new Date();
}

/** The payer's payment failed (declined in the sandbox): PAYERROR, which WeChat Pay does not notify. */
export function failOrder(order: OrderRecord): void {
  order.tradeState = 'PAYERROR';
  order.tradeStateDesc = '支付失败，请重新下单支付';
}
