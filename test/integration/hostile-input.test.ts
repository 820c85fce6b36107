import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signedJsonHeaders } from '../../lib/internal-signature.js';
import { logInternalError } from '../../lib/log.js';
import { captureLogs } from '../support/log-capture.js';
import { encodePrincipal } from '../../lib/principal.js';
import { Merchant } from '../../subgraphs/payment/entities/Merchant.js';
import { countRows, errorCode, uniqueKey } from '../support/payments.js';
import { errorCodes, subscriptionClient } from '../support/subscriptions.js';
import { startSystem, type System, type GraphQLResponse } from '../support/system.js';
import { statement } from '../support/transactions.js';

/**
 * Regression tests for issue 12's bad input: each reached the database, a stack or express's HTML
 * page. Every refusal is a 4xx with a contract code, answered quickly, with nothing written.
 */
let system: System;
let merchant: { merchantId: string; apiKey: string };

beforeAll(async () => {
  system = await startSystem();
  merchant = await system.seedMerchant('Hostile input');
});
afterAll(async () => system?.stop());

/** far more than any refusal here takes, even on a loaded machine; the findings took seconds or crashed */
const QUICK_MS = 5_000;

async function timed<T>(run: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const started = performance.now();
  const value = await run();
  return { value, ms: performance.now() - started };
}

/** POST to the gateway's /graphql: the status too, which system.query does not show. */
async function post(body: unknown): Promise<{ status: number; body: GraphQLResponse }> {
  const response = await fetch(`${system.gatewayUrl}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${merchant.apiKey}` },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as GraphQLResponse };
}

const createMutation = 'mutation($input: CreatePaymentInput!) { createPayment(input: $input) { id } }';
const baseInput = () => ({ amount: { amount: '10.00', currency: 'USD' }, channel: 'CARD', idempotencyKey: uniqueKey('hostile') });

const stored = async () => ({
  payments: await countRows(system, 'payments', 'merchant_id = ?', [merchant.merchantId]),
  idempotencyKeys: await countRows(system, 'idempotency_keys', 'scope like ?', [`${merchant.merchantId}:%`]),
  merchants: await countRows(system, 'merchants'),
});

function expectRefusal(result: { status: number; body: GraphQLResponse }, field: string): void {
  expect(result.status).toBe(400);
  expect(errorCode(result.body)).toBe('BAD_USER_INPUT');
  expect(result.body.errors![0]!.message).toContain(field);
  expect(result.body.data ?? null).toBeNull();
}

describe('control characters and lone surrogates are refused before planning, naming the field', () => {
  let before: Awaited<ReturnType<typeof stored>>;
  beforeAll(async () => {
    before = await stored();
  });

  it.each([
    ['NUL in an idempotency key', { idempotencyKey: 'key\u0000nul' }, 'input.idempotencyKey'],
    ['LF in an idempotency key', { idempotencyKey: 'key\nline' }, 'input.idempotencyKey'],
    ['NUL in a description', { description: 'a\u0000b' }, 'input.description'],
    ['a lone surrogate in a description', { description: 'broken \ud800 text' }, 'input.description'],
    ['NUL in a metadata value', { metadata: { order: 'o\u0000' } }, 'input.metadata.order'],
    ['NUL in a metadata key', { metadata: { 'or\u0000der': 'o' } }, 'input.metadata'],
    ['ESC in a nested metadata value', { metadata: { order: { lines: ['ok', '\u001b[2J'] } } }, 'input.metadata.order.lines[1]'],
    ['NUL in a currency', { amount: { amount: '10.00', currency: 'US\u0000' } }, 'input.amount.currency'],
  ])('%s: BAD_USER_INPUT naming %s', async (_name, change, field) => {
    const { value, ms } = await timed(() => post({ query: createMutation, variables: { input: { ...baseInput(), ...change } } }));
    expectRefusal(value, field);
    expect(value.body.errors![0]!.message).not.toContain('\u0000');
    expect(ms).toBeLessThan(QUICK_MS);
  });

  it('NUL in a merchant name (createMerchant) and in string literals of the document', async () => {
    const name = await fetch(`${system.gatewayUrl}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${system.adminKey}` },
      body: JSON.stringify({ query: 'mutation($name: String!) { createMerchant(input: { name: $name }) { apiKey } }', variables: { name: 'Evil\u0000Corp' } }),
    });
    expectRefusal({ status: name.status, body: (await name.json()) as GraphQLResponse }, 'name');
    const literal = await post({
      query: `mutation { createPayment(input: { amount: { amount: "10.00", currency: "USD" }, channel: CARD, idempotencyKey: "lit\\u0000eral" }) { id } }`,
    });
    expectRefusal(literal, 'input.idempotencyKey');
    const jsonLiteral = await post({
      query: `mutation { createPayment(input: { amount: { amount: "10.00", currency: "USD" }, channel: CARD, idempotencyKey: "${uniqueKey()}", metadata: { a: "\\u0000" } }) { id } }`,
    });
    expectRefusal(jsonLiteral, 'input.metadata.a');
  });

  it('NUL in an id read (payment, merchant) is BAD_USER_INPUT, not INTERNAL_SERVER_ERROR', async () => {
    expectRefusal(await post({ query: 'query($id: ID!) { payment(id: $id) { id } }', variables: { id: 'pay_\u0000' } }), 'id');
    expectRefusal(await post({ query: 'query { merchant(id: "mer_\\u0000") { id } }' }), 'id');
  });

  it('after every refusal above nothing was written; free text keeps LF and TAB', async () => {
    expect(await stored()).toEqual(before);
    const accepted = await post({ query: createMutation, variables: { input: { ...baseInput(), description: 'line one\r\nline\ttwo' } } });
    expect(accepted.body.errors).toBeUndefined();
    expect((await stored()).payments).toBe(before.payments + 1);
  });

  it('over WebSocket too: a subscribe with NUL in its variables is refused with BAD_USER_INPUT', async () => {
    const client = subscriptionClient(system, merchant.apiKey);
    try {
      const subscriber = client.subscribe('subscription($id: ID) { paymentStatusChanged(paymentId: $id) { paymentId } }', { id: 'pay_\u0000' });
      await subscriber.ended();
      expect(errorCodes(subscriber.error)).toEqual(['BAD_USER_INPUT']);
    } finally {
      await client.close();
    }
  });
});

describe('deep or huge JSON and overlong Decimals are refused quickly', () => {
  const nested = (depth: number): Record<string, unknown> => {
    let value: Record<string, unknown> = { leaf: 'x' };
    for (let level = 1; level < depth; level += 1) value = { a: value };
    return value;
  };

  it('metadata nested 5,000 deep: BAD_USER_INPUT naming input.metadata, nothing written', async () => {
    const before = await stored();
    // written by hand: JSON.stringify itself recurses, and runs out of stack long before 5,000 levels in a test worker
    const metadata = `${'{"a":'.repeat(4_999)}{"leaf":"x"}${'}'.repeat(4_999)}`;
    const input = JSON.stringify(baseInput()).replace(/}$/, `,"metadata":${metadata}}`);
    const { value, ms } = await timed(() => post(`{"query":${JSON.stringify(createMutation)},"variables":{"input":${input}}}`));
    expectRefusal(value, 'input.metadata');
    expect(value.body.errors![0]!.message).toMatch(/nested at most 10 levels/);
    expect(ms).toBeLessThan(QUICK_MS);
    expect(await stored()).toEqual(before);
  });

  it('as deep as 256 kB allows (120,000 nested arrays): refused with BAD_USER_INPUT, the gateway healthy', async () => {
    const metadata = `{"a":${'['.repeat(120_000)}${']'.repeat(120_000)}}`;
    const input = JSON.stringify(baseInput()).replace(/}$/, `,"metadata":${metadata}}`);
    const { value, ms } = await timed(() => post(`{"query":${JSON.stringify(createMutation)},"variables":{"input":${input}}}`));
    expectRefusal(value, 'input.metadata');
    expect(ms).toBeLessThan(QUICK_MS);
    expect((await fetch(`${system.gatewayUrl}/health`)).status).toBe(200);
  });

  it('metadata 10 levels deep is accepted, 11 refused (as a variable and as a literal)', async () => {
    const accepted = await post({ query: createMutation, variables: { input: { ...baseInput(), metadata: nested(10) } } });
    expect(accepted.body.errors).toBeUndefined();
    expectRefusal(await post({ query: createMutation, variables: { input: { ...baseInput(), metadata: nested(11) } } }), 'input.metadata');
    const literal = `{${'a: {'.repeat(10)}leaf: "x"${'}'.repeat(10)}}`;
    expectRefusal(
      await post({ query: `mutation { createPayment(input: { amount: { amount: "10.00", currency: "USD" }, channel: CARD, idempotencyKey: "${uniqueKey()}", metadata: ${literal} }) { id } }` }),
      'input.metadata',
    );
  });

  it.each([
    ['10,000 digits', '9'.repeat(10_000)],
    ['10,000 digits of fraction', `1.${'0'.repeat(10_000)}`],
    ['1e400', '1e400'],
    ['Infinity', 'Infinity'],
    ['NaN', 'NaN'],
  ])('an amount of %s: BAD_USER_INPUT naming input.amount, quickly', async (_name, amount) => {
    const before = await stored();
    const { value, ms } = await timed(() => post({ query: createMutation, variables: { input: { ...baseInput(), amount: { amount, currency: 'USD' } } } }));
    expect(value.status).toBeLessThan(500);
    expect(errorCode(value.body)).toBe('BAD_USER_INPUT');
    expect(value.body.errors![0]!.message).toContain('input.amount');
    expect(value.body.errors![0]!.message).not.toContain('9999999999');
    expect(ms).toBeLessThan(QUICK_MS);
    expect(await stored()).toEqual(before);
  });
});

/** POSTs `bytes` bytes with Transfer-Encoding: chunked (no Content-Length), in 16 kB chunks, and reads the whole answer. */
function postChunked(url: string, bytes: number): Promise<{ status: number; contentType: string; body: string }> {
  return new Promise((resolve, reject) => {
    let answered = false;
    const req = request(url, { method: 'POST', headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked' } }, (res) => {
      answered = true;
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, contentType: String(res.headers['content-type']), body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    // once answered, the server may stop reading before the last chunk: that is the point, not a failure
    req.on('error', (error: NodeJS.ErrnoException) => {
      if (!answered || (error.code !== 'EPIPE' && error.code !== 'ECONNRESET')) reject(error);
    });
    const chunk = Buffer.alloc(16 * 1024, 'a');
    let sent = 0;
    const write = () => {
      while (sent < bytes) {
        sent += chunk.length;
        if (!req.write(chunk)) {
          req.once('drain', write);
          return;
        }
      }
      req.end();
    };
    write();
  });
}

describe('callback bodies beyond 256 kB, chunked, are refused in each provider’s format', () => {
  const card = (body: string, type: string) => {
    expect(type).toMatch(/^text\/plain/);
    expect(body).toMatch(/too large/);
  };
  const alipay = (body: string, type: string) => {
    expect(type).toMatch(/^text\/plain/);
    expect(body).toBe('fail');
  };
  const wechat = (body: string, type: string) => {
    expect(type).toMatch(/^application\/json/);
    expect(JSON.parse(body)).toEqual({ code: 'FAIL', message: expect.any(String) });
  };
  it.each([
    ['card', card],
    ['alipay', alipay],
    ['wechat_pay', wechat],
  ])('%s: 413 through the gateway and at the payment subgraph, no HTML, no path, nothing written', async (channel, inFormat) => {
    const before = await countRows(system, 'provider_notifications');
    for (const base of [system.gatewayUrl, system.paymentUrl]) {
      const { value: answer, ms } = await timed(() => postChunked(`${base}/callbacks/${channel}`, 300 * 1024));
      expect(answer.status).toBe(413);
      inFormat(answer.body, answer.contentType);
      expect(answer.body).not.toMatch(/<html|<pre|node_modules|\/work\/|at \w+ \(/i);
      expect(ms).toBeLessThan(QUICK_MS);
    }
    expect(await countRows(system, 'provider_notifications')).toBe(before);
  });

  it('the gateway stays healthy afterwards', async () => {
    expect((await fetch(`${system.gatewayUrl}/health`)).status).toBe(200);
  });
});

describe('statement parameters: CRLF and quotes are refused with 400 and a contract code', () => {
  it.each([
    ['CRLF in merchantId', { merchantId: 'mer_x\r\nSet-Cookie: a=b' }, 'merchantId'],
    ['a quote in merchantId', { merchantId: 'mer_x"; filename="evil.sh' }, 'merchantId'],
    ['CRLF in from', { from: '2026-01-01\r\nX: y', to: '2027-01-01' }, 'from'],
    ['an unknown parameter', { from: '2026-01-01', to: '2027-01-01', format: 'xlsx' }, 'query'],
  ])('%s: 400 BAD_USER_INPUT naming %s', async (_name, params, field) => {
    const { value: response, ms } = await timed(() => statement(system, system.adminKey, { from: '2026-01-01', to: '2027-01-01', ...params }));
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(response.headers.get('content-disposition')).toBeNull();
    const body = (await response.json()) as GraphQLResponse;
    expect(errorCode(body)).toBe('BAD_USER_INPUT');
    expect(body.errors![0]!.message.startsWith(`${field}:`)).toBe(true);
    expect(ms).toBeLessThan(QUICK_MS);
  });

  it('a repeated parameter is refused too', async () => {
    const response = await fetch(`${system.gatewayUrl}/statements/transactions.csv?from=2026-01-01&to=2027-01-01&merchantId=mer_a&merchantId=mer_b`, {
      headers: { authorization: `Bearer ${system.adminKey}` },
    });
    expect(response.status).toBe(400);
    expect(errorCode((await response.json()) as GraphQLResponse)).toBe('BAD_USER_INPUT');
  });

  it('straight to the transaction subgraph, signed: a quote in merchantId is refused before any header is written', async () => {
    const body = JSON.stringify({ from: '2026-01-01', to: '2027-01-01', merchantId: 'mer_x"\r\nX: y' });
    const principal = encodePrincipal({ role: 'ADMIN', merchantId: null, keyId: null });
    const response = await fetch(`${system.transaction.url}/internal/statements/transactions.csv`, { method: 'POST', headers: signedJsonHeaders(system.internalSecret, { method: 'POST', service: 'transaction', path: '/internal/statements/transactions.csv', principal, body }), body });
    expect(response.status).toBe(400);
    expect(errorCode((await response.json()) as GraphQLResponse)).toBe('BAD_USER_INPUT');
  });
});

describe('a path no route takes', () => {
  it.each(['/%00', '/nothing/here', '/..%2F..%2Fetc%2Fpasswd'])('GET %s is a JSON 404 NOT_FOUND from the gateway and from a subgraph, quoting nothing', async (path) => {
    for (const base of [system.gatewayUrl, system.payment.url]) {
      const response = await fetch(`${base}${path}`);
      const text = await response.text();
      expect(response.status).toBe(404);
      expect(response.headers.get('content-type')).toMatch(/^application\/json/);
      expect(JSON.parse(text)).toEqual({ errors: [expect.objectContaining({ extensions: { requestId: expect.any(String), code: 'NOT_FOUND' } })] });
      expect(text).not.toMatch(/<html|node_modules|%00|nothing\/here/i);
    }
  });
});

describe('a failing insert is logged without the values it carried', () => {
  it('the log line names the error and its code, not the statement’s values', async () => {
    const secret = `secret-value-${uniqueKey()}`;
    const id = `mer_${uniqueKey().replace(/[^a-z0-9]/g, '')}`;
    const em = system.payment.database.fork();
    await em.insert(Merchant, { id, name: secret, createdAt: new Date() });
    let failure: unknown;
    try {
      await system.payment.database.fork().insert(Merchant, { id, name: `${secret}-again`, createdAt: new Date() });
    } catch (error) {
      failure = error;
    }
    expect(failure).toBeInstanceOf(Error);
    expect(String((failure as Error).message)).toContain(secret); // what would have been logged
    const logged = captureLogs('error');
    try {
      logInternalError('payment', failure);
      const line = logged.text();
      expect(line).toMatch(/UniqueConstraintViolationException/);
      expect(line).not.toContain(secret);
      expect(line).not.toContain(id);
      expect(line).not.toMatch(/insert into/i);
    } finally {
      logged.stop();
    }
  });
});
