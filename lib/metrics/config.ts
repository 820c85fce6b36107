import { z } from 'zod';

/** Where a service serves /metrics: its own port, apart from the public one; null when off. */
export interface MetricsConfig {
  port: number;
  host: string;
}

/** METRICS_HOST: the address every metrics port binds to; loopback unless a scraper elsewhere needs it. */
export const metricsHostEnv = { METRICS_HOST: z.string().min(1).default('127.0.0.1') };

/** A service's metrics port variable: unset is off (nothing listens), 0 any free port. */
export const metricsPortEnv = z.coerce.number().int().min(0).max(65535).optional();

export function metricsConfig(port: number | undefined, host: string): MetricsConfig | null {
  return port === undefined ? null : { port, host };
}
