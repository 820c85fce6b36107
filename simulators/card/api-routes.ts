import { createHash, timingSafeEqual } from 'node:crypto';
import express, { Router, type RequestHandler } from 'express';
import { captureAuthorization, createAuthorization, getAuthorization, voidAuthorization } from './authorizations.js';
import { idempotent } from './idempotency.js';
import { createRefund } from './refunds.js';
import { providerError, send } from './reply.js';
import { settlementReport } from './settlement-routes.js';
import type { SimulatorState } from './state.js';

function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}

function requireApiKey(apiKey: string): RequestHandler {
  const expected = digest(`Bearer ${apiKey}`);
  return (req, res, next) => {
    const given = req.get('Authorization');
    if (given !== undefined && timingSafeEqual(digest(given), expected)) return next();
    send(res, providerError(401, 'authentication_error'));
  };
}

/** The acquirer API under /v1: authenticated by API key, checked before the body is even read. */
export function apiRoutes(state: SimulatorState, apiKey: string): Router {
  const router = Router();
  router.use(requireApiKey(apiKey), express.json(), (_req, _res, next) => {
    if (state.latencyMs === 0) return next();
    setTimeout(next, state.latencyMs);
  });
  router.post('/authorizations', idempotent(state.idempotency, (req) => createAuthorization(state, req.body)));
  router.get('/authorizations/:id', (req, res) => send(res, getAuthorization(state, req.params.id)));
  router.post('/authorizations/:id/capture', (req, res) => send(res, captureAuthorization(state, req.params.id, req.body)));
  router.post('/authorizations/:id/void', (req, res) => send(res, voidAuthorization(state, req.params.id)));
  router.post('/refunds', idempotent(state.idempotency, (req) => createRefund(state, req.body)));
  router.get('/settlement-reports/:date', settlementReport(state));
  return router;
}
