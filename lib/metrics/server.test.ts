import express from 'express';
import { Counter } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';
import { parseMetrics, sampleSum } from '../../test/support/metrics.js';
import { listen, type RunningServer } from '../http-server.js';
import { metricsConfig } from './config.js';
import { graphqlRequestMetrics } from './graphql-requests.js';
import { createServiceRegistry } from './registry.js';
import { startMetricsServer, type MetricsServer } from './server.js';

const toStop: Array<MetricsServer | RunningServer> = [];
afterEach(async () => {
  for (const server of toStop.splice(0)) await server.close();
});

describe('metrics config', () => {
  it('is off unless a port is given, and binds to the host given', () => {
    expect(metricsConfig(undefined, '127.0.0.1')).toBeNull();
    expect(metricsConfig(0, '127.0.0.1')).toEqual({ port: 0, host: '127.0.0.1' });
  });
});

describe('the metrics server', () => {
  it('serves each registry apart, with the process figures, on GET /metrics only', async () => {
    const first = createServiceRegistry('first');
    const second = createServiceRegistry('second');
    new Counter({ name: 'demo_total', help: 'demo', registers: [first] }).inc(3);
    new Counter({ name: 'demo_total', help: 'demo', registers: [second] }).inc(5);
    const a = await startMetricsServer('first', first, { port: 0, host: '127.0.0.1' });
    const b = await startMetricsServer('second', second, { port: 0, host: '127.0.0.1' });
    toStop.push(a, b);
    expect(a.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/metrics$/);

    const response = await fetch(a.url);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/plain');
    const samples = parseMetrics(await response.text());
    expect(sampleSum(samples, 'demo_total', { service: 'first' })).toBe(3);
    expect(sampleSum(samples, 'demo_total', { service: 'second' })).toBe(0);
    expect(samples.some((sample) => sample.name === 'process_cpu_user_seconds_total')).toBe(true);
    expect(sampleSum(parseMetrics(await (await fetch(b.url)).text()), 'demo_total')).toBe(5);

    expect((await fetch(a.url.replace('/metrics', '/'))).status).toBe(404);
    expect((await fetch(a.url, { method: 'POST' })).status).toBe(404);
  });

  it('counts GraphQL requests refused before GraphQL by their status, aborted by their end', async () => {
    const registry = createServiceRegistry('graphql-demo');
    const metrics = graphqlRequestMetrics(registry, 'gateway');
    const app = express();
    app.use('/graphql', metrics.middleware, (_req, res) => {
      res.status(429).json({ errors: [{ message: 'slow down' }] });
    });
    const server = await listen(app, 0, '127.0.0.1');
    const scrape = await startMetricsServer('graphql-demo', registry, { port: 0, host: '127.0.0.1' });
    toStop.push(server, scrape);
    for (let i = 0; i < 2; i++) await fetch(`${server.url}/graphql`, { method: 'POST' });
    const samples = parseMetrics(await (await fetch(scrape.url)).text());
    expect(sampleSum(samples, 'paygraph_gateway_requests_total', { operation: 'unknown', outcome: 'RATE_LIMITED' })).toBe(2);
    expect(sampleSum(samples, 'paygraph_gateway_request_duration_seconds_count', { operation: 'unknown' })).toBe(2);
  });
});
