import { Router } from 'express';
import { yuan } from './china-time.js';
import type { SimulatorState } from './state.js';

/**
 * GET /sandbox/effects[?out_trade_no=] (no signature): every money effect Alipay performed, so that a
 * test can count them: the trades and whether they were paid, the refunds per out_request_no, and the
 * closes by alipay.trade.close. Amounts in yuan, as Alipay writes them.
 */
export function effectRoutes(state: SimulatorState): Router {
  const router = Router();
  router.get('/sandbox/effects', (req, res) => {
    const only = typeof req.query['out_trade_no'] === 'string' ? req.query['out_trade_no'] : null;
    const trades = [...state.trades.values()].filter((trade) => only === null || trade.outTradeNo === only);
    res.json({
      trades: trades.map(({ outTradeNo, tradeNo, totalAmount, status, paidAt, closedAt }) => ({
        outTradeNo, tradeNo, totalAmount: yuan(totalAmount), status, paidAt, closedAt,
      })),
      refunds: trades.flatMap(({ outTradeNo, tradeNo, refunds }) =>
        [...refunds.values()].map(({ outRequestNo, amount, refundedAt }) => ({ outTradeNo, tradeNo, outRequestNo, refundAmount: yuan(amount), at: refundedAt })),
      ),
      closes: state.closes.filter((close) => only === null || close.outTradeNo === only),
    });
  });
  return router;
}
