import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signRequest, PRINCIPAL_HEADER, SIGNATURE_HEADER } from '../../lib/internal-signature.js';
import { encodePrincipal, type Principal } from '../../lib/principal.js';
import { startSystem, type System } from '../support/system.js';
import { cancel, capture, confirm, createPayment, errorCode, findPayment, getPayment, issueApiKey, payerAction, paymentIn, refund, uniqueKey } from '../support/payments.js';
import { expectNoErrors } from '../support/graphql.js';
import type { PaymentsPageResult } from '../support/operations.js';

let system: System;
let alice: { merchantId: string; apiKey: string };
let bob: { merchantId: string; apiKey: string };
let alicePayment: any;

beforeAll(async () => {
  system = await startSystem();
  alice = await system.seedMerchant('Alice');
  bob = await system.seedMerchant('Bob');
  alicePayment = await createPayment(system, alice.apiKey);
});
afterAll(async () => system?.stop());

const paymentsQuery = '{ payments(first: 100) { edges { node { id merchant { id } } } } }';
const listedIds = async (key: string): Promise<string[]> =>
  expectNoErrors(await system.query<PaymentsPageResult>(key, paymentsQuery)).payments.edges.map((edge) => edge.node.id);

describe("another merchant's payment is invisible", () => {
  it('payment(id) is null, payments leaves it out, merchant(id) is null', async () => {
    expect(await findPayment(system, alice.apiKey, alicePayment.id)).not.toBeNull();
    expect(await findPayment(system, bob.apiKey, alicePayment.id)).toBeNull();
    expect(await listedIds(alice.apiKey)).toContain(alicePayment.id);
    expect(await listedIds(bob.apiKey)).not.toContain(alicePayment.id);
    const merchant = 'query($id: ID!) { merchant(id: $id) { id name } }';
    expect(expectNoErrors(await system.query<{ merchant: { id: string; name: string } | null }>(alice.apiKey, merchant, { id: alice.merchantId })).merchant?.name).toBe('Alice');
    expect((await system.query(bob.apiKey, merchant, { id: alice.merchantId })).data).toEqual({ merchant: null });
  });

  // Each mutation on a payment in a status where the owner's call would succeed: only ownership refuses it.
  const attempts: [string, string, (key: string, id: string) => Promise<unknown>][] = [
    ['confirmPayment', 'REQUIRES_CONFIRMATION', (key, id) => confirm(system, key, id)],
    ['capturePayment', 'REQUIRES_CAPTURE', (key, id) => capture(system, key, id)],
    ['cancelPayment', 'REQUIRES_CAPTURE', (key, id) => cancel(system, key, id)],
    ['refundPayment', 'SUCCEEDED', (key, id) => refund(system, key, id)],
    ['sandboxPayerAction', 'REQUIRES_ACTION', (key, id) => payerAction(system, key, id, 'APPROVE')],
  ];
  it.each(attempts)('%s by another merchant is NOT_FOUND and changes nothing', async (_name, status, attempt) => {
    const payment = await paymentIn(system, alice.apiKey, status);
    const before = await getPayment(system, alice.apiKey, payment.id);
    const result = (await attempt(bob.apiKey, payment.id)) as any;
    expect(errorCode(result)).toBe('NOT_FOUND');
    expect(result.data).toBeNull();
    expect(await getPayment(system, alice.apiKey, payment.id)).toEqual(before);
  });
});

describe('roles', () => {
  it('an ANALYST key, bound or platform-wide, cannot run any mutation', async () => {
    const payment = await paymentIn(system, alice.apiKey, 'REQUIRES_CAPTURE');
    for (const analyst of [await issueApiKey(system, 'ANALYST', alice.merchantId), await issueApiKey(system, 'ANALYST')]) {
      const refusals = [
        await system.query(analyst, 'mutation($input: CreatePaymentInput!) { createPayment(input: $input) { id } }', {
          input: { amount: { amount: '1.00', currency: 'USD' }, channel: 'CARD', idempotencyKey: uniqueKey() },
        }),
        await confirm(system, analyst, alicePayment.id),
        await capture(system, analyst, payment.id),
        await cancel(system, analyst, payment.id),
        await refund(system, analyst, payment.id),
        await payerAction(system, analyst, payment.id, 'APPROVE'),
        await system.query(analyst, 'mutation { createMerchant(input: { name: "X" }) { apiKey } }'),
        await system.query(analyst, 'mutation { createApiKey(input: { role: ANALYST }) { apiKey } }'),
      ];
      expect(refusals.map(errorCode)).toEqual(Array(refusals.length).fill('FORBIDDEN'));
    }
    expect((await getPayment(system, alice.apiKey, payment.id)).status).toBe('REQUIRES_CAPTURE');
  });

  it("a bound ANALYST reads only its merchant's payments; a platform ANALYST reads all", async () => {
    const bobPayment = await createPayment(system, bob.apiKey);
    const bound = await issueApiKey(system, 'ANALYST', alice.merchantId);
    expect((await findPayment(system, bound, alicePayment.id))?.id).toBe(alicePayment.id);
    expect(await findPayment(system, bound, bobPayment.id)).toBeNull();
    expect(await listedIds(bound)).toContain(alicePayment.id);
    expect(await listedIds(bound)).not.toContain(bobPayment.id);
    const platform = await issueApiKey(system, 'ANALYST');
    expect((await findPayment(system, platform, bobPayment.id))?.id).toBe(bobPayment.id);
    expect(await listedIds(platform)).toEqual(expect.arrayContaining([alicePayment.id, bobPayment.id]));
  });

  it('a MERCHANT key cannot create merchants or keys; ADMIN cannot create payments', async () => {
    expect(errorCode(await system.query(alice.apiKey, 'mutation { createMerchant(input: { name: "X" }) { apiKey } }'))).toBe('FORBIDDEN');
    const createKey = 'mutation($id: ID) { createApiKey(input: { role: MERCHANT, merchantId: $id }) { apiKey } }';
    expect(errorCode(await system.query(alice.apiKey, createKey, { id: alice.merchantId }))).toBe('FORBIDDEN');
    const result = await system.query(system.adminKey, 'mutation($input: CreatePaymentInput!) { createPayment(input: $input) { id } }', {
      input: { amount: { amount: '1.00', currency: 'USD' }, channel: 'CARD', idempotencyKey: uniqueKey() },
    });
    expect(errorCode(result)).toBe('FORBIDDEN');
  });

  it('createApiKey MERCHANT needs a merchantId (BAD_USER_INPUT) of an existing merchant (NOT_FOUND)', async () => {
    const createKey = 'mutation($id: ID) { createApiKey(input: { role: MERCHANT, merchantId: $id }) { apiKey merchant { id } } }';
    expect(errorCode(await system.query(system.adminKey, createKey, {}))).toBe('BAD_USER_INPUT');
    expect(errorCode(await system.query(system.adminKey, createKey, { id: 'mer_unknown' }))).toBe('NOT_FOUND');
    expect(expectNoErrors(await system.query<{ createApiKey: { apiKey: string; merchant: { id: string } | null } }>(system.adminKey, createKey, { id: bob.merchantId })).createApiKey.merchant?.id).toBe(bob.merchantId);
  });

  it('viewer answers the role and merchant of each key', async () => {
    const viewer = async (key: string) => expectNoErrors(await system.query<{ viewer: { role: string; merchant: { id: string } | null } }>(key, '{ viewer { role merchant { id } } }')).viewer;
    expect(await viewer(system.adminKey)).toEqual({ role: 'ADMIN', merchant: null });
    expect(await viewer(alice.apiKey)).toEqual({ role: 'MERCHANT', merchant: { id: alice.merchantId } });
    expect(await viewer(await issueApiKey(system, 'MERCHANT', bob.merchantId))).toEqual({ role: 'MERCHANT', merchant: { id: bob.merchantId } });
    expect(await viewer(await issueApiKey(system, 'ANALYST', bob.merchantId))).toEqual({ role: 'ANALYST', merchant: { id: bob.merchantId } });
    expect(await viewer(await issueApiKey(system, 'ANALYST'))).toEqual({ role: 'ANALYST', merchant: null });
  });

  it.each([
    ['no Authorization header', null],
    ['a malformed key', 'not-a-key'],
    ['a well-formed unknown key', `pgk_${'A'.repeat(43)}`],
  ])('%s is UNAUTHENTICATED', async (_name, key) => {
    const result = await system.query(key, '{ viewer { role } }');
    expect(errorCode(result)).toBe('UNAUTHENTICATED');
    expect(result.data ?? null).toBeNull();
  });
});

describe('the payment subgraph answers only the gateway', () => {
  const paymentById = 'query($id: ID!) { payment(id: $id) { id } }';
  const entities = 'query($r: [_Any!]!) { _entities(representations: $r) { ... on Payment { id } } }';
  const principalOf = (merchantId: string | null, role: Principal['role'] = 'MERCHANT') => encodePrincipal({ role, merchantId, keyId: null });

  async function callSubgraph(body: string, headers: Record<string, string>) {
    const response = await fetch(`${system.paymentUrl}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
    return { status: response.status, json: (await response.json()) as any };
  }
  function signed(principal: string, body: string, secret = system.internalSecret, at = Date.now()) {
    return { [PRINCIPAL_HEADER]: principal, [SIGNATURE_HEADER]: signRequest(secret, { method: 'POST', service: 'payment', path: '/graphql', principal, body }, at) };
  }
  const byIdBody = () => JSON.stringify({ query: paymentById, variables: { id: alicePayment.id } });

  it('a correctly signed fresh request is answered', async () => {
    const body = byIdBody();
    const { status, json } = await callSubgraph(body, signed(principalOf(alice.merchantId), body));
    expect(status).toBe(200);
    expect(json.data.payment.id).toBe(alicePayment.id);
  });

  it.each([
    ['without signature headers', (_body: string) => ({})],
    ['with a principal but no signature', (_body: string) => ({ [PRINCIPAL_HEADER]: principalOf(null, 'ADMIN') })],
    ['with a wrong signature', (_body: string) => ({ [PRINCIPAL_HEADER]: principalOf(null, 'ADMIN'), [SIGNATURE_HEADER]: `t=${Date.now()},n=${'A'.repeat(22)},v2=${'0'.repeat(64)}` })],
    ['signed with another secret', (body: string) => signed(principalOf(null, 'ADMIN'), body, 'another-secret-of-at-least-32-characters')],
    ['replayed after the tolerance', (body: string) => signed(principalOf(null, 'ADMIN'), body, system.internalSecret, Date.now() - 60_000)],
  ])('a request %s is refused with 401 and no data', async (_name, headersFor) => {
    const body = byIdBody();
    const { status, json } = await callSubgraph(body, headersFor(body));
    expect(status).toBe(401);
    expect(json.data).toBeUndefined();
    expect(json.errors[0].extensions.code).toBe('UNAUTHENTICATED');
  });

  it('an unsigned _entities query is refused', async () => {
    const { status, json } = await callSubgraph(JSON.stringify({ query: entities, variables: { r: [{ __typename: 'Payment', id: alicePayment.id }] } }), {});
    expect(status).toBe(401);
    expect(json.data).toBeUndefined();
  });

  it("a signed _entities call for another merchant's payment resolves it to null", async () => {
    const body = JSON.stringify({ query: entities, variables: { r: [{ __typename: 'Payment', id: alicePayment.id }] } });
    const own = await callSubgraph(body, signed(principalOf(alice.merchantId), body));
    expect(own.json.data._entities).toEqual([{ id: alicePayment.id }]);
    const other = await callSubgraph(body, signed(principalOf(bob.merchantId), body));
    expect(other.status).toBe(200);
    expect(other.json.data._entities).toEqual([null]);
  });
});
