import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answerProblems, FindingLog, noAnswer, send, type Answer } from '../support/fuzz-checks.js';
import { gatewayApiSchema, operationArbitrary, renderOperation, type KnownIds } from '../support/fuzz-operations.js';
import { describeRequest, fetchInit, malformedRequest } from '../support/fuzz-requests.js';
import { fuzzSettings } from '../support/fuzz-settings.js';
import { hostileText } from '../support/fuzz-values.js';
import { exchange, type WebSocketExchange } from '../support/fuzz-websocket.js';
import { createPayment, issueApiKey } from '../support/payments.js';
import { startSystem, type System } from '../support/system.js';

// Property-based: schema-shaped operations (right and wrong arguments, hostile values) and malformed requests through
// the real gateway. Whatever is sent, the answer is never a 5xx, never INTERNAL_SERVER_ERROR or a code outside the
// contract, never a stack trace or a path, and the gateway stays healthy. Seed and runs: test/support/fuzz-settings.ts.

const settings = fuzzSettings();
/** room for the runs and for shrinking a failure (fast-check stops shrinking after a minute) */
const PROPERTY_TIMEOUT_MS = 150_000;
type Role = 'admin' | 'merchant' | 'analyst' | 'none' | 'bad key';
/** keys that get through authentication most of the time, so that most runs reach validation and resolvers */
const role = fc.oneof({ weight: 3, arbitrary: fc.constantFrom<Role>('admin', 'merchant', 'analyst') }, { weight: 1, arbitrary: fc.constantFrom<Role>('none', 'bad key') });

let system: System;
let keys: Record<Role, string | null>;
let known: KnownIds;
let rssBefore: number;
const logs: [string, FindingLog][] = [];

beforeAll(async () => {
  system = await startSystem();
  const merchant = await system.seedMerchant('Fuzzed merchant');
  const analyst = await issueApiKey(system, 'ANALYST', merchant.merchantId);
  const payment = await createPayment(system, merchant.apiKey, { amount: '10.00' });
  keys = { admin: system.adminKey, merchant: merchant.apiKey, analyst, none: null, 'bad key': 'pgk_0000000000000000000000000000000000' };
  known = { ids: [payment.id, merchant.merchantId] };
  rssBefore = process.memoryUsage().rss;
});
afterAll(async () => {
  if (settings.survey) for (const [title, log] of logs) console.log(log.summary(`${title} (seed ${settings.seed})`));
  await system?.stop();
});

const authorization = (role: Role) => (keys[role] === null ? null : `Bearer ${keys[role]}`);

/** Runs a property; in a survey run it records problems instead of failing on the first, and fails at the end. */
async function check<T>(title: string, runs: number, arbitrary: fc.Arbitrary<T>, probe: (value: T) => Promise<Probe>) {
  const log = new FindingLog();
  logs.push([title, log]);
  const property = fc.asyncProperty(arbitrary, async (value) => {
    const started = performance.now();
    const { problems, where, example, body } = await probe(value);
    if (body !== undefined) log.outcome(body);
    log.record(problems, where, example, performance.now() - started);
    if (problems.length > 0 && !settings.survey) throw new Error(`${problems.join('; ')}\n  request: ${example}`);
  });
  // A bound on the whole property, shrinking included (a failure is shrunk by sending many more requests): past it,
  // fast-check stops and reports the smallest failing case found by then.
  await fc.assert(property, { seed: settings.seed, numRuns: settings.runs(runs), interruptAfterTimeLimit: 100_000 });
  if (settings.survey) expect(log.findings(title)).toBe(`${title}: no findings`);
}

interface Probe {
  problems: string[];
  /** what kind of request it was, so that a survey lists a finding once per kind */
  where: string;
  example: string;
  /** the answer's body, when its outcome is worth counting */
  body?: string;
}

const problemsOf = (answer: Answer, graphql: boolean) => [...noAnswer(answer), ...(answer.status === 0 ? [] : answerProblems(answer, { graphql }))];

describe('the gateway under fuzzed requests', () => {
  it('schema-shaped operations with hostile arguments, by every kind of key, are answered without a 5xx, INTERNAL_SERVER_ERROR or a leak', async () => {
    const operations = operationArbitrary(gatewayApiSchema(), known);
    await check('schema-shaped operations', 250, fc.tuple(operations, role), async ([operation, role]) => {
      const rendered = renderOperation(operation);
      const body = `{"query":${JSON.stringify(rendered.query)},"variables":${rendered.variablesJson}}`;
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      const key = authorization(role);
      if (key) headers['authorization'] = key;
      const answer = await send(`${system.gatewayUrl}/graphql`, { method: 'POST', headers, body });
      return { problems: problemsOf(answer, true), where: operation.operationType, example: `${role}: ${body}`, body: answer.body };
    });
  }, PROPERTY_TIMEOUT_MS);

  it('malformed requests (bytes, content types, shapes, batches, persisted queries, GET parameters, callbacks, statements) are refused with a 4xx', async () => {
    await check('malformed requests', 300, fc.tuple(malformedRequest, role), async ([request, role]) => {
      const answer = await send(`${system.gatewayUrl}${request.path}`, fetchInit(request, authorization(role)));
      const graphql = request.path.startsWith('/graphql?') || request.path === '/graphql';
      return { problems: problemsOf(answer, graphql && request.method !== 'OPTIONS'), where: `${request.method} ${request.path.replace(/\?.*$/s, '')}`, example: describeRequest(request, role) };
    });
  }, PROPERTY_TIMEOUT_MS);

  it('fuzzed WebSocket frames (connection_init, subscribe, garbage) never end in an internal error or a leak', async () => {
    const socketUrl = `${system.gatewayUrl.replace(/^http/, 'ws')}/graphql`;
    const operations = operationArbitrary(gatewayApiSchema(), known, ['subscription', 'subscription', 'query']);
    const subscribe = operations.map((operation) => {
      const rendered = renderOperation(operation);
      return `{"id":"s1","type":"subscribe","payload":{"query":${JSON.stringify(rendered.query)},"variables":${rendered.variablesJson}}}`;
    });
    const garbage = fc.oneof(
      fc.constantFrom(
        '{"type":"subscribe"}',
        '{"id":1,"type":"subscribe","payload":{"query":"subscription { paymentStatusChanged { paymentId } }"}}',
        '{"id":"s1","type":"subscribe","payload":{"query":1}}',
        '{"id":"s1","type":"complete"}',
        '{"id":"nope","type":"complete"}',
        '{"type":"ping","payload":{"a":1}}',
        '{"type":"connection_init"}',
        'not json',
        '{"id":"s2","type":"subscribe","payload":{"query":"subscription { paymentStatusChanged @include(if: \\"yes\\") { paymentId } }"}}',
        '{"id":"s3","type":"subscribe","payload":{"query":"subscription($a: String) { paymentStatusChanged(after: $a) { paymentId } }","variables":{"a":"\\u0000"}}}',
        `{"id":"s4","type":"subscribe","payload":{"query":"subscription { ...B0 } ${Array.from({ length: 16 }, (_, i) => `fragment B${i} on Subscription { ${i < 15 ? `...B${i + 1} ...B${i + 1}` : 'paymentStatusChanged { paymentId }'} }`).join(' ')}"}}`,
        '[]',
        `{"id":"big","type":"subscribe","payload":{"query":"subscription { paymentStatusChanged { ${'paymentId '.repeat(30_000)} } }"}}`,
      ),
      fc.uint8Array({ maxLength: 64 }).map((bytes) => Buffer.from(bytes)),
    );
    const init = fc.oneof(
      { weight: 4, arbitrary: role.map((role) => JSON.stringify({ type: 'connection_init', payload: authorization(role) ? { authorization: authorization(role) } : {} })) },
      {
        weight: 1,
        arbitrary: fc.oneof(
          fc.constantFrom<unknown>(123, [], 'x', null, { authorization: 1 }, { authorization: ['a'] }).map((payload) => JSON.stringify({ type: 'connection_init', payload })),
          hostileText.map((text) => JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${text}` } })),
          fc.constant(JSON.stringify({ type: 'connection_init', payload: { authorization: 'x'.repeat(300_000) } })),
          fc.constant('{"type":"connection_init","payload":' + '{"a":'.repeat(10_000) + '1' + '}'.repeat(10_000) + '}'),
        ),
      },
    );
    await check('WebSocket frames', 60, fc.tuple(init, fc.array(fc.oneof({ weight: 3, arbitrary: subscribe }, { weight: 1, arbitrary: garbage }), { maxLength: 3 })), async ([first, frames]) => {
      const result = await exchange(socketUrl, first, frames);
      return { problems: exchangeProblems(result), where: 'WebSocket', example: [first, ...frames].map((frame) => (typeof frame === 'string' ? frame.slice(0, 300) : `<${frame.length} bytes>`)).join(' | ') };
    });
  }, PROPERTY_TIMEOUT_MS);

  it('afterwards the gateway is healthy and its memory did not run away', async () => {
    const health = await send(`${system.gatewayUrl}/health`, {});
    expect(health.status).toBe(200);
    const grownMiB = (process.memoryUsage().rss - rssBefore) / 2 ** 20;
    expect(grownMiB).toBeLessThan(768);
  });
});

/** What is wrong with a WebSocket exchange: internal-error closes, stalls, and in every message what is wrong on HTTP. */
function exchangeProblems(result: WebSocketExchange): string[] {
  const problems: string[] = [];
  if (result.stalled) problems.push(result.stalled);
  if (result.closed && (result.closed.code === 1011 || result.closed.code === 4500)) problems.push(`closed with ${result.closed.code}: ${result.closed.reason}`);
  if (result.closed) problems.push(...answerProblems({ status: 200, contentType: '', body: result.closed.reason }, { graphql: false }));
  for (const message of result.messages) {
    let parsed: { type?: string; payload?: unknown };
    try {
      parsed = JSON.parse(message) as typeof parsed;
    } catch {
      problems.push(`a message that is not JSON: ${message.slice(0, 120)}`);
      continue;
    }
    const errors = parsed.type === 'error' ? parsed.payload : parsed.type === 'next' ? (parsed.payload as { errors?: unknown } | undefined)?.errors : undefined;
    problems.push(...answerProblems({ status: 200, contentType: 'application/json', body: JSON.stringify({ errors: errors ?? [] }) }, { graphql: true }));
    problems.push(...answerProblems({ status: 200, contentType: '', body: message }, { graphql: false }));
  }
  return problems;
}
