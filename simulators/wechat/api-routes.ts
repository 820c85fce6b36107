import express, { Router } from 'express';
import { rawBodyOf, requireMerchantSignature } from './authentication.js';
import { applyTradeBill, downloadBill } from './bills.js';
import { closeOrder, createNativeOrder, queryOrder } from './orders.js';
import { createRefund, queryRefund } from './refunds.js';
import { paramError, sendSigned, type Reply } from './reply.js';
import { closeRequest, jsonOf, parseRequest } from './request-schemas.js';
import type { SimulatorState } from './state.js';

/** API v3 under /v3: the merchant's signature is checked on the raw body before anything is read. */
export function apiRoutes(state: SimulatorState): Router {
  const router = Router();
  router.use(express.raw({ type: () => true, limit: '64kb' }), requireMerchantSignature(state));
  const json = (handle: (body: unknown, params: Record<string, string>) => Reply): express.RequestHandler => (req, res) => {
    const body = jsonOf(rawBodyOf(req.body));
    sendSigned(res, state.keys.platform, body === undefined ? paramError('the body is not JSON') : handle(body, req.params as Record<string, string>));
  };
  router.post('/pay/transactions/native', json((body) => createNativeOrder(state, body)));
  router.get('/pay/transactions/out-trade-no/:outTradeNo', (req, res) =>
    sendSigned(res, state.keys.platform, queryOrder(state, req.params.outTradeNo, req.query['mchid'])),
  );
  router.post('/pay/transactions/out-trade-no/:outTradeNo/close', json((body, params) => {
    const parsed = parseRequest(closeRequest, body);
    return 'refusal' in parsed ? parsed.refusal : closeOrder(state, params['outTradeNo']!, parsed.data.mchid);
  }));
  router.post('/refund/domestic/refunds', json((body) => createRefund(state, body)));
  router.get('/refund/domestic/refunds/:outRefundNo', (req, res) => sendSigned(res, state.keys.platform, queryRefund(state, req.params.outRefundNo)));
  router.get('/bill/tradebill', (req, res) => sendSigned(res, state.keys.platform, applyTradeBill(state, req.query)));
  router.get('/billdownload/file', (req, res) => {
    const download = downloadBill(state, req.query['token']);
    if (download.error) return sendSigned(res, state.keys.platform, download.error);
    res.status(200).type('application/octet-stream').send(download.file);
  });
  return router;
}
