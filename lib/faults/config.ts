import { z } from 'zod';
import { frozen, parseEnv, type Env, type Frozen } from '../config-loader.js';
import { CRASH_POINTS, type CrashPoint } from './crash-points.js';

const schema = z.object({
  /** `<point>` or `<point>@<n>`: dies the n-th time (default the first) the process passes that point */
  PAYGRAPH_CRASH_AT: z
    .string()
    .regex(/^[a-z.-]+(@\d+)?$/, 'must be <point> or <point>@<n>')
    .refine((value) => (CRASH_POINTS as readonly string[]).includes(value.split('@')[0]!), 'must name one of lib/faults/crash-points.ts')
    .optional(),
  NODE_ENV: z.string().optional(),
});

export interface FaultsConfig {
  /** null: every crash point is inert (always in production) */
  crashAt: { point: CrashPoint; nth: number } | null;
}

export function loadFaultsConfig(env: Env = process.env): Frozen<FaultsConfig> {
  const e = parseEnv('faults', schema, env);
  if (!e.PAYGRAPH_CRASH_AT) return frozen({ crashAt: null });
  if (e.NODE_ENV === 'production') throw new Error('faults: PAYGRAPH_CRASH_AT is a test setting and is refused in production');
  const [point, nth] = e.PAYGRAPH_CRASH_AT.split('@');
  return frozen({ crashAt: { point: point as CrashPoint, nth: nth ? Number(nth) : 1 } });
}
