import { CHECK_TIMEOUT_MS, createLifecycle, livenessHandler, readinessHandler, type CheckResult, type Lifecycle, type ReadinessCheck } from '../lib/health/readiness.js';
import { redisCheck } from '../lib/health/redis-check.js';
import type { Express, Request, Response } from 'express';

/** 200 only when every subgraph answers its /health in time; else 503 naming the ones that did not. */
export function healthHandler(subgraphs: Record<string, string>) {
  return async (_req: Request, res: Response) => {
    const checks = await Promise.all(
      Object.entries(subgraphs).map(async ([name, url]) => {
        try {
          const response = await fetch(`${url}/health`, { signal: AbortSignal.timeout(2_000) });
          return [name, response.ok ? 'ok' : `HTTP ${response.status}`] as const;
        } catch {
          return [name, 'unreachable'] as const;
        }
      }),
    );
    const healthy = checks.every(([, status]) => status === 'ok');
    res.status(healthy ? 200 : 503).json({ status: healthy ? 'ok' : 'unavailable', subgraphs: Object.fromEntries(checks) });
  };
}

/** Each subgraph's /readyz, as one readiness check per subgraph: its own checks' answer, or why it gave none. */
export function subgraphReadinessChecks(subgraphs: Record<string, string>, timeoutMs = CHECK_TIMEOUT_MS + 500): Record<string, ReadinessCheck> {
  return Object.fromEntries(
    Object.entries(subgraphs).map(([name, url]) => {
      const check: ReadinessCheck = async () => {
        try {
          const response = await fetch(`${url}/readyz`, { signal: AbortSignal.timeout(timeoutMs) });
          const body = (await response.json().catch(() => ({}))) as { status?: unknown; checks?: Record<string, CheckResult> };
          const failing = Object.entries(body.checks ?? {}).filter(([, result]) => !result.ok);
          const detail = failing.map(([check, result]) => `${check}: ${result.detail ?? 'failing'}`).join('; ');
          return response.ok ? { ok: true } : { ok: false, detail: detail || `HTTP ${response.status}`, status: body.status };
        } catch (error) {
          return { ok: false, detail: `unreachable: ${error instanceof Error ? error.message : String(error)}` };
        }
      };
      return [name, check];
    }),
  );
}

/**
 * The gateway's /livez and /readyz: ready while it runs, every subgraph is ready and its Redis (when
 * it uses one) answers. `close` drains: readiness fails from then on.
 */
export function gatewayHealth(app: Express, subgraphs: Record<string, string>, redisUrl: string | undefined): { lifecycle: Lifecycle; close: () => Promise<void> } {
  const lifecycle = createLifecycle();
  const redis = redisUrl ? redisCheck(redisUrl, 'gateway') : undefined;
  const checks = { ...subgraphReadinessChecks(subgraphs), ...(redis ? { redis: redis.check } : {}) };
  app.get('/livez', livenessHandler('gateway'));
  app.get('/readyz', readinessHandler('gateway', checks, lifecycle, CHECK_TIMEOUT_MS + 1_000));
  return { lifecycle, close: () => redis?.close() ?? Promise.resolve() };
}
