import express, { Router, type Request, type RequestHandler } from 'express';
import { z } from 'zod';
import { providerError, send, type Reply } from './reply.js';
import { FAULTY_OPERATIONS, noFaults, type FaultyOperation, type SimulatorState } from './state.js';

const operation = z.enum(FAULTY_OPERATIONS);
const faultRequest = z.union([
  z.strictObject({ drop: operation, count: z.int().min(0).max(1000).default(1) }),
  z.strictObject({ unavailable: operation, count: z.int().min(0).max(1000).default(1) }),
]);

/**
 * One money-moving API operation, subject to the sandbox faults armed for it: `unavailable` answers
 * 503 without applying it; `drop` applies it (idempotency included) and then resets the connection
 * without answering, as when an answer is lost on its way back.
 */
export function faultyOperation(state: SimulatorState, name: FaultyOperation, handle: (req: Request) => Reply): RequestHandler {
  return (req, res) => {
    const armed = state.faults[name];
    if (armed.unavailable > 0) {
      armed.unavailable -= 1;
      return send(res, providerError(503, 'api_error', 'The acquirer is temporarily unavailable'));
    }
    const reply = handle(req);
    if (armed.drop > 0) {
      armed.drop -= 1;
      return void req.socket.destroy();
    }
    send(res, reply);
  };
}

/** Sandbox controls (no API key): POST arms a fault for the next `count` calls (default 1), DELETE disarms all. */
export function faultRoutes(state: SimulatorState): Router {
  const router = Router();
  router.post('/sandbox/faults', express.json(), (req, res) => {
    const parsed = faultRequest.safeParse(req.body);
    if (!parsed.success) {
      return void res.status(400).json({ error: `{ "drop" | "unavailable": ${FAULTY_OPERATIONS.join(' | ')}, "count": 0 to 1000 (default 1) } is required` });
    }
    const fault = parsed.data;
    if ('drop' in fault) state.faults[fault.drop].drop = fault.count;
    else state.faults[fault.unavailable].unavailable = fault.count;
    res.json(state.faults);
  });
  router.get('/sandbox/faults', (_req, res) => void res.json(state.faults));
  router.delete('/sandbox/faults', (_req, res) => {
    state.faults = noFaults();
    res.status(204).end();
  });
  return router;
}
