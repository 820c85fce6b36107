import express, { Router, type RequestHandler } from 'express';
import { z } from 'zod';
import { notFound, providerError, send } from './reply.js';
import { contentDigest, corruptRows, phantomCapture, renderSettlementReport, settlementRows } from './settlement-report.js';
import type { SimulatorState } from './state.js';

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/).refine((date) => new Date(`${date}T00:00:00Z`).toISOString().startsWith(date));

const corruptionRequest = z.object({
  date: isoDate,
  kind: z.enum(['DROP', 'ADD', 'AMOUNT', 'STATUS', 'DUPLICATE']),
  reference: z.string().min(1).optional(),
  refundReference: z.string().min(1).optional(),
});

/**
 * GET /v1/settlement-reports/:date (API key): the captures and refunds of that UTC day as CSV, with its
 * Content-Digest. The sandbox also serves the current day so far (an acquirer only days that are over).
 */
export function settlementReport(state: SimulatorState): RequestHandler {
  return (req, res) => {
    const date = isoDate.safeParse(req.params['date']);
    if (!date.success) return send(res, providerError(400, 'invalid_request', 'date: must be a day as YYYY-MM-DD'));
    if (date.data > new Date().toISOString().slice(0, 10)) return send(res, notFound());
    const rows = settlementRows(state, date.data);
    for (const corruption of state.settlementCorruptions.get(date.data) ?? []) corruptRows(rows, date.data, corruption);
    const body = renderSettlementReport(date.data, rows);
    res
      .status(200)
      .type('text/csv; charset=utf-8')
      .set('Content-Digest', contentDigest(body))
      .attachment(`settlement_${date.data}.csv`)
      .send(body);
  };
}

/** Sandbox controls (no API key, like the others): make a day's report wrong on purpose, or right again. */
export function settlementCorruptionRoutes(state: SimulatorState): Router {
  const router = Router();
  router.post('/sandbox/settlement-corruptions', express.json(), (req, res) => {
    const parsed = corruptionRequest.safeParse(req.body);
    if (!parsed.success) {
      return void res.status(400).json({ error: 'date (YYYY-MM-DD) and kind (DROP, ADD, AMOUNT, STATUS, DUPLICATE) are required; reference and refundReference are optional' });
    }
    const { date, kind, reference, refundReference } = parsed.data;
    const list = state.settlementCorruptions.get(date) ?? [];
    const added = kind === 'ADD' ? phantomCapture(reference ?? null) : null;
    list.push({ kind, reference: added ? null : (reference ?? null), refundReference: refundReference ?? null, added });
    state.settlementCorruptions.set(date, list);
    res.json({ date, corruptions: list });
  });
  router.delete('/sandbox/settlement-corruptions', (req, res) => {
    const date = typeof req.query['date'] === 'string' ? req.query['date'] : null;
    if (date) state.settlementCorruptions.delete(date);
    else state.settlementCorruptions.clear();
    res.status(204).end();
  });
  return router;
}
