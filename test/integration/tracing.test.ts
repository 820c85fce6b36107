import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadTracingConfig } from '../../lib/tracing/config.js';
import { startTracing, type Tracing } from '../../lib/tracing/tracing.js';
import { settled } from '../support/accounting.js';
import { eventually } from '../support/eventually.js';
import { expectNoErrors, type GraphQLResponse } from '../support/graphql.js';
import { startOtlpReceiver, type OtlpReceiver, type ReceivedSpan } from '../support/otlp-receiver.js';
import { confirm, createPayment } from '../support/payments.js';
import { startSystem, type System } from '../support/system.js';

const SERVER = 2;
const CLIENT = 3;

let receiver: OtlpReceiver;
let tracing: Tracing;
let system: System;
let apiKey: string;
let paymentId: string;

beforeAll(async () => {
  receiver = await startOtlpReceiver();
  // before the system starts: its services install their hooks as they start
  tracing = startTracing(loadTracingConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url }));
  system = await startSystem();
  ({ apiKey } = await system.seedMerchant('Tracing'));
  const payment = await createPayment(system, apiKey, { amount: '12.00' });
  expectNoErrors(await confirm(system, apiKey, payment.id));
  await settled(system);
  paymentId = payment.id;
});
afterAll(async () => {
  await system?.stop();
  await tracing?.shutdown();
  await receiver?.close();
});

const ledgerQuery = `query PaymentLedger($id: ID!) { payment(id: $id) { id status ledgerEntries { id account side amount { amount currency } } } }`;

async function queryWithTraceparent(traceparent: string): Promise<GraphQLResponse<{ payment: { id: string; ledgerEntries: unknown[] } | null }>> {
  const response = await fetch(`${system.gatewayUrl}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${apiKey}`, traceparent },
    body: JSON.stringify({ query: ledgerQuery, variables: { id: paymentId }, operationName: 'PaymentLedger' }),
  });
  return (await response.json()) as GraphQLResponse<{ payment: { id: string; ledgerEntries: unknown[] } | null }>;
}

/** The spans of one trace, once the last of them has been exported. */
async function traceOf(traceId: string): Promise<ReceivedSpan[]> {
  // the gateway's server span ends last: the others were queued for export before it
  const complete = (spans: ReceivedSpan[]) => ['gateway', 'payment', 'accounting'].every((service) => spans.some((span) => span.service === service && span.kind === SERVER));
  return eventually(
    async () => {
      await tracing.flush();
      return receiver.spans.filter((span) => span.traceId === traceId);
    },
    complete,
    { what: `the spans of trace ${traceId} from the gateway, payment and accounting` },
  );
}

describe('tracing across the gateway and the subgraphs', () => {
  it('a federated query is one trace: the client’s trace id, planning, fetches, each subgraph’s server, resolver and SQL spans, each under its parent', async () => {
    const traceId = randomBytes(16).toString('hex');
    const clientSpanId = randomBytes(8).toString('hex');
    const result = expectNoErrors(await queryWithTraceparent(`00-${traceId}-${clientSpanId}-01`));
    expect(result.payment?.ledgerEntries.length).toBeGreaterThan(0);

    const spans = await traceOf(traceId);
    const byId = new Map(spans.map((span) => [span.spanId, span]));
    const parentOf = (span: ReceivedSpan) => byId.get(span.parentSpanId);
    const one = (what: string, match: (span: ReceivedSpan) => boolean) => {
      const found = spans.filter(match);
      expect(found.length, `${what} in ${JSON.stringify(spans.map((span) => `${span.service} ${span.name}`))}`).toBeGreaterThanOrEqual(1);
      return found[0]!;
    };

    // the gateway's server span is the child of what the client sent; every other span has its parent in the trace
    const gatewayServer = one('the gateway server span', (span) => span.service === 'gateway' && span.kind === SERVER);
    expect(gatewayServer.parentSpanId).toBe(clientSpanId);
    expect(gatewayServer.attributes['graphql.operation.name']).toBe('PaymentLedger');
    for (const span of spans) if (span !== gatewayServer) expect(parentOf(span), `the parent of ${span.service} ${span.name}`).toBeDefined();

    // @apollo/gateway's own spans, under ours
    const request = one('gateway.request', (span) => span.name === 'gateway.request');
    expect(request.service).toBe('gateway');
    expect(parentOf(request)).toBe(gatewayServer);
    const plan = one('gateway.plan', (span) => span.name === 'gateway.plan');
    expect(parentOf(plan)).toBe(request);

    for (const subgraph of ['payment', 'accounting']) {
      const fetch = one(`the gateway's fetch of ${subgraph}`, (span) => span.name === 'gateway.fetch' && span.attributes['service'] === subgraph);
      const client = one(`the client span to ${subgraph}`, (span) => span.kind === CLIENT && span.attributes['peer.service'] === subgraph);
      expect(client.service).toBe('gateway');
      expect(parentOf(client)).toBe(fetch);
      const server = one(`${subgraph}'s server span`, (span) => span.service === subgraph && span.kind === SERVER);
      expect(parentOf(server)).toBe(client);
      const resolver = one(
        `${subgraph}'s resolver span`,
        (span) => span.service === subgraph && (subgraph === 'payment' ? span.name === 'Query.payment' : span.name === 'Payment.__resolveReference'),
      );
      expect(parentOf(resolver)).toBe(server);

      // SQL, within the subgraph's request, its statement with placeholders and never the values
      const statements = spans.filter((span) => span.service === subgraph && span.attributes['db.system'] !== undefined);
      expect(statements.length).toBeGreaterThan(0);
      for (const statement of statements) {
        expect(statement.attributes['db.system']).toBe(system.databaseUrl ? 'postgresql' : 'sqlite');
        expect(statement.attributes['db.namespace']).toBe(subgraph);
        const text = String(statement.attributes['db.query.text']);
        expect(text).not.toContain(paymentId);
        let ancestor = parentOf(statement);
        while (ancestor && ancestor !== server) ancestor = parentOf(ancestor);
        expect(ancestor, `${subgraph} ${statement.name} is within its server span`).toBe(server);
      }
      expect(statements.some((span) => /\?|\$1/.test(String(span.attributes['db.query.text'])) && parentOf(span) === resolver)).toBe(true);
    }
  });

  it('the exporter sent OTLP/HTTP JSON', () => {
    expect(tracing.enabled).toBe(true);
    expect(receiver.contentTypes.size).toBeGreaterThan(0);
    expect([...receiver.contentTypes].every((type) => type.startsWith('application/json'))).toBe(true);
  });

  it('a request without a traceparent starts a trace of its own at the gateway', async () => {
    const before = new Set(receiver.spans.map((span) => span.traceId));
    expectNoErrors(await system.query(apiKey, ledgerQuery, { id: paymentId }));
    const root = await eventually(
      async () => {
        await tracing.flush();
        return receiver.spans.find((span) => !before.has(span.traceId) && span.service === 'gateway' && span.kind === SERVER);
      },
      (span) => span !== undefined,
      { what: 'a new trace rooted at the gateway' },
    );
    expect(root!.parentSpanId).toBe('');
  });
});
