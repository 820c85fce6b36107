import express, { Router, type Request } from 'express';
import { invalid, sendAnswer, type Answer } from './answer.js';
import { billDownloadUrl } from './bills.js';
import { refundTrade, queryRefund } from './refunds.js';
import { signContent, rsa2Verify } from './signature.js';
import type { SimulatorState } from './state.js';
import { closeTrade, precreate, queryTrade } from './trades.js';

type Handler = (state: SimulatorState, biz: Record<string, unknown>, common: Record<string, string>) => Answer;

const methods: Record<string, Handler> = {
  'alipay.trade.precreate': precreate,
  'alipay.trade.query': queryTrade,
  'alipay.trade.close': closeTrade,
  'alipay.trade.refund': refundTrade,
  'alipay.trade.fastpay.refund.query': queryRefund,
  'alipay.data.dataservice.bill.downloadurl.query': billDownloadUrl,
};

const REQUIRED = ['app_id', 'method', 'charset', 'sign_type', 'sign', 'timestamp', 'version'];

/** The request's parameters: the common ones travel in the URL, biz_content in the form body (either works). */
function parameters(req: Request): Record<string, string> | null {
  const params: Record<string, string> = {};
  const url = new URL(req.originalUrl, 'http://gateway');
  const body = new URLSearchParams(Buffer.isBuffer(req.body) ? req.body.toString('utf8') : '');
  for (const [name, value] of [...url.searchParams, ...body]) {
    if (Object.hasOwn(params, name)) return null;
    params[name] = value;
  }
  return params;
}

/** Checks what the gateway checks before any method runs, then parses biz_content. */
function admit(state: SimulatorState, params: Record<string, string>): { refusal: Answer } | { biz: Record<string, unknown> } {
  const missing = REQUIRED.filter((name) => !params[name]);
  if (missing.length > 0) return { refusal: invalid('isv.missing-parameter', `缺少参数 ${missing.join(',')}`) };
  if (params['app_id'] !== state.appId) return { refusal: invalid('isv.invalid-app-id', '无效的AppID参数') };
  if (params['sign_type'] !== 'RSA2') return { refusal: invalid('isv.invalid-signature-type', '无效的签名类型') };
  if (!/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/.test(params['timestamp']!)) {
    return { refusal: invalid('isv.invalid-timestamp', '非法的时间戳参数') };
  }
  if (!rsa2Verify(signContent(params, ['sign']), params['sign']!, state.appPublicKey)) {
    return { refusal: invalid('isv.invalid-signature', '验签出错') };
  }
  try {
    const biz: unknown = JSON.parse(params['biz_content'] ?? '{}');
    if (biz && typeof biz === 'object' && !Array.isArray(biz)) return { biz: biz as Record<string, unknown> };
  } catch {
    // answered below
  }
  return { refusal: invalid('isv.invalid-biz-content', 'biz_content 不是 JSON 对象') };
}

/** POST /gateway.do: Alipay's OpenAPI gateway (form-encoded requests signed RSA2, signed JSON answers). */
export function gatewayRoutes(state: SimulatorState): Router {
  const router = Router();
  router.post('/gateway.do', express.raw({ type: () => true, limit: '64kb' }), (req, res) => {
    const params = parameters(req);
    const method = params?.['method'] ?? 'alipay.unknown';
    if (!params) return sendAnswer(res, state, method, invalid('isv.invalid-parameter', '重复的参数'));
    const handler = methods[method];
    if (!handler) return sendAnswer(res, state, method, invalid('isv.invalid-method', '不存在的方法名'));
    const admitted = admit(state, params);
    sendAnswer(res, state, method, 'refusal' in admitted ? admitted.refusal : handler(state, admitted.biz, params));
  });
  return router;
}
