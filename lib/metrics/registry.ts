import { collectDefaultMetrics, Registry } from 'prom-client';

let processRegistry: Registry | undefined;

/**
 * The process's own figures (CPU, memory, event loop, GC), collected once per process: several services
 * may share one process (npm start, tests), and each of their endpoints shows these same figures.
 */
function processMetrics(): Registry {
  if (!processRegistry) {
    processRegistry = new Registry();
    collectDefaultMetrics({ register: processRegistry });
  }
  return processRegistry;
}

/** A service's metrics, never prom-client's global registry: services sharing a process keep theirs apart. */
export function createServiceRegistry(service: string): Registry {
  const registry = new Registry();
  registry.setDefaultLabels({ service });
  processMetrics();
  return registry;
}

/** The text a scrape of a service gets: the process's figures, then the service's (gauges read at this moment). */
export async function scrape(registry: Registry): Promise<string> {
  const [process, own] = await Promise.all([processMetrics().metrics(), registry.metrics()]);
  return `${process}\n${own}`;
}

export const METRICS_CONTENT_TYPE = Registry.PROMETHEUS_CONTENT_TYPE;
