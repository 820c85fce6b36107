import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createInProcessTransport } from '../../lib/events/in-process-transport.js';
import { capturingTransport } from '../support/capturing-transport.js';
import { eventually } from '../support/eventually.js';
import { createPayment } from '../support/payments.js';
import { startSystem, type System } from '../support/system.js';

interface ReadinessBody {
  status: string;
  service: string;
  checks: Record<string, { ok: boolean; detail?: string; lag?: Record<string, number> }>;
}

async function get(url: string): Promise<{ status: number; body: ReadinessBody }> {
  const response = await fetch(url);
  return { status: response.status, body: (await response.json()) as ReadinessBody };
}

const shared = createInProcessTransport();
// analytics hears nothing: the test plays its transport, and delivers nothing
const silent = capturingTransport();
let system: System;

beforeAll(async () => {
  system = await startSystem({
    transportFor: (service) => (service === 'analytics' ? silent.transport : shared),
    env: { READINESS_MAX_LAG: '1' },
  });
});

afterAll(async () => {
  await system?.stop();
  await shared.close();
});

describe('health', () => {
  it('/livez answers 200 on every service without touching anything', async () => {
    for (const url of [system.gatewayUrl, system.paymentUrl, system.accounting.url, system.transaction.url, system.analytics.url]) {
      const { status, body } = await get(`${url}/livez`);
      expect(status).toBe(200);
      expect(body.status).toBe('ok');
    }
  });

  it('a subgraph is ready when its database answers and its migrations are applied; a consumer also names its lag', async () => {
    const payment = await get(`${system.paymentUrl}/readyz`);
    expect(payment).toMatchObject({ status: 200, body: { status: 'ready', service: 'payment', checks: { database: { ok: true }, migrations: { ok: true } } } });
    expect(payment.body.checks['consumers']).toBeUndefined();
    const accounting = await get(`${system.accounting.url}/readyz`);
    expect(accounting).toMatchObject({ status: 200, body: { checks: { database: { ok: true }, migrations: { ok: true }, consumers: { ok: true, lag: { accounting: 0 } } } } });
  });

  it('the gateway is ready when every subgraph is; /health stays as the contract says', async () => {
    const ready = await get(`${system.gatewayUrl}/readyz`);
    expect(ready.status).toBe(200);
    expect(Object.keys(ready.body.checks).sort()).toEqual(['accounting', 'analytics', 'payment', 'transaction']);
    const health = await fetch(`${system.gatewayUrl}/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok', subgraphs: { payment: 'ok', accounting: 'ok', transaction: 'ok', analytics: 'ok' } });
  });

  it('a consumer behind its producer by more than READINESS_MAX_LAG is not ready, and the gateway says which; caught up, both are ready again', async () => {
    const { apiKey } = await system.seedMerchant();
    await createPayment(system, apiKey);
    await createPayment(system, apiKey);
    const behind = await eventually(
      () => get(`${system.analytics.url}/readyz`),
      (answer) => answer.status === 503,
      { what: 'analytics not ready' },
    );
    expect(behind.body.status).toBe('unavailable');
    expect(behind.body.checks['consumers']).toMatchObject({ ok: false, lag: { 'analytics:payment': 2, 'analytics:accounting': 0 }, maxLag: 1 });
    expect(behind.body.checks['consumers']!.detail).toBe('analytics:payment is 2 events behind payment (READINESS_MAX_LAG 1)');
    expect(behind.body.checks['database']).toEqual({ ok: true });
    const gateway = await get(`${system.gatewayUrl}/readyz`);
    expect(gateway.status).toBe(503);
    expect(gateway.body.checks['analytics']).toMatchObject({ ok: false });
    expect(gateway.body.checks['analytics']!.detail).toBe('consumers: analytics:payment is 2 events behind payment (READINESS_MAX_LAG 1)');
    expect(gateway.body.checks['payment']).toEqual({ ok: true });
    // /health only asks whether each subgraph answers
    expect((await fetch(`${system.gatewayUrl}/health`)).status).toBe(200);

    await system.analytics.events.catchUp();
    await eventually(() => get(`${system.analytics.url}/readyz`), (answer) => answer.status === 200, { what: 'analytics ready' });
    await eventually(() => get(`${system.gatewayUrl}/readyz`), (answer) => answer.status === 200, { what: 'gateway ready' });
  });
});
