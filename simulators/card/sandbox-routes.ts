import express, { Router } from 'express';
import { formatAmount } from '../../lib/money.js';
import { authorizationToWire, type AuthorizationRecord } from './authorization.js';
import { captureFunds } from './captures.js';
import { invalidState, notFound, ok, send } from './reply.js';
import { parseRequest, sandboxAuthenticationRequest } from './request-schemas.js';
import type { SimulatorState } from './state.js';
import { deliverAuthorizationUpdated } from './webhook-sender.js';

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** The payer's challenge page: the amount only, never card data. */
function challengePage(record: AuthorizationRecord): string {
  const amount = escapeHtml(`${formatAmount({ minor: record.amount, currency: record.currency })} ${record.currency}`);
  return `<!doctype html><html><head><title>3-D Secure</title></head>`
    + `<body><h1>3-D Secure challenge for ${amount}</h1></body></html>`;
}

function authenticate(state: SimulatorState, record: AuthorizationRecord, outcome: 'APPROVE' | 'DECLINE'): void {
  if (outcome === 'DECLINE') {
    record.status = 'declined';
    record.declineCode = 'authentication_failed';
  } else {
    record.status = 'authorized';
    if (record.capture) captureFunds(state, record, record.amount);
  }
  record.actionUrl = null;
}

/** What the payer's browser does: open the challenge, then pass or fail it. No API key, as for a browser. */
export function sandboxRoutes(state: SimulatorState): Router {
  const router = Router();
  router.get('/3ds/:id', (req, res) => {
    const record = state.authorizations.get(req.params.id);
    if (record === undefined) return void res.status(404).type('html').send('<!doctype html><p>Not found</p>');
    res.type('html').send(challengePage(record));
  });
  router.post('/sandbox/3ds/:id', express.json(), async (req, res) => {
    const record = state.authorizations.get(req.params.id);
    if (record === undefined) return send(res, notFound());
    const parsed = parseRequest(sandboxAuthenticationRequest, req.body);
    if ('refusal' in parsed) return send(res, parsed.refusal);
    if (record.status !== 'requires_action') return send(res, invalidState(`the authorization is ${record.status}`));
    authenticate(state, record, parsed.data.outcome);
    const delivered = await deliverAuthorizationUpdated(record.notifyUrl, state.webhookSecret, authorizationToWire(record));
    send(res, ok({ delivered, status: record.status }));
  });
  router.post('/sandbox/latency', express.json(), (req, res) => {
    const ms = Number((req.body as { ms?: unknown }).ms);
    if (!Number.isInteger(ms) || ms < 0 || ms > 10_000) return void res.status(400).json({ error: 'ms must be 0 to 10000' });
    state.latencyMs = ms;
    res.json({ latencyMs: ms });
  });
  return router;
}
