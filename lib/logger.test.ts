import { afterEach, describe, expect, it } from 'vitest';
import { captureLogs } from '../test/support/log-capture.js';
import { logInternalError } from './log.js';
import { logger } from './logger.js';
import { REDACTED } from './logging/redaction.js';
import { runForEvent, runInRequest } from './request-context.js';

const card = { number: '4242424242424242', expMonth: 12, expYear: 2030, cvc: '123' };
const secrets = {
  apiKey: 'pgk_Q2hlY2tUaGlzS2V5SXNOZXZlckxvZ2dlZEFueXdoZXJl0',
  adminKey: 'pgk_admin_c2VjcmV0LWFkbWluLWtleS1uZXZlci1sb2dnZWQ',
  internalSecret: 'internal-secret-value-of-32-characters!!',
  webhookSecret: 'whsec_webhook-secret-value',
  bearer: 'opaque-token-value-7f3a9',
};

let capture: ReturnType<typeof captureLogs> | undefined;
afterEach(() => capture?.stop());

describe('log lines', () => {
  it('hold no authorization header, card field or secret, however they are nested or named', () => {
    capture = captureLogs('trace');
    const log = logger('test');
    log.info({ req: { headers: { authorization: `Bearer ${secrets.bearer}`, 'x-paygraph-signature': 'v1=abc', cookie: 'session=1' } } }, 'headers');
    log.info({ input: { paymentId: 'pay_1', card } }, 'a confirmation');
    log.info({ cardNumber: card.number, cvv: card.cvc, expiry: '12/30' }, 'flat card fields');
    log.warn({ config: { INTERNAL_SECRET: secrets.internalSecret, internalSecret: secrets.internalSecret, adminApiKey: secrets.adminKey, webhookSecret: secrets.webhookSecret, privateKey: 'PEM' } }, 'config');
    log.error({ keys: [secrets.apiKey] }, `a message quoting Bearer ${secrets.bearer} and ${secrets.apiKey}`);
    log.info(`the admin key ${secrets.adminKey} in text`);
    logInternalError('test', new Error(`failed for ${secrets.apiKey}`));
    const text = capture.text();
    for (const value of [...Object.values(secrets), card.number, card.cvc, 'v1=abc', 'session=1', '12/30', 'PEM']) expect(text).not.toContain(value);
    const lines = capture.lines();
    expect(lines).toHaveLength(7);
    expect(lines[1]).toMatchObject({ input: { paymentId: 'pay_1', card: { number: REDACTED, expMonth: REDACTED, expYear: REDACTED, cvc: REDACTED } } });
    expect(lines[0]).toMatchObject({ req: { headers: { authorization: REDACTED } } });
  });

  it('keep what is not secret, and never change the object logged', () => {
    capture = captureLogs('info');
    const fields = { keyId: 'key_1', paymentId: 'pay_1', amount: { minorUnits: '1000', currency: 'EUR' }, card: { brand: 'visa', last4: '4242' } };
    const before = structuredClone(fields);
    logger('test').info(fields, 'kept');
    expect(fields).toEqual(before);
    expect(capture.lines()[0]).toMatchObject({ level: 'info', service: 'test', msg: 'kept', ...fields });
  });

  it("carry the request's id, or the id of the event being applied, wherever they are written from", async () => {
    capture = captureLogs('info');
    const log = logger('test');
    await runInRequest('req-1', async () => {
      await Promise.resolve();
      log.info('in a request');
      await runForEvent('evt_1', async () => log.info('applying an event'));
    });
    log.info('outside');
    const [inRequest, forEvent, outside] = capture.lines();
    expect(inRequest).toMatchObject({ requestId: 'req-1' });
    expect(forEvent).toMatchObject({ eventId: 'evt_1' });
    expect(forEvent).not.toHaveProperty('requestId');
    expect(outside).not.toHaveProperty('requestId');
  });

  it('are written at LOG_LEVEL and above only', () => {
    capture = captureLogs('warn');
    logger('test').info('not written');
    logger('test').warn('written');
    expect(capture.lines().map((line) => line.msg)).toEqual(['written']);
  });
});
