import type { Request, RequestHandler, Response } from 'express';

/** One readiness check's answer: `ok`, and what a person needs to see why not (plus figures, e.g. a lag). */
export interface CheckResult {
  ok: boolean;
  detail?: string;
  [figure: string]: unknown;
}

export type ReadinessCheck = () => Promise<CheckResult>;

/** Where a service is in its life: readiness fails but while it runs. */
export interface Lifecycle {
  readonly phase: 'starting' | 'running' | 'draining';
  /** every part has started */
  running: () => void;
  /** its shutdown has begun */
  drain: () => void;
}

export function createLifecycle(): Lifecycle {
  let phase: Lifecycle['phase'] = 'starting';
  return {
    get phase() {
      return phase;
    },
    running: () => {
      if (phase === 'starting') phase = 'running';
    },
    drain: () => {
      phase = 'draining';
    },
  };
}

/** A check that neither answers nor fails within this long fails. */
export const CHECK_TIMEOUT_MS = 2_000;

async function bounded(check: ReadinessCheck, timeoutMs: number): Promise<CheckResult> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<CheckResult>((resolve) => {
    timer = setTimeout(() => resolve({ ok: false, detail: `no answer within ${timeoutMs} ms` }), timeoutMs);
  });
  try {
    return await Promise.race([check().catch((error: unknown) => ({ ok: false, detail: error instanceof Error ? error.message.split('\n')[0]! : String(error) })), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export interface Readiness {
  ready: boolean;
  status: 'ready' | 'unavailable' | 'starting' | 'draining';
  checks: Record<string, CheckResult>;
}

const NOT_RUNNING = {
  starting: { ok: false, detail: 'starting: not every part has started yet' },
  draining: { ok: false, detail: 'shutting down: finishing the requests in flight, taking no new work' },
};

/** Runs every check at once, each bounded by `timeoutMs`; ready when the service runs and every check is ok. */
export async function readiness(checks: Readonly<Record<string, ReadinessCheck>>, life: Pick<Lifecycle, 'phase'>, timeoutMs = CHECK_TIMEOUT_MS): Promise<Readiness> {
  const { phase } = life;
  if (phase !== 'running') return { ready: false, status: phase, checks: { lifecycle: NOT_RUNNING[phase] } };
  const entries = await Promise.all(Object.entries(checks).map(async ([name, check]) => [name, await bounded(check, timeoutMs)] as const));
  const ready = entries.every(([, result]) => result.ok);
  return { ready, status: ready ? 'ready' : 'unavailable', checks: Object.fromEntries(entries) };
}

/** GET /readyz: 200 when ready, else 503; the JSON names each check. Nothing runs but when asked. */
export function readinessHandler(service: string, checks: Readonly<Record<string, ReadinessCheck>>, life: Pick<Lifecycle, 'phase'>, timeoutMs = CHECK_TIMEOUT_MS): RequestHandler {
  return async (_req: Request, res: Response) => {
    const answer = await readiness(checks, life, timeoutMs);
    res.status(answer.ready ? 200 : 503).json({ status: answer.status, service, checks: answer.checks });
  };
}

/** GET /livez: the process runs and its event loop turns; no I/O. */
export function livenessHandler(service: string): RequestHandler {
  return (_req: Request, res: Response) => {
    res.json({ status: 'ok', service });
  };
}
