import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { callInternalRoute, InternalCallError } from './internal-client.js';
import type { InternalRoute } from './internal-route.js';
import { PRINCIPAL_HEADER, SIGNATURE_HEADER, verifySignature } from './internal-signature.js';

const secret = 'test-secret-0123456789abcdef0123456789';
const route = (path: string) =>
  ({ service: 'payment', path, request: z.object({ n: z.number() }), reply: z.object({ doubled: z.string().transform(BigInt) }), timeoutMs: 5_000 }) satisfies InternalRoute;

/** Answers by path: a good reply (when the request is signed), a refusal, a malformed reply. */
let server: Server;
let baseUrl: string;

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const principal = req.headers[PRINCIPAL_HEADER] as string;
      const signature = req.headers[SIGNATURE_HEADER] as string;
      const signed = verifySignature(secret, { method: req.method ?? '', service: 'payment', path: req.url ?? '', principal, body }, signature).ok;
      const answer = (status: number, json: unknown) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(json));
      if (!signed) return answer(401, { error: { code: 'UNAUTHENTICATED', message: 'unsigned' } });
      if (req.url === '/double') return answer(200, { doubled: String((JSON.parse(body.toString()) as { n: number }).n * 2) });
      if (req.url === '/refuse') return answer(400, { error: { code: 'BAD_USER_INPUT', message: 'no such n' } });
      if (req.url === '/broken') return answer(500, 'oops');
      return answer(200, { doubled: 4 });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

async function failure(promise: Promise<unknown>): Promise<InternalCallError> {
  const error: unknown = await promise.then(() => null, (thrown: unknown) => thrown);
  expect(error).toBeInstanceOf(InternalCallError);
  return error as InternalCallError;
}

describe('callInternalRoute', () => {
  it('signs the request and reads the reply with the route’s schema', async () => {
    expect(await callInternalRoute(route('/double'), baseUrl, secret, { n: 21 })).toEqual({ doubled: 42n });
  });

  it('a non-2xx answer is an InternalCallError with its status and the refusal it gave', async () => {
    const refused = await failure(callInternalRoute(route('/refuse'), baseUrl, secret, { n: 1 }));
    expect(refused).toMatchObject({ path: '/refuse', status: 400, refusal: { code: 'BAD_USER_INPUT', message: 'no such n' } });
    const broken = await failure(callInternalRoute(route('/broken'), baseUrl, secret, { n: 1 }));
    expect(broken).toMatchObject({ status: 500, refusal: null });
    const unsigned = await failure(callInternalRoute(route('/double'), baseUrl, 'another-secret-0123456789abcdef01234', { n: 1 }));
    expect(unsigned.status).toBe(401);
  });

  it('a malformed reply is an InternalCallError', async () => {
    const malformed = await failure(callInternalRoute(route('/malformed'), baseUrl, secret, { n: 2 }));
    expect(malformed).toMatchObject({ status: 200, refusal: null });
    expect(malformed.message).toMatch(/\/malformed answered a malformed reply/);
  });

  it('a service that cannot be reached is an InternalCallError without a status', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const unreachable = await failure(callInternalRoute(route('/double'), `http://127.0.0.1:${port}`, secret, { n: 1 }));
    expect(unreachable).toMatchObject({ status: null, refusal: null });
    expect(unreachable.cause).toBeDefined();
  });
});
