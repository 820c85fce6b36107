import { Router } from 'express';
import type { SimulatorState } from './state.js';

/**
 * GET /sandbox/effects[?out_trade_no=] (no signature): every money effect WeChat Pay performed, so that
 * a test can count them: the orders and whether they were paid, the refunds per out_refund_no, and the
 * closes by the close API. Amounts in fen, as WeChat Pay writes them.
 */
export function effectRoutes(state: SimulatorState): Router {
  const router = Router();
  router.get('/effects', (req, res) => {
    const only = typeof req.query['out_trade_no'] === 'string' ? req.query['out_trade_no'] : null;
    const mine = (outTradeNo: string) => only === null || outTradeNo === only;
    res.json({
      orders: [...state.orders.values()].filter((order) => mine(order.outTradeNo)).map((order) => ({
        outTradeNo: order.outTradeNo, transactionId: order.transactionId, total: Number(order.total), currency: order.currency,
        tradeState: order.tradeState, successAt: order.successAt,
      })),
      refunds: [...state.refunds.values()].filter((refund) => mine(refund.outTradeNo)).map((refund) => ({
        outTradeNo: refund.outTradeNo, outRefundNo: refund.outRefundNo, refundId: refund.refundId, amount: Number(refund.amount),
        status: refund.status, createdAt: refund.createdAt,
      })),
      closes: state.closes.filter((close) => mine(close.outTradeNo)),
    });
  });
  return router;
}
