import express, { Router } from 'express';
import { z } from 'zod';
import { notify } from './notifier.js';
import { failOrder, payOrder, transactionToWire } from './orders.js';
import { parseRequest, payerActionRequest } from './request-schemas.js';
import type { BillCorruption, SimulatorState } from './state.js';

const corruptionRequest = z.discriminatedUnion('kind', [
  z.object({ kind: z.enum(['DROP', 'DUPLICATE']), reference: z.string() }),
  z.object({ kind: z.literal('CHANGE_AMOUNT'), reference: z.string(), amount: z.int().min(0).optional() }),
  z.object({ kind: z.literal('CHANGE_STATUS'), reference: z.string(), status: z.string().optional() }),
  z.object({ kind: z.literal('ADD'), amount: z.int().min(1).optional() }),
]);

function corruptionOf(request: z.infer<typeof corruptionRequest>): BillCorruption {
  if ((request.kind === 'CHANGE_AMOUNT' || request.kind === 'ADD') && request.amount !== undefined) {
    return { ...request, amount: BigInt(request.amount) };
  }
  return request as BillCorruption;
}

/**
 * Sandbox controls, with no signature (they stand for the payer's phone and for the tester):
 * - POST /sandbox/payer {code_url, outcome}: the payer scans the QR code and pays (APPROVE: SUCCESS and a
 *   TRANSACTION.SUCCESS notification, answered after its first attempt) or the payment fails (DECLINE: PAYERROR,
 *   which WeChat Pay does not notify);
 * - GET /sandbox/notifications?out_trade_no=: every notification about an order, as sent (or lost), oldest first;
 * - POST /sandbox/notifications/lose {count}: the next notifications are lost;
 * - POST /sandbox/bills/:date/corruptions {kind, …}: that day's bill will be wrong that way; DELETE clears them;
 * - POST /sandbox/bills/:date/tamper: that day's bill downloads altered, no longer matching its hash;
 * - GET /sandbox/effects?out_trade_no= (effects.ts): what WeChat Pay did: orders, refunds, closes.
 */
export function sandboxRoutes(state: SimulatorState): Router {
  const router = Router();
  router.use(express.json());
  router.post('/payer', async (req, res) => {
    const parsed = parseRequest(payerActionRequest, req.body);
    if ('refusal' in parsed) return void res.status(400).json(parsed.refusal.body);
    const order = [...state.orders.values()].find((candidate) => candidate.codeUrl === parsed.data.code_url);
    if (!order) return void res.status(404).json({ code: 'ORDER_NOT_EXIST', message: 'no order has this code_url' });
    if (order.tradeState !== 'NOTPAY') return void res.status(409).json({ code: 'INVALID_REQUEST', message: `the order is ${order.tradeState}` });
    if (order.timeExpire && order.timeExpire <= new Date()) return void res.status(409).json({ code: 'INVALID_REQUEST', message: 'the QR code has expired' });
    if (parsed.data.outcome === 'DECLINE') {
      failOrder(order);
      return void res.json({ trade_state: order.tradeState, notified: false });
    }
    payOrder(order);
    const delivered = await notify(state, order.notifyUrl, {
      eventType: 'TRANSACTION.SUCCESS',
      originalType: 'transaction',
      outTradeNo: order.outTradeNo,
      summary: '支付成功',
      resource: transactionToWire(state, order),
    });
    res.json({ trade_state: order.tradeState, notified: delivered });
  });
  router.get('/notifications', (req, res) => {
    const outTradeNo = req.query['out_trade_no'];
    res.json(state.notifications.filter((record) => outTradeNo === undefined || record.outTradeNo === outTradeNo));
  });
  router.post('/notifications/lose', (req, res) => {
    const count = Number((req.body as { count?: unknown }).count ?? 1);
    if (!Number.isInteger(count) || count < 0 || count > 100) return void res.status(400).json({ code: 'PARAM_ERROR', message: 'count: 0 to 100' });
    state.notificationsToLose = count;
    res.json({ notificationsToLose: count });
  });
  router.post('/bills/:date/corruptions', (req, res) => {
    const parsed = corruptionRequest.safeParse(req.body);
    if (!parsed.success) return void res.status(400).json({ code: 'PARAM_ERROR', message: parsed.error.message });
    const list = state.corruptions.get(req.params.date) ?? [];
    list.push(corruptionOf(parsed.data));
    state.corruptions.set(req.params.date, list);
    res.json({ corruptions: list.length });
  });
  router.delete('/bills/:date/corruptions', (req, res) => {
    state.corruptions.delete(req.params.date);
    state.tamperedDates.delete(req.params.date);
    res.status(204).end();
  });
  router.post('/bills/:date/tamper', (req, res) => {
    state.tamperedDates.add(req.params.date);
    res.status(204).end();
  });
  return router;
}
