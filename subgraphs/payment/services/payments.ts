import type { Clock } from '../../../lib/clock.js';
import type { Dialect, Em } from '../../../lib/database.js';
import { fail, type DomainError } from '../../../lib/errors.js';
import { crashPoint, type CrashPoint } from '../../../lib/faults/crash-points.js';
import { newId } from '../../../lib/ids.js';
import { formatAmount, greaterThan, money, type Money } from '../../../lib/money.js';
import { parseMoneyInput } from '../../../lib/money-input.js';
import type { Principal } from '../../../lib/principal.js';
import { Payment, type CaptureMethod, type PaymentChannel, type PendingOperation } from '../entities/Payment.js';
import { ChannelError, type ChannelConnector, type ChannelRegistry } from '../channels/channel.js';
import { actingMerchant, assertMayWrite, idempotencyScope } from './access.js';
import { validateCard, type CardInput } from './card-validation.js';
import type { IdempotencyKeyUse, IdempotencyService } from './idempotency.js';
import { changeStatus, recordPaymentCreated } from './payment-events.js';
import { applyCanceled } from './payment-outcomes.js';
import {
  authorize,
  cancelDecision,
  cancelOnce,
  captureDecision,
  captureOnce,
  commitPaymentOutcome,
  confirmDecision,
  resolveCapture,
  resolveConfirmation,
  type AnswerSink,
  type PaymentAnswer,
  type PaymentDecision,
} from './payment-settlement.js';
import { findVisiblePayment, lockPayment } from './payment-store.js';
import { assertNothingPending, assertOperationAllowed } from './status-machine.js';
import { validateDescription, validateMetadata } from './payment-input.js';
import { isQrCodeChannel, validateChannelOptions } from './wallet-rules.js';

export interface MoneyInput {
  amount: string;
  currency: string;
}

export interface CreatePaymentInput {
  amount: MoneyInput;
  channel: PaymentChannel;
  captureMethod?: CaptureMethod | null;
  description?: string | null;
  metadata?: Record<string, unknown> | null;
  idempotencyKey: string;
}

export interface PaymentServiceDeps {
  em: Em;
  dialect: Dialect;
  clock: Clock;
  channels: ChannelRegistry;
  idempotency: IdempotencyService;
  sandbox: boolean;
  /** how long a QR code may wait for its payer before the payment expires */
  qrCodeTtlMs: number;
}

/** The payment lifecycle: create, confirm, capture, cancel, and what providers report back. */
export class PaymentService {
  constructor(private readonly deps: PaymentServiceDeps) {}

  async create(principal: Principal, input: CreatePaymentInput): Promise<Payment> {
    const merchantId = actingMerchant(principal);
    if (!this.deps.channels[input.channel]) throw channelOff('input.channel', input.channel);
    const amount = parseMoneyInput(input.amount, 'input.amount');
    const description = validateDescription(input.description);
    const metadata = validateMetadata(input.metadata);
    const captureMethod = input.captureMethod ?? 'AUTOMATIC';
    validateChannelOptions(input.channel, captureMethod, amount.currency);
    const { idempotency, em, clock } = this.deps;
    const fingerprint = idempotency.fingerprint('createPayment', { ...input, idempotencyKey: undefined });
    return idempotency.run(idempotencyScope(principal, 'createPayment'), input.idempotencyKey, fingerprint, (key) =>
      em.fork().transactional(async (tx) => {
        const now = clock.now();
        const payment = tx.create(Payment, {
          id: newId('pay', now.getTime()),
          merchantId,
          currency: amount.currency,
          amount: amount.minor,
          amountCapturable: 0n,
          amountReceived: 0n,
          amountRefunded: 0n,
          channel: input.channel,
          captureMethod,
          status: 'REQUIRES_CONFIRMATION',
          nextAction: null,
          failureCode: null,
          failureMessage: null,
          description,
          metadata,
          card: null,
          cancellationReason: null,
          providerReference: null,
          pendingOperation: null,
          pendingAmount: null,
          expiresAt: null,
          providerCheckedAt: null,
          eventSequence: 0,
          createdAt: now,
          updatedAt: now,
        });
        recordPaymentCreated(tx, payment);
        await tx.flush();
        await key.complete(tx, payment);
        return payment;
      }),
    );
  }

  async confirm(principal: Principal, input: { paymentId: string; card?: CardInput | null; idempotencyKey: string }): Promise<Payment> {
    assertMayWrite(principal);
    const card = input.card ? validateCard(input.card) : null;
    const { idempotency, em, dialect, clock } = this.deps;
    // The card enters the fingerprint only as what may be stored of it: never its number or CVC, not even hashed.
    const fingerprint = idempotency.fingerprint('confirmPayment', { paymentId: input.paymentId, card: card?.summary ?? null });
    return idempotency.run<Payment>(idempotencyScope(principal, 'confirmPayment'), input.idempotencyKey, fingerprint, {
      start: async (key) => {
        const { payment, connector } = await em.fork().transactional(async (tx) => {
          // the intent's recovery point with the claim: this transaction commits both, or neither
          await key.claim(tx, { resourceType: 'PAYMENT', resourceId: input.paymentId, operation: 'CONFIRM' });
          const payment = await lockPayment(tx, dialect, principal, input.paymentId);
          const connector = this.connectorFor(payment.channel);
          if (payment.channel === 'CARD' && !card) throw fail.badInput('input.card', 'is required to confirm a CARD payment');
          if (payment.channel !== 'CARD' && card) throw fail.badInput('input.card', `is not accepted for ${payment.channel} payments`);
          assertOperationAllowed('confirm', payment.status);
          if (card) payment.card = card.summary;
          const now = clock.now();
          // set before the provider is asked, so that the provider's own expiry of the QR code can match it
          if (isQrCodeChannel(payment.channel)) payment.expiresAt = new Date(now.getTime() + this.deps.qrCodeTtlMs);
          payment.pendingOperation = 'CONFIRM';
          changeStatus(tx, payment, 'PROCESSING', now);
          await tx.flush();
          return { payment, connector };
        });
        crashPoint(crashPoints.CONFIRM.afterIntent);
        return this.finishOperation(key, payment.id, 'CONFIRM', confirmDecision(await authorize(connector, payment, card, clock.now())));
      },
      resume: async (point, key) => {
        const payment = await this.inFlight(point.resourceId);
        if (payment.pendingOperation !== 'CONFIRM') return this.finishOperation(key, payment.id, 'CONFIRM', 'settled');
        const outcome = await resolveConfirmation(this.connectorFor(payment.channel), payment, card, clock.now());
        return this.finishOperation(key, payment.id, 'CONFIRM', confirmDecision(outcome === 'not_received' ? null : outcome));
      },
    });
  }

  async capture(principal: Principal, input: { paymentId: string; amount?: MoneyInput | null; idempotencyKey: string }): Promise<Payment> {
    assertMayWrite(principal);
    const requested = input.amount ? parseMoneyInput(input.amount, 'input.amount') : null;
    const { idempotency, em, dialect, clock } = this.deps;
    const fingerprint = idempotency.fingerprint('capturePayment', { ...input, idempotencyKey: undefined });
    return idempotency.run<Payment>(idempotencyScope(principal, 'capturePayment'), input.idempotencyKey, fingerprint, {
      start: async (key) => {
        const { payment, connector } = await em.fork().transactional(async (tx) => {
          await key.claim(tx, { resourceType: 'PAYMENT', resourceId: input.paymentId, operation: 'CAPTURE' });
          const payment = await lockPayment(tx, dialect, principal, input.paymentId);
          assertCurrency(requested, payment.currency);
          const connector = this.connectorFor(payment.channel);
          assertOperationAllowed('capture', payment.status);
          assertNothingPending(payment);
          const capturable = money(payment.amountCapturable, payment.currency);
          const amount = requested ?? capturable;
          if (greaterThan(amount, capturable)) {
            throw fail.amountTooLarge(`At most ${formatAmount(capturable)} ${payment.currency} can be captured`);
          }
          payment.pendingOperation = 'CAPTURE';
          payment.pendingAmount = amount.minor;
          changeStatus(tx, payment, 'PROCESSING', clock.now());
          await tx.flush();
          return { payment, connector };
        });
        crashPoint(crashPoints.CAPTURE.afterIntent);
        return this.finishOperation(key, payment.id, 'CAPTURE', captureDecision(await captureOnce(connector, payment)));
      },
      resume: async (point, key) => {
        const payment = await this.inFlight(point.resourceId);
        if (payment.pendingOperation !== 'CAPTURE') return this.finishOperation(key, payment.id, 'CAPTURE', 'settled');
        return this.finishOperation(key, payment.id, 'CAPTURE', captureDecision(await resolveCapture(this.connectorFor(payment.channel), payment)));
      },
    });
  }

  async cancel(principal: Principal, input: { paymentId: string; reason?: string | null; idempotencyKey: string }): Promise<Payment> {
    assertMayWrite(principal);
    const reason = validateDescription(input.reason, 'input.reason');
    const { idempotency, em, dialect, clock } = this.deps;
    const fingerprint = idempotency.fingerprint('cancelPayment', { ...input, idempotencyKey: undefined });
    return idempotency.run<Payment>(idempotencyScope(principal, 'cancelPayment'), input.idempotencyKey, fingerprint, {
      start: async (key) => {
        // Decided under the payment's lock: an operation in flight (PROCESSING, or another cancel) is refused
        // before anything is voided, and one that starts meanwhile waits for this intent and is then refused.
        const intent = await em.fork().transactional(async (tx) => {
          await key.claim(tx);
          const payment = await lockPayment(tx, dialect, principal, input.paymentId);
          assertOperationAllowed('cancel', payment.status);
          assertNothingPending(payment);
          payment.cancellationReason = reason;
          // a wallet's QR order exists at the provider before the provider names it: close it too
          if (!payment.providerReference && payment.status !== 'REQUIRES_ACTION') {
            applyCanceled(tx, payment, clock.now());
            await tx.flush();
            await key.complete(tx, payment);
            return { payment, connector: null };
          }
          const connector = this.connectorFor(payment.channel);
          payment.pendingOperation = 'CANCEL';
          payment.updatedAt = clock.now();
          await tx.flush();
          await key.commitIntent(tx, { resourceType: 'PAYMENT', resourceId: payment.id, operation: 'CANCEL' });
          return { payment, connector };
        });
        if (!intent.connector) return intent.payment;
        crashPoint(crashPoints.CANCEL.afterIntent);
        return this.finishOperation(key, intent.payment.id, 'CANCEL', cancelDecision(await cancelOnce(intent.connector, intent.payment)));
      },
      resume: async (point, key) => {
        const payment = await this.inFlight(point.resourceId);
        if (payment.pendingOperation !== 'CANCEL') return this.finishOperation(key, payment.id, 'CANCEL', 'settled');
        return this.finishOperation(key, payment.id, 'CANCEL', cancelDecision(await cancelOnce(this.connectorFor(payment.channel), payment)));
      },
    });
  }

  /**
   * Phases (b) answered and (c) of an operation in flight. No answer (null): it stays in flight, the lease is
   * given up so that a retry resumes it at once, and the payment answers as it is (PROCESSING) — a cancel, whose
   * status does not show it, is an error instead. 'settled': settled meanwhile, nothing to apply.
   */
  private async finishOperation(key: IdempotencyKeyUse<Payment>, paymentId: string, operation: PendingOperation, decide: PaymentDecision | 'settled' | null): Promise<Payment> {
    if (decide === null) {
      await key.release();
      if (operation === 'CANCEL') throw new ChannelError('PROVIDER_UNAVAILABLE', 'The provider did not answer the cancellation; it is retried with the same key');
      return this.inFlight(paymentId);
    }
    if (decide !== 'settled') crashPoint(crashPoints[operation].afterProvider);
    const decision = decide === 'settled' ? notDecided : decide;
    return answerOf(await commitPaymentOutcome(this.deps, paymentId, operation, decision, keyAnswer(key), crashPoints[operation].beforeOutcomeCommit));
  }

  /** A payment by id, for work whose intent committed (its owner checked access then). */
  private async inFlight(id: string): Promise<Payment> {
    const payment = await this.deps.em.fork().findOne(Payment, { id });
    if (!payment) throw fail.notFound('Payment', id);
    return payment;
  }

  /** Sandbox: the channel's simulator plays the payer; its signed callback changes the payment. */
  async sandboxPayerAction(principal: Principal, paymentId: string, outcome: 'APPROVE' | 'DECLINE'): Promise<Payment> {
    if (!this.deps.sandbox) throw fail.forbidden('sandboxPayerAction is only available in sandbox mode');
    assertMayWrite(principal);
    const payment = await findVisiblePayment(this.deps.em, principal, paymentId);
    assertOperationAllowed('payerAction', payment.status);
    assertNothingPending(payment);
    try {
      await this.connectorFor(payment.channel).sandboxPayerAction(payment, outcome);
    } catch (error) {
      throw toDomainError(error);
    }
    return findVisiblePayment(this.deps.em, principal, paymentId);
  }

  connectorFor(channel: PaymentChannel): ChannelConnector {
    const connector = this.deps.channels[channel];
    if (!connector) throw channelOff('channel', channel);
    return connector;
  }

}

/** A channel this deployment has not configured (production without ALIPAY_APP_ID, WECHATPAY_MCHID) takes no payment. */
const channelOff = (field: string, channel: PaymentChannel) => fail.badInput(field, `${channel} is not enabled on this platform`);

const crashPoints = {
  CONFIRM: { afterIntent: 'payment.confirm.after-intent', afterProvider: 'payment.confirm.after-provider', beforeOutcomeCommit: 'payment.confirm.before-outcome-commit' },
  CAPTURE: { afterIntent: 'payment.capture.after-intent', afterProvider: 'payment.capture.after-provider', beforeOutcomeCommit: 'payment.capture.before-outcome-commit' },
  CANCEL: { afterIntent: 'payment.cancel.after-intent', afterProvider: 'payment.cancel.after-provider', beforeOutcomeCommit: 'payment.cancel.before-outcome-commit' },
} as const satisfies Record<PendingOperation, Record<'afterIntent' | 'afterProvider' | 'beforeOutcomeCommit', CrashPoint>>;

/** Never applied: an operation settled meanwhile is committed only when it is still pending, and then it is not this one. */
const notDecided: PaymentDecision = (_tx, payment) => fail.invalidState('The operation was settled meanwhile', { status: payment.status });

/** Where a settled payment operation's answer goes: its own key. */
function keyAnswer(key: IdempotencyKeyUse<Payment>): AnswerSink {
  return {
    write: (tx: Em, answer: PaymentAnswer) => ('error' in answer ? key.refuse(tx, answer.error) : key.complete(tx, answer.response)),
    completedAnswer: (tx: Em) => key.completedAnswer(tx),
  };
}

function answerOf(result: { payment: Payment | null; refusal: DomainError | null; stored: (() => Payment) | null }): Payment {
  if (result.stored) return result.stored();
  if (result.refusal) throw result.refusal;
  if (!result.payment) throw new Error('a settled operation answers its payment or its stored answer');
  return result.payment;
}

function assertCurrency(requested: Money | null, currency: string): void {
  if (requested && requested.currency !== currency) {
    throw fail.badInput('input.amount.currency', `must be the payment's currency ${currency}`);
  }
}

export function toDomainError(error: unknown): unknown {
  if (error instanceof ChannelError && error.code === 'PROVIDER_INVALID_STATE') {
    return fail.invalidState(`The provider refused: ${error.message}`);
  }
  return error;
}
