import { afterEach, describe, expect, it } from 'vitest';
import type { Principal } from '../../lib/principal.js';
import type { ChannelConnector } from '../../subgraphs/payment/channels/channel.js';
import { IdempotencyRecord } from '../../subgraphs/payment/entities/IdempotencyRecord.js';
import { systemForFile } from '../support/file-system.js';
import { cancel, capture, confirm, createPayment, errorCode, getPayment, refund, uniqueKey } from '../support/payments.js';
import { armCardFault, cardEffects, clearCardFaults } from '../support/simulator-effects.js';
import { expectNoErrors } from '../support/graphql.js';

const running = systemForFile();
/** the defaults the system runs with: IDEMPOTENCY_LEASE 10 s, PAYMENT_RECOVERY_AFTER 60 s */
const LEASE_MS = 10_000;
const RECOVERY_AFTER_MS = 60_000;

/** What a process that dies after phase (a) leaves behind: the intent and its claim, with a lease nobody renews. */
class ProcessDied extends Error {}

type Dying = 'refund' | 'capture';

/** The payment and refund services of the running subgraph, with a card connector that dies at `operation` (after the provider applied it when `applied`). */
function servicesDyingAt(operation: Dying, applied: boolean) {
  const real = running.system.payment.channels.CARD!;
  const dying: ChannelConnector = Object.create(real) as ChannelConnector;
  if (operation === 'refund') {
    dying.refund = async (payment, refund) => {
      if (applied) await real.refund(payment, refund);
      throw new ProcessDied();
    };
  } else {
    dying.capture = async (payment, amount) => {
      if (applied) await real.capture(payment, amount);
      throw new ProcessDied();
    };
  }
  return running.system.payment.servicesWith({ ...running.system.payment.channels, CARD: dying });
}

async function merchant(): Promise<{ apiKey: string; principal: Principal }> {
  const { apiKey, merchantId } = await running.system.seedMerchant();
  return { apiKey, principal: { role: 'MERCHANT', merchantId, keyId: null } };
}

async function capturedPayment(apiKey: string, amount = '30.00') {
  const payment = await createPayment(running.system, apiKey, { amount });
  expect((await confirm(running.system, apiKey, payment.id)).data?.confirmPayment.status).toBe('SUCCEEDED');
  return payment;
}

const usd = (amount: string) => ({ amount, currency: 'USD' });

afterEach(async () => clearCardFaults(running.system.simulatorUrl));

describe('recovery points: a retry resumes the work its key committed', () => {
  it('a refund whose process died after its intent: IN_USE while the lease lives, then the same refund, paid once', async () => {
    const { apiKey, principal } = await merchant();
    const payment = await capturedPayment(apiKey);
    const key = uniqueKey('refund');
    const died = await servicesDyingAt('refund', false).refunds.refund(principal, { paymentId: payment.id, amount: usd('10.00'), idempotencyKey: key }).catch((e: unknown) => e);
    expect(died).toBeInstanceOf(ProcessDied);
    const pending = await getPayment(running.system, apiKey, payment.id);
    expect(pending.refunds).toEqual([expect.objectContaining({ status: 'PENDING' })]);
    expect(pending.amountRefunded.amount).toBe('10.00');

    expect(errorCode(await refund(running.system, apiKey, payment.id, usd('10.00'), key))).toBe('IDEMPOTENCY_KEY_IN_USE');
    running.system.clock.advance(LEASE_MS + 1);
    const resumed = expectNoErrors(await refund(running.system, apiKey, payment.id, usd('10.00'), key)).refundPayment;
    expect(resumed).toMatchObject({ id: pending.refunds[0]!.id, status: 'SUCCEEDED', amount: { amount: '10.00' } });
    expect(resumed.payment.amountRefunded.amount).toBe('10.00');
    expect(resumed.payment.refunds).toHaveLength(1);
    expect((await cardEffects(running.system.simulatorUrl, payment.id)).refunds).toHaveLength(1);
    // and from now on the key answers that refund
    expect(expectNoErrors(await refund(running.system, apiKey, payment.id, usd('10.00'), key)).refundPayment.id).toBe(resumed.id);
  });

  it('a refund the acquirer made but whose answer was lost: the retry resumes with the same key, and the acquirer pays once', async () => {
    const { apiKey, principal } = await merchant();
    const payment = await capturedPayment(apiKey);
    const key = uniqueKey('refund');
    const died = await servicesDyingAt('refund', true).refunds.refund(principal, { paymentId: payment.id, amount: usd('12.00'), idempotencyKey: key }).catch((e: unknown) => e);
    expect(died).toBeInstanceOf(ProcessDied);
    running.system.clock.advance(LEASE_MS + 1);
    const resumed = expectNoErrors(await refund(running.system, apiKey, payment.id, usd('12.00'), key)).refundPayment;
    expect(resumed).toMatchObject({ status: 'SUCCEEDED', amount: { amount: '12.00' } });
    const effects = await cardEffects(running.system.simulatorUrl, payment.id);
    expect(effects.refunds.map((r) => [r.reference, r.amount])).toEqual([[resumed.id, 1200n]]);
  });

  it('a lost answer to a refund (the acquirer applied it, the connection reset): PENDING, and the retry answers the same refund SUCCEEDED', async () => {
    const { apiKey } = await merchant();
    const payment = await capturedPayment(apiKey);
    const key = uniqueKey('refund');
    await armCardFault(running.system.simulatorUrl, { drop: 'refund' });
    const first = expectNoErrors(await refund(running.system, apiKey, payment.id, usd('5.00'), key)).refundPayment;
    expect(first.status).toBe('PENDING');
    const retry = expectNoErrors(await refund(running.system, apiKey, payment.id, usd('5.00'), key)).refundPayment;
    expect(retry).toMatchObject({ id: first.id, status: 'SUCCEEDED' });
    expect((await cardEffects(running.system.simulatorUrl, payment.id)).refunds).toHaveLength(1);
  });

  it('20 concurrent retries of one refund key after its process died: one refund at the acquirer, every answer that refund or IN_USE', async () => {
    const { apiKey, principal } = await merchant();
    const payment = await capturedPayment(apiKey, '10.00');
    const key = uniqueKey('refund');
    await servicesDyingAt('refund', false).refunds.refund(principal, { paymentId: payment.id, amount: usd('10.00'), idempotencyKey: key }).catch(() => null);
    running.system.clock.advance(LEASE_MS + 1);
    const answers = await Promise.all(Array.from({ length: 20 }, () => refund(running.system, apiKey, payment.id, usd('10.00'), key)));
    const refundIds = new Set(answers.flatMap((answer) => (answer.data ? [answer.data.refundPayment.id] : [])));
    expect(answers.every((answer) => answer.data !== null || errorCode(answer) === 'IDEMPOTENCY_KEY_IN_USE')).toBe(true);
    expect(refundIds.size).toBeLessThanOrEqual(1);
    const settled = expectNoErrors(await refund(running.system, apiKey, payment.id, usd('10.00'), key)).refundPayment;
    expect(settled.status).toBe('SUCCEEDED');
    if (refundIds.size === 1) expect([...refundIds]).toEqual([settled.id]);
    const effects = await cardEffects(running.system.simulatorUrl, payment.id);
    expect(effects.refunds.map((r) => r.amount)).toEqual([1000n]);
    expect(settled.payment.amountRefunded.amount).toBe('10.00');
    expect(settled.payment.refunds).toHaveLength(1);
  });

  it('a claim with nothing committed is taken over only once its lease lapsed', async () => {
    const { apiKey } = await merchant();
    const payment = await capturedPayment(apiKey);
    // a first refund with the same input gives the fingerprint a request with that input has
    const first = await refund(running.system, apiKey, payment.id, usd('1.00'), uniqueKey('refund'));
    const em = running.system.payment.database.fork();
    const template = await em.findOneOrFail(IdempotencyRecord, { resourceId: expectNoErrors(first).refundPayment.id });
    const key = uniqueKey('refund');
    const now = running.system.clock.now();
    await em.insert(IdempotencyRecord, {
      id: uniqueKey('idem'),
      scope: template.scope,
      key,
      fingerprint: template.fingerprint,
      state: 'IN_PROGRESS',
      response: null,
      error: null,
      lockedAt: now,
      leaseOwner: 'an owner that died before committing anything',
      leaseExpiresAt: new Date(now.getTime() + LEASE_MS),
      resourceType: null,
      resourceId: null,
      operation: null,
      createdAt: now,
      expiresAt: new Date(now.getTime() + 86_400_000),
    });
    expect(errorCode(await refund(running.system, apiKey, payment.id, usd('1.00'), key))).toBe('IDEMPOTENCY_KEY_IN_USE');
    running.system.clock.advance(LEASE_MS + 1);
    const taken = expectNoErrors(await refund(running.system, apiKey, payment.id, usd('1.00'), key)).refundPayment;
    expect(taken.status).toBe('SUCCEEDED');
    expect(taken.payment.refunds).toHaveLength(2);
    expect((await cardEffects(running.system.simulatorUrl, payment.id)).refunds).toHaveLength(2);
  });
});

describe('recovery settles every operation in flight and completes its key', () => {
  async function recoverLater() {
    running.system.clock.advance(RECOVERY_AFTER_MS + 1);
    return running.system.payment.runRecovery();
  }

  it('a PROCESSING capture whose process died after the acquirer captured: SUCCEEDED with the amount asked for, captured once', async () => {
    const { apiKey, principal } = await merchant();
    const payment = await createPayment(running.system, apiKey, { amount: '50.00', captureMethod: 'MANUAL' });
    await confirm(running.system, apiKey, payment.id);
    const key = uniqueKey('capture');
    const died = await servicesDyingAt('capture', true).payments.capture(principal, { paymentId: payment.id, amount: usd('40.00'), idempotencyKey: key }).catch((e: unknown) => e);
    expect(died).toBeInstanceOf(ProcessDied);
    expect((await getPayment(running.system, apiKey, payment.id)).status).toBe('PROCESSING');
    await recoverLater();
    const recovered = await getPayment(running.system, apiKey, payment.id);
    expect(recovered).toMatchObject({ status: 'SUCCEEDED', amountReceived: { amount: '40.00' }, amountCapturable: { amount: '0.00' } });
    expect((await cardEffects(running.system.simulatorUrl, payment.id)).captures.map((c) => c.amount)).toEqual([4000n]);
    // the client's retry gets the outcome recovery committed, without another capture
    expect(expectNoErrors(await capture(running.system, apiKey, payment.id, usd('40.00'), key)).capturePayment.status).toBe('SUCCEEDED');
    expect((await cardEffects(running.system.simulatorUrl, payment.id)).captures).toHaveLength(1);
  });

  it('a PROCESSING capture the acquirer never received: captured again with the same key', async () => {
    const { apiKey, principal } = await merchant();
    const payment = await createPayment(running.system, apiKey, { amount: '20.00', captureMethod: 'MANUAL' });
    await confirm(running.system, apiKey, payment.id);
    await servicesDyingAt('capture', false).payments.capture(principal, { paymentId: payment.id, idempotencyKey: uniqueKey('capture') }).catch(() => null);
    await recoverLater();
    expect(await getPayment(running.system, apiKey, payment.id)).toMatchObject({ status: 'SUCCEEDED', amountReceived: { amount: '20.00' } });
    expect((await cardEffects(running.system.simulatorUrl, payment.id)).captures).toHaveLength(1);
  });

  it('a card confirmation whose authorization id was never saved (the answer was lost): found by our reference, booked once', async () => {
    const { apiKey } = await merchant();
    const payment = await createPayment(running.system, apiKey, { amount: '48.20' });
    const key = uniqueKey('confirm');
    await armCardFault(running.system.simulatorUrl, { drop: 'authorize' });
    const first = expectNoErrors(await confirm(running.system, apiKey, payment.id, undefined, key)).confirmPayment;
    expect(first.status).toBe('PROCESSING');
    await recoverLater();
    const recovered = await getPayment(running.system, apiKey, payment.id);
    expect(recovered).toMatchObject({ status: 'SUCCEEDED', amountReceived: { amount: '48.20' } });
    const effects = await cardEffects(running.system.simulatorUrl, payment.id);
    expect(effects.authorizations).toHaveLength(1);
    expect(expectNoErrors(await confirm(running.system, apiKey, payment.id, undefined, key)).confirmPayment.status).toBe('SUCCEEDED');
    expect((await cardEffects(running.system.simulatorUrl, payment.id)).authorizations).toHaveLength(1);
  });

  it('a card confirmation the acquirer never received ends FAILED (CONFIRMATION_NOT_RECEIVED), never stuck', async () => {
    const { apiKey } = await merchant();
    const payment = await createPayment(running.system, apiKey, { amount: '9.00' });
    const key = uniqueKey('confirm');
    await armCardFault(running.system.simulatorUrl, { unavailable: 'authorize' });
    expect(expectNoErrors(await confirm(running.system, apiKey, payment.id, undefined, key)).confirmPayment.status).toBe('PROCESSING');
    await recoverLater();
    expect(await getPayment(running.system, apiKey, payment.id)).toMatchObject({ status: 'FAILED', failureCode: 'CONFIRMATION_NOT_RECEIVED' });
    expect((await cardEffects(running.system.simulatorUrl, payment.id)).authorizations).toHaveLength(0);
    expect(expectNoErrors(await confirm(running.system, apiKey, payment.id, undefined, key)).confirmPayment.status).toBe('FAILED');
  });

  it('an interrupted cancel (the void applied, its answer lost): no capture meanwhile, then CANCELED, voided once', async () => {
    const { apiKey } = await merchant();
    const payment = await createPayment(running.system, apiKey, { amount: '35.00', captureMethod: 'MANUAL' });
    await confirm(running.system, apiKey, payment.id);
    const key = uniqueKey('cancel');
    await armCardFault(running.system.simulatorUrl, { drop: 'void' });
    expect(errorCode(await cancel(running.system, apiKey, payment.id, key))).toBe('INTERNAL_SERVER_ERROR');
    expect((await getPayment(running.system, apiKey, payment.id)).status).toBe('REQUIRES_CAPTURE');
    expect(errorCode(await capture(running.system, apiKey, payment.id))).toBe('INVALID_STATE');
    await recoverLater();
    expect(await getPayment(running.system, apiKey, payment.id)).toMatchObject({ status: 'CANCELED', amountCapturable: { amount: '0.00' } });
    expect((await cardEffects(running.system.simulatorUrl, payment.id)).voids).toHaveLength(1);
    expect(expectNoErrors(await cancel(running.system, apiKey, payment.id, key)).cancelPayment.status).toBe('CANCELED');
  });

  it('a PENDING card refund (the acquirer was unavailable): recovery sends it again with its key, SUCCEEDED once, and the key answers it', async () => {
    const { apiKey } = await merchant();
    const payment = await capturedPayment(apiKey);
    const key = uniqueKey('refund');
    await armCardFault(running.system.simulatorUrl, { unavailable: 'refund' });
    const first = expectNoErrors(await refund(running.system, apiKey, payment.id, usd('7.00'), key)).refundPayment;
    expect(first.status).toBe('PENDING');
    await recoverLater();
    const after = await getPayment(running.system, apiKey, payment.id);
    expect(after.refunds).toEqual([expect.objectContaining({ id: first.id, status: 'SUCCEEDED' })]);
    expect((await cardEffects(running.system.simulatorUrl, payment.id)).refunds).toHaveLength(1);
    expect(expectNoErrors(await refund(running.system, apiKey, payment.id, usd('7.00'), key)).refundPayment).toMatchObject({ id: first.id, status: 'SUCCEEDED' });
  });
});
