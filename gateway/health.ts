import type { Request, Response } from 'express';

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
