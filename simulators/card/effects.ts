import { Router } from 'express';
import type { SimulatorState } from './state.js';

/**
 * GET /sandbox/effects[?reference=<payment reference>] (no API key): every money effect the acquirer
 * performed, so that a test can count them: authorizations made, captures, voids and refunds, in the
 * order they happened; amounts are decimal strings of minor units, as on the API.
 */
export function effectRoutes(state: SimulatorState): Router {
  const router = Router();
  router.get('/sandbox/effects', (req, res) => {
    const only = typeof req.query['reference'] === 'string' ? req.query['reference'] : null;
    const authorizations = [...state.authorizations.values()].filter((record) => only === null || record.reference === only);
    const byId = new Map(authorizations.map((record) => [record.id, record]));
    res.json({
      authorizations: authorizations.map((record) => ({
        id: record.id, reference: record.reference, status: record.status, amount: record.amount.toString(), currency: record.currency,
        capturedAmount: record.capturedAmount.toString(), refundedAmount: record.refundedAmount.toString(),
      })),
      captures: state.captures.flatMap(({ authorization, amount, at }) => {
        const record = byId.get(authorization);
        return record ? [{ authorization, reference: record.reference, amount: amount.toString(), currency: record.currency, at }] : [];
      }),
      voids: state.voids.flatMap(({ authorization, at }) => {
        const record = byId.get(authorization);
        return record ? [{ authorization, reference: record.reference, at }] : [];
      }),
      refunds: state.refunds.flatMap((refund) => {
        const record = byId.get(refund.authorization);
        if (!record) return [];
        const { id, authorization, reference, amount, createdAt } = refund;
        return [{ id, authorization, paymentReference: record.reference, reference, amount: amount.toString(), currency: record.currency, at: createdAt }];
      }),
    });
  });
  return router;
}
