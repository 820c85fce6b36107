import { createHash, timingSafeEqual } from 'node:crypto';
import express, { Router, type Request, type RequestHandler } from 'express';
import { captureAuthorization, createAuthorization, findAuthorization, getAuthorization, voidAuthorization } from './authorizations.js';
import { faultyOperation } from './faults.js';
import { idempotent } from './idempotency.js';
import { createRefund, findRefund, getRefund } from './refunds.js';
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

function routeId(req: Request): string {
  return String(req.params['id']);
}

/** The acquirer API under /v1: authenticated by API key, checked before the body is even read. */
export function apiRoutes(state: SimulatorState, apiKey: string): Router {
  const router = Router();
  router.use(requireApiKey(apiKey), express.json(), (_req, _res, next) => {
    if (state.latencyMs === 0) return next();
    setTimeout(next, state.latencyMs);
  });
  const { idempotency } = state;
  router.post('/authorizations', faultyOperation(state, 'authorize', idempotent(idempotency, (req) => createAuthorization(state, req.body))));
  router.get('/authorizations', (req, res) => send(res, findAuthorization(state, req.query['reference'])));
  router.get('/authorizations/:id', (req, res) => send(res, getAuthorization(state, req.params.id)));
  router.post('/authorizations/:id/capture', faultyOperation(state, 'capture', idempotent(idempotency, (req) => captureAuthorization(state, routeId(req), req.body))));
  router.post('/authorizations/:id/void', faultyOperation(state, 'void', idempotent(idempotency, (req) => voidAuthorization(state, routeId(req)))));
  router.post('/refunds', faultyOperation(state, 'refund', idempotent(idempotency, (req) => createRefund(state, req.body))));
  router.get('/refunds', (req, res) => send(res, findRefund(state, req.query['reference'])));
  router.get('/refunds/:id', (req, res) => send(res, getRefund(state, req.params.id)));
  router.get('/settlement-reports/:date', settlementReport(state));
  return router;
}
