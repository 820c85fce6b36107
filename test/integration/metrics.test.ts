import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PAYMENT_EVENTS } from '../../lib/events/event.js';
import { alipayPaymentAwaitingPayer } from '../support/alipay.js';
import { LEDGER_FIELDS, settled } from '../support/accounting.js';
import { eventually } from '../support/eventually.js';
import { expectNoErrors } from '../support/graphql.js';
import { hasSample, sampleSum, scrapeMetrics, type Sample } from '../support/metrics.js';
import { confirm, createPayment, errorCode } from '../support/payments.js';
import { startSystem, type System } from '../support/system.js';

let system: System;
let merchant: { merchantId: string; apiKey: string };

beforeAll(async () => {
  system = await startSystem({
    gatewayEnv: { METRICS_PORT: '0' },
    env: { PAYMENT_METRICS_PORT: '0', ACCOUNTING_METRICS_PORT: '0' },
  });
  merchant = await system.seedMerchant('Metrics merchant');
});

afterAll(async () => {
  await system?.stop();
});

const urlOf = (url: string | null): string => {
  if (!url) throw new Error('metrics are off');
  return url;
};
const gatewayMetrics = () => scrapeMetrics(urlOf(system.gatewayMetricsUrl));
const paymentMetrics = () => scrapeMetrics(urlOf(system.payment.metricsUrl));
const accountingMetrics = () => scrapeMetrics(urlOf(system.accounting.metricsUrl));

const ledgerQuery = `query MetricsLedger($id: ID!) { payment(id: $id) { ${LEDGER_FIELDS} } }`;

describe('/metrics', () => {
  it('is served on a port of its own, loopback only, never on the public port; off where no port is set', async () => {
    expect(system.gatewayMetricsUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
    expect(new URL(system.gatewayMetricsUrl!).port).not.toBe(new URL(system.gatewayUrl).port);
    expect((await fetch(`${system.gatewayUrl}/metrics`)).status).toBe(404);
    expect(system.transaction.metricsUrl).toBeNull();
  });

  it('moves with payments: requests by operation and outcome, latencies, subgraph fetches', async () => {
    const [gatewayBefore, paymentBefore, accountingBefore] = await Promise.all([gatewayMetrics(), paymentMetrics(), accountingMetrics()]);
    const payments = [];
    for (let i = 0; i < 3; i++) {
      const payment = await createPayment(system, merchant.apiKey, { amount: '12.00' });
      expectNoErrors(await confirm(system, merchant.apiKey, payment.id));
      payments.push(payment);
    }
    await settled(system);
    expectNoErrors(await system.query(merchant.apiKey, ledgerQuery, { id: payments[0]!.id }));
    expect(errorCode(await system.query('pgk_test_not_a_key_at_all_000000000000', '{ __typename }'))).toBe('UNAUTHENTICATED');

    const [gateway, payment, accounting] = await Promise.all([gatewayMetrics(), paymentMetrics(), accountingMetrics()]);
    const moved = (after: Sample[], before: Sample[], name: string, labels: Record<string, string> = {}) => sampleSum(after, name, labels) - sampleSum(before, name, labels);

    expect(moved(gateway, gatewayBefore, 'paygraph_gateway_requests_total', { operation: 'anonymous', outcome: 'ok' })).toBeGreaterThanOrEqual(6);
    expect(moved(gateway, gatewayBefore, 'paygraph_gateway_requests_total', { operation: 'MetricsLedger', outcome: 'ok' })).toBe(1);
    expect(moved(gateway, gatewayBefore, 'paygraph_gateway_requests_total', { outcome: 'UNAUTHENTICATED' })).toBe(1);
    expect(moved(gateway, gatewayBefore, 'paygraph_gateway_request_duration_seconds_count')).toBeGreaterThanOrEqual(8);
    expect(moved(gateway, gatewayBefore, 'paygraph_gateway_request_duration_seconds_sum')).toBeGreaterThan(0);
    expect(moved(gateway, gatewayBefore, 'paygraph_gateway_subgraph_fetch_duration_seconds_count', { subgraph: 'payment', outcome: 'ok' })).toBeGreaterThanOrEqual(6);
    expect(moved(gateway, gatewayBefore, 'paygraph_gateway_subgraph_fetch_duration_seconds_count', { subgraph: 'accounting', outcome: 'ok' })).toBeGreaterThanOrEqual(1);
    expect(hasSample(gateway, 'paygraph_gateway_subscriptions_open', { service: 'gateway' })).toBe(true);
    expect(hasSample(gateway, 'process_cpu_user_seconds_total')).toBe(true);

    expect(moved(payment, paymentBefore, 'paygraph_subgraph_requests_total', { service: 'payment', outcome: 'ok' })).toBeGreaterThanOrEqual(6);
    expect(moved(payment, paymentBefore, 'paygraph_subgraph_request_duration_seconds_count', { service: 'payment' })).toBeGreaterThanOrEqual(6);
    expect(sampleSum(payment, 'paygraph_outbox_unpublished_events', { service: 'payment' })).toBeGreaterThanOrEqual(0);
    expect(hasSample(payment, 'paygraph_outbox_unpublished_events', { service: 'payment' })).toBe(true);
    expect(moved(accounting, accountingBefore, 'paygraph_subgraph_requests_total', { service: 'accounting', outcome: 'ok' })).toBeGreaterThanOrEqual(1);
    expect(hasSample(accounting, 'paygraph_outbox_unpublished_events', { service: 'accounting' })).toBe(true);
  });

  it('counts the recovery job\'s resolutions', async () => {
    const before = await paymentMetrics();
    await alipayPaymentAwaitingPayer(system, merchant.apiKey);
    system.clock.advance(2 * 60_000);
    await system.payment.runRecovery();
    const after = await paymentMetrics();
    const name = 'paygraph_payment_recovery_resolutions_total';
    expect(sampleSum(after, name, { subject: 'payment' }) - sampleSum(before, name, { subject: 'payment' })).toBeGreaterThanOrEqual(1);
  });

  it('reads the dead letters at scrape time', async () => {
    const broken = {
      id: 'payment:metrics-broken-1',
      source: 'payment',
      position: 1_000_000_000,
      type: 'payment.status_changed',
      aggregateType: 'payment',
      aggregateId: 'pay_metrics_broken',
      sequence: 1,
      occurredAt: new Date().toISOString(),
      payload: {},
    };
    await system.transport.publish(PAYMENT_EVENTS, [broken]);
    const samples = await eventually(accountingMetrics, (read) => sampleSum(read, 'paygraph_dead_letters') > 0, { what: 'a dead letter in accounting\'s /metrics' });
    expect(sampleSum(samples, 'paygraph_dead_letters')).toBe(Object.values(await system.accounting.events.deadLetters()).reduce((sum, n) => sum + n, 0));
  });

  it('counts rate-limit refusals by limit', async () => {
    const limited = await system.startGateway({ METRICS_PORT: '0', RATE_LIMIT_PER_KEY: '2' }, null);
    try {
      const post = () =>
        fetch(`${limited.url}/graphql`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${merchant.apiKey}` },
          body: JSON.stringify({ query: '{ __typename }' }),
        });
      const statuses = [];
      for (let i = 0; i < 3; i++) statuses.push((await post()).status);
      expect(statuses).toEqual([200, 200, 429]);
      const samples = await scrapeMetrics(urlOf(limited.metricsUrl));
      expect(sampleSum(samples, 'paygraph_gateway_rate_limit_refusals_total', { limit: 'per_key' })).toBe(1);
      expect(sampleSum(samples, 'paygraph_gateway_requests_total', { operation: 'unknown', outcome: 'RATE_LIMITED' })).toBe(1);
      expect(sampleSum(samples, 'paygraph_gateway_requests_total', { outcome: 'ok' })).toBe(2);
    } finally {
      await limited.close();
    }
  });
});
