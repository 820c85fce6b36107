import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LEDGER_FIELDS } from '../support/accounting.js';
import { eventually } from '../support/eventually.js';
import { logCapture, type LogLine } from '../support/log-capture.js';
import { confirm, createPayment } from '../support/payments.js';
import { startSystem, type System } from '../support/system.js';

const logs = logCapture();
let system: System;
let apiKey: string;
let paymentId: string;

interface Answer {
  status: number;
  requestId: string | null;
  body: { data?: unknown; errors?: { message: string; extensions?: { code?: string; requestId?: string } }[] };
}

async function post(body: string, headers: Record<string, string> = {}, key: string | null = apiKey): Promise<Answer> {
  const response = await fetch(`${system.gatewayUrl}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}), ...headers },
    body,
  });
  return { status: response.status, requestId: response.headers.get('x-request-id'), body: (await response.json()) as Answer['body'] };
}

const graphql = (query: string, variables: Record<string, unknown> = {}, headers: Record<string, string> = {}, key?: string | null) =>
  post(JSON.stringify({ query, variables }), headers, key);

/** The lines of `service` for the request `requestId`, once its access line is written (after the response). */
async function linesOf(service: string, requestId: string): Promise<LogLine[]> {
  const lines = () => logs.lines().filter((line) => line.service === service && line.requestId === requestId);
  return eventually(lines, (found) => found.some((line) => line.msg === 'request'), { what: `${service}'s access line for ${requestId}` });
}

beforeAll(async () => {
  system = await startSystem({ logs: logs.destination, env: { LOG_LEVEL: 'info' } });
  apiKey = (await system.seedMerchant('Request ids')).apiKey;
  const payment = await createPayment(system, apiKey);
  paymentId = payment.id;
  await confirm(system, apiKey, paymentId);
});
afterAll(async () => {
  await system?.stop();
});

describe('request ids', () => {
  it("a client's X-Request-Id comes back, names the gateway's access line and the log lines of every subgraph the request reached", async () => {
    const answer = await graphql(`query Ledger($id: ID!) { payment(id: $id) { ${LEDGER_FIELDS} } }`, { id: paymentId }, { 'X-Request-Id': 'abc' });
    expect(answer.body.errors).toBeUndefined();
    expect(answer.requestId).toBe('abc');
    const [access] = (await linesOf('gateway', 'abc')).filter((line) => line.msg === 'request');
    expect(access).toMatchObject({ level: 'info', method: 'POST', path: '/graphql', operationName: 'Ledger', status: 200, keyId: expect.any(String) });
    expect(access!['durationMs']).toEqual(expect.any(Number));
    // a federated query: the payment subgraph answers the payment, accounting its ledger
    expect((await linesOf('payment', 'abc')).map((line) => line['path'])).toContain('/graphql');
    expect((await linesOf('accounting', 'abc')).map((line) => line['path'])).toContain('/graphql');
  });

  it('without an acceptable one, the gateway makes one: a new id per request, passed on alike', async () => {
    const ledger = `query Ledger($id: ID!) { payment(id: $id) { ${LEDGER_FIELDS} } }`;
    // one after the other: identical reads in flight at once share one subgraph request, and its id
    const made = [await graphql(ledger, { id: paymentId }), await graphql(ledger, { id: paymentId }, { 'X-Request-Id': 'x'.repeat(129) })];
    const ids = made.map((answer) => answer.requestId!);
    for (const id of ids) expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(new Set(ids).size).toBe(2);
    for (const id of ids) await linesOf('payment', id);
  });

  it('every error names its request: a query refused, an authentication refusal, a body too large, a body that is not JSON', async () => {
    const answers = [
      await graphql('{ viewer { nope } }', {}, { 'X-Request-Id': 'bad-query-1' }),
      await graphql('{ viewer { role } }', {}, { 'X-Request-Id': 'unauthenticated-1' }, null),
      await post(JSON.stringify({ query: `{ viewer { role } } # ${'x'.repeat(300 * 1024)}` }), { 'X-Request-Id': 'too-large-1' }),
      await post('{ not json', { 'X-Request-Id': 'not-json-1' }),
    ];
    expect(answers.map((answer) => answer.status)).toEqual([400, 401, 413, 400]);
    for (const answer of answers) {
      expect(answer.body.errors?.length).toBeGreaterThan(0);
      for (const error of answer.body.errors!) expect(error.extensions?.requestId).toBe(answer.requestId);
    }
    expect(answers.map((answer) => answer.requestId)).toEqual(['bad-query-1', 'unauthenticated-1', 'too-large-1', 'not-json-1']);
    const [refused] = (await linesOf('gateway', 'unauthenticated-1')).filter((line) => line.msg === 'request');
    expect(refused).toMatchObject({ status: 401 });
    expect(refused).not.toHaveProperty('keyId');
  });

  it("a rate limit's refusal names its request too", async () => {
    const limited = await system.startGateway({ RATE_LIMIT_PER_KEY: '1', RATE_LIMIT_WINDOW: '1h' }, null);
    try {
      const send = () =>
        fetch(`${limited.url}/graphql`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${apiKey}`, 'x-request-id': 'limited-1' },
          body: JSON.stringify({ query: '{ viewer { role } }' }),
        });
      const answers = [await send(), await send()];
      expect(answers.map((answer) => answer.status)).toEqual([200, 429]);
      const refused = (await answers[1]!.json()) as Answer['body'];
      expect(refused.errors?.[0]?.extensions).toMatchObject({ code: 'RATE_LIMITED', requestId: 'limited-1' });
    } finally {
      await limited.close();
    }
  });

  it("no key's secret, no card number nor the internal secret is ever written", async () => {
    await graphql('{ viewer { role } }', {}, {}, system.adminKey);
    await eventually(() => logs.lines().filter((line) => line.keyId === null), (admin) => admin.length > 0, { what: "an access line of the admin key's request" });
    const text = logs.text();
    for (const secret of [apiKey, system.adminKey, system.internalSecret, '4242424242424242']) expect(text).not.toContain(secret);
  });
});
