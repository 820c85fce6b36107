import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { eventually } from '../test/support/eventually.js';
import { PRINCIPAL_HEADER, SIGNATURE_HEADER, verifySignature } from '../lib/internal-signature.js';
import type { Principal } from '../lib/principal.js';
import { subgraphDataSourceFactory, type GatewayContext, type SubgraphDataSource } from './data-sources.js';

const secret = 'a-secret-of-the-test-that-is-long-enough-0123456789';
const merchant: Principal = { role: 'MERCHANT', merchantId: 'm1', keyId: 'k1' };
const other: Principal = { role: 'MERCHANT', merchantId: 'm2', keyId: 'k2' };

/** A subgraph that holds every request until released, and answers with what it was asked. */
const received: { body: string; signed: boolean }[] = [];
const held: (() => void)[] = [];
let status = 200;
const server = createServer((req: IncomingMessage, res: ServerResponse) => {
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => {
    const body = Buffer.concat(chunks).toString('utf8');
    const signed = verifySignature(secret, { method: 'POST', service: 'payment', path: '/graphql', principal: String(req.headers[PRINCIPAL_HEADER]), body }, String(req.headers[SIGNATURE_HEADER])).ok;
    received.push({ body, signed });
    held.push(() => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(status === 200 ? { data: { asked: JSON.parse(body) as unknown, list: [{ id: '1' }] } } : { errors: [{ message: 'down' }] }));
    });
  });
});
let source: SubgraphDataSource;

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  source = subgraphDataSourceFactory({ payment: url }, secret)({ name: 'payment', url: '' });
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
beforeEach(() => {
  received.length = 0;
  status = 200;
});

/** a fetch of the plan of a client operation: a query unless `incoming` says otherwise */
const fetch = (query: string, principal: Principal, variables: Record<string, unknown> = {}, incoming: 'query' | 'mutation' = 'query') =>
  source.process({
    kind: 'incoming operation',
    request: { query, variables },
    context: { principal },
    incomingRequestContext: { operation: { operation: incoming } },
  } as unknown as GraphQLDataSourceProcessOptions<GatewayContext>);

/** waits until the subgraph has `count` requests, then answers them all */
async function answerOnce(count: number) {
  await eventually(() => received.length, (n) => n >= count);
  for (const release of held.splice(0)) release();
}

const query = 'query Page__payment__0{payments{id}}';

describe('identical subgraph queries in flight at once', () => {
  it('share one signed request, each caller with its own copy of the answer', async () => {
    const both = Promise.all([fetch(query, merchant), fetch(query, merchant)]);
    expect(source.sharedInFlight).toBe(1);
    await answerOnce(1);
    const [first, second] = await both;
    expect(received).toHaveLength(1);
    expect(received[0]!.signed).toBe(true);
    expect(first).toEqual(second);
    expect(first).not.toBe(second);
    (first.data!['list'] as { id: string }[])[0]!.id = 'changed by the first caller';
    expect((second.data!['list'] as { id: string }[])[0]!.id).toBe('1');
    expect(source.sharedInFlight).toBe(0);
  });

  it('are sent again once the first has been answered: nothing is cached', async () => {
    const first = fetch(query, merchant);
    await answerOnce(1);
    await first;
    const second = fetch(query, merchant);
    await answerOnce(2);
    await second;
    expect(received).toHaveLength(2);
  });

  it('are not shared across principals or variables', async () => {
    const all = Promise.all([fetch(query, merchant), fetch(query, other), fetch(query, merchant, { first: 5 })]);
    await answerOnce(3);
    await all;
    expect(received).toHaveLength(3);
  });

  it('are not shared when they are mutations', async () => {
    const mutation = 'mutation Create__payment__0($input:CreatePaymentInput!){createPayment(input:$input){id}}';
    const both = Promise.all([fetch(mutation, merchant, { input: { key: 'a' } }), fetch(mutation, merchant, { input: { key: 'a' } })]);
    await answerOnce(2);
    await both;
    expect(received).toHaveLength(2);
  });

  it('are not shared when they read for a mutation (its _entities fetch must see the mutation)', async () => {
    const entities = 'query Create__accounting__1($representations:[_Any!]!){_entities(representations:$representations){...on Payment{fee{amount}}}}';
    const variables = { representations: [{ __typename: 'Payment', id: 'pay_1' }] };
    const both = Promise.all([fetch(entities, merchant, variables, 'mutation'), fetch(entities, merchant, variables, 'mutation')]);
    await answerOnce(2);
    await both;
    expect(received).toHaveLength(2);
  });

  it('give a failed answer to every caller', async () => {
    status = 500;
    const both = Promise.allSettled([fetch(query, merchant), fetch(query, merchant)]);
    await answerOnce(1);
    const [first, second] = await both;
    expect(received).toHaveLength(1);
    expect(first.status).toBe('rejected');
    expect(second.status).toBe('rejected');
    const codes = [first, second].map((settled) => (settled as PromiseRejectedResult).reason.extensions.code);
    expect(codes).toEqual(['INTERNAL_SERVER_ERROR', 'INTERNAL_SERVER_ERROR']);
  });
});
