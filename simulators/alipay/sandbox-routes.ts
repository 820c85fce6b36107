import express, { Router } from 'express';
import { z } from 'zod';
import { chinaDate } from './china-time.js';
import { notifyTrade } from './notifier.js';
import { phantomTrade } from './bills.js';
import { digits, newTradeNo, type BillCorruption, type SimulatorState } from './state.js';
import { expireIfDue } from './trades.js';

const payerRequest = z.object({ out_trade_no: z.string().min(1), outcome: z.enum(['APPROVE', 'DECLINE']) });
const faultsRequest = z.object({ loseNotifications: z.boolean().optional(), uncertainRefunds: z.boolean().optional(), lostRefundRequests: z.boolean().optional() });
const corruptionRequest = z.object({
  date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  kind: z.enum(['DROP', 'ADD', 'AMOUNT', 'STATUS', 'DUPLICATE']),
  outTradeNo: z.string().min(1).optional(),
  outRequestNo: z.string().min(1).optional(),
});

/**
 * The sandbox's controls, no signature (they stand for the payer's phone and for test fixtures):
 * the payer scans the QR code and pays or declines; faults (lost notifications, refunds answered
 * "unknown", refund requests lost); the log of notifications (signed bodies, sent or lost); bills made wrong on purpose.
 * GET /sandbox/effects (effects.ts) lists what Alipay did: trades, refunds, closes.
 */
export function sandboxRoutes(state: SimulatorState): Router {
  const router = Router();
  router.use('/sandbox', express.json());

  router.post('/sandbox/payer', async (req, res) => {
    const parsed = payerRequest.safeParse(req.body);
    if (!parsed.success) return void res.status(400).json({ error: 'out_trade_no and outcome (APPROVE or DECLINE) are required' });
    const trade = state.trades.get(parsed.data.out_trade_no);
    if (!trade) return void res.status(404).json({ error: 'no such order' });
    expireIfDue(state, trade);
    if (trade.status !== 'WAIT_BUYER_PAY') return void res.status(409).json({ error: `the order is ${trade.status}` });
    const now = new Date();
    trade.tradeNo ??= newTradeNo(chinaDate(now));
    trade.buyerId ??= `2088${digits(12)}`;
    if (parsed.data.outcome === 'APPROVE') {
      trade.status = 'TRADE_SUCCESS';
      trade.paidAt = now;
    } else {
      trade.status = 'TRADE_CLOSED';
      trade.closedAt = now;
    }
    const delivered = await notifyTrade(state, trade, {});
    res.json({ delivered, trade_no: trade.tradeNo, trade_status: trade.status });
  });

  router.post('/sandbox/faults', (req, res) => {
    const parsed = faultsRequest.safeParse(req.body);
    if (!parsed.success) return void res.status(400).json({ error: 'loseNotifications, uncertainRefunds and lostRefundRequests are booleans' });
    Object.assign(state.faults, parsed.data);
    res.json(state.faults);
  });

  router.get('/sandbox/notifications', (req, res) => {
    const outTradeNo = typeof req.query['out_trade_no'] === 'string' ? req.query['out_trade_no'] : null;
    res.json(state.notifications.filter((record) => outTradeNo === null || record.outTradeNo === outTradeNo));
  });

  router.post('/sandbox/bill-corruptions', (req, res) => {
    const parsed = corruptionRequest.safeParse(req.body);
    if (!parsed.success) return void res.status(400).json({ error: 'date (YYYY-MM-DD) and kind (DROP, ADD, AMOUNT, STATUS, DUPLICATE) are required' });
    const { date, kind, outTradeNo, outRequestNo } = parsed.data;
    const list = state.billCorruptions.get(date) ?? [];
    const corruption: BillCorruption = { kind, outTradeNo: outTradeNo ?? null, outRequestNo: outRequestNo ?? null };
    if (kind === 'ADD') corruption.added = phantomTrade(date, corruption.outTradeNo);
    list.push(corruption);
    state.billCorruptions.set(date, list);
    res.json({ date, corruptions: list });
  });

  router.delete('/sandbox/bill-corruptions', (req, res) => {
    const date = typeof req.query['date'] === 'string' ? req.query['date'] : null;
    if (date) state.billCorruptions.delete(date);
    else state.billCorruptions.clear();
    res.status(204).end();
  });
  return router;
}
