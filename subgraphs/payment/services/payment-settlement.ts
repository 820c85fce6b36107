import type { Clock } from '../../../lib/clock.js';
import type { Dialect, Em } from '../../../lib/database.js';
import { fail, type DomainError } from '../../../lib/errors.js';
import { money } from '../../../lib/money.js';
import { crashPoint, type CrashPoint } from '../../../lib/faults/crash-points.js';
import type { Payment, PendingOperation } from '../entities/Payment.js';
import { ChannelError, type AuthorizationOutcome, type ChannelConnector, type PaymentQueryResult, type ValidatedCard } from '../channels/channel.js';
import { isExpired } from './card-validation.js';
import {
  applyAuthorizationOutcome,
  applyCanceled,
  applyCancelRefused,
  applyCaptured,
  applyCaptureRefused,
} from './payment-outcomes.js';
import { lockPaymentIfExists } from './payment-store.js';

/** The answer a settled operation leaves for its idempotency key: the payment, or a refusal. */
export type PaymentAnswer = { response: Payment } | { error: DomainError };

/** Where an operation's answer goes: its key (or every key whose work it was, for recovery). */
export interface AnswerSink {
  /** false: the key had its answer already (only a sink with completedAnswer says so) */
  write: (tx: Em, answer: PaymentAnswer) => Promise<boolean>;
  /** the answer the key got meanwhile (someone else settled the operation): then nothing is applied and that answer stands */
  completedAnswer?: (tx: Em) => Promise<(() => Payment) | null>;
}

/** Rolls back an outcome whose key turned out to be answered meanwhile: that answer stands. */
class AnsweredMeanwhile extends Error {}

export interface SettlementDeps {
  em: Em;
  dialect: Dialect;
  clock: Clock;
}

/** What the provider's word on an operation in flight does to the payment; a refusal is the operation's answer. */
export type PaymentDecision = (tx: Em, payment: Payment, now: Date) => DomainError | null;

/**
 * Phase (c) of an operation in flight: under the payment's lock, applies the decision only while the
 * operation is still pending on it (recovery, a callback or a retry may have settled it meanwhile: then the
 * payment as it is answers, or the refusal of a cancel or capture that did not happen), and records the answer
 * for the idempotency key in the same transaction.
 */
export async function commitPaymentOutcome(
  deps: SettlementDeps,
  paymentId: string,
  operation: PendingOperation,
  decide: PaymentDecision,
  sink: AnswerSink,
  crashAt?: CrashPoint,
): Promise<{ payment: Payment | null; refusal: DomainError | null; applied: boolean; stored: (() => Payment) | null }> {
  const { completedAnswer } = sink;
  // The key's answer is written last and only while the key has none: when it had one (settled and answered
  // meanwhile, by recovery, a callback or a retry), the transaction rolls back and that answer stands. One
  // statement fewer than reading the key first; a key that cannot be read then is settled the careful way.
  const commit = (readKeyFirst: boolean) =>
    deps.em.fork().transactional(async (tx) => {
      const payment = await lockPaymentIfExists(tx, deps.dialect, paymentId);
      if (!payment) throw fail.notFound('Payment', paymentId);
      // settled and answered meanwhile: the pending operation (if any) is another request's, and the stored answer stands
      const stored = readKeyFirst && completedAnswer ? await completedAnswer(tx) : null;
      if (stored) return { payment, refusal: null, applied: false, stored };
      const now = deps.clock.now();
      const applied = payment.pendingOperation === operation;
      const refusal = applied ? decide(tx, payment, now) : settledOtherwise(operation, payment);
      if (applied) payment.providerCheckedAt = now;
      await tx.flush();
      const written = await sink.write(tx, refusal ? { error: refusal } : { response: payment });
      if (!written && !readKeyFirst && completedAnswer) throw new AnsweredMeanwhile();
      if (crashAt) crashPoint(crashAt);
      return { payment, refusal, applied, stored: null };
    });
  try {
    return await commit(false);
  } catch (error) {
    if (!(error instanceof AnsweredMeanwhile) || !completedAnswer) throw error;
  }
  const stored = await completedAnswer(deps.em.fork());
  return stored ? { payment: null, refusal: null, applied: false, stored } : commit(true);
}

/** A capture or cancel settled by someone else without its effect is refused; a confirmation answers the payment as it is. */
function settledOtherwise(operation: PendingOperation, payment: Payment): DomainError | null {
  if (operation === 'CAPTURE' && payment.status !== 'SUCCEEDED') return fail.invalidState(`The capture did not happen: the payment is ${payment.status}`, { status: payment.status });
  if (operation === 'CANCEL' && payment.status !== 'CANCELED') return fail.invalidState(`The cancellation did not happen: the payment is ${payment.status}`, { status: payment.status });
  return null;
}

export function isOutcome(result: PaymentQueryResult): result is AuthorizationOutcome {
  return result.kind === 'authorized' || result.kind === 'captured' || result.kind === 'requires_action' || result.kind === 'declined';
}

export function closedByProvider(providerReference: string | null): AuthorizationOutcome {
  return { kind: 'declined', providerReference, failureCode: 'PAYER_DECLINED', failureMessage: 'The provider closed the order before it was paid' };
}

/** A confirmation the provider never received, found so once it was stale: it ends FAILED, never stuck. */
export const confirmationNotReceived: AuthorizationOutcome = {
  kind: 'declined',
  providerReference: null,
  failureCode: 'CONFIRMATION_NOT_RECEIVED',
  failureMessage: 'The provider never received the confirmation; confirm a new payment',
};

/**
 * Asks the provider to authorize (or to place the wallet order): the provider key is our payment id, so a
 * repeated request is the same request. Null: no answer (unreachable, timeout), the confirmation stays in flight.
 */
export async function authorize(connector: ChannelConnector, payment: Payment, card: ValidatedCard | null, now: Date): Promise<AuthorizationOutcome | null> {
  if (card && isExpired(card, now)) {
    return { kind: 'declined', providerReference: null, failureCode: 'EXPIRED_CARD', failureMessage: 'The card has expired' };
  }
  try {
    return await connector.confirm(payment, card);
  } catch (error) {
    if (!(error instanceof ChannelError)) throw error;
    if (error.code === 'PROVIDER_UNAVAILABLE') return null;
    return { kind: 'declined', providerReference: null, failureCode: error.code, failureMessage: error.message };
  }
}

/**
 * A confirmation resumed: the provider is asked by our reference first; what it does not know (or only knows as
 * an unpaid order without its code) is sent again with the same key. Without the card a card confirmation cannot
 * be sent again: 'not_received' when the acquirer never saw it. Null: still no answer.
 */
export async function resolveConfirmation(
  connector: ChannelConnector,
  payment: Payment,
  card: ValidatedCard | null,
  now: Date,
): Promise<AuthorizationOutcome | 'not_received' | null> {
  const found = await queryOrNull(connector, payment);
  if (found === null) return null;
  if (isOutcome(found)) return found;
  if (found.kind === 'closed') return closedByProvider(found.providerReference);
  if (payment.channel === 'CARD' && !card) return found.kind === 'not_found' ? 'not_received' : null;
  return authorize(connector, payment, card, now);
}

/** The provider's word on a payment; null when it cannot be reached now (asked again later). */
async function queryOrNull(connector: ChannelConnector, payment: Payment): Promise<PaymentQueryResult | null> {
  try {
    return await connector.query(payment);
  } catch (error) {
    if (error instanceof ChannelError && error.code === 'PROVIDER_UNAVAILABLE') return null;
    throw error;
  }
}

/** What the provider did with a capture or a cancel: done, refused (definitive), or no answer (in flight). */
export type ProviderVerdict = 'done' | 'refused' | null;

async function verdictOf(call: () => Promise<void>): Promise<ProviderVerdict> {
  try {
    await call();
    return 'done';
  } catch (error) {
    if (!(error instanceof ChannelError)) throw error;
    return error.code === 'PROVIDER_UNAVAILABLE' ? null : 'refused';
  }
}

/** Captures what the capture in flight asks for, with the provider key of the payment. */
export function captureOnce(connector: ChannelConnector, payment: Payment): Promise<ProviderVerdict> {
  return verdictOf(() => connector.capture(payment, money(payment.pendingAmount ?? payment.amountCapturable, payment.currency)));
}

/** A capture resumed: asked first whether the acquirer captured; captured again (same key) while only authorized. */
export async function resolveCapture(connector: ChannelConnector, payment: Payment): Promise<ProviderVerdict> {
  const found = await queryOrNull(connector, payment);
  if (found === null) return null;
  if (found.kind === 'captured') return 'done';
  if (found.kind === 'authorized') return captureOnce(connector, payment);
  if (found.kind === 'closed' || found.kind === 'declined') return 'refused';
  return null;
}

/** Voids (closes) with the provider key of the payment; a refusal is checked: an authorization already voided is canceled. */
export async function cancelOnce(connector: ChannelConnector, payment: Payment): Promise<ProviderVerdict> {
  const verdict = await verdictOf(() => connector.cancel(payment));
  if (verdict !== 'refused') return verdict;
  const found = await connector.query(payment).catch(() => null);
  return found?.kind === 'closed' ? 'done' : 'refused';
}

/** What a capture's verdict does to the payment; null (no verdict) stays null. */
export function captureDecision(verdict: ProviderVerdict): PaymentDecision | null {
  if (verdict === null) return null;
  return (tx, payment, now) => {
    if (verdict === 'done') {
      applyCaptured(tx, payment, now);
      return null;
    }
    applyCaptureRefused(tx, payment, now);
    return fail.invalidState('The provider refused the capture', { status: payment.status });
  };
}

export function cancelDecision(verdict: ProviderVerdict): PaymentDecision | null {
  if (verdict === null) return null;
  return (tx, payment, now) => {
    if (verdict === 'done') {
      applyCanceled(tx, payment, now);
      return null;
    }
    applyCancelRefused(payment, now);
    return fail.invalidState('The provider refused the cancellation', { status: payment.status });
  };
}

export function confirmDecision(outcome: AuthorizationOutcome | null): PaymentDecision | null {
  if (outcome === null) return null;
  return (tx, payment, now) => {
    applyAuthorizationOutcome(tx, payment, outcome, now);
    return null;
  };
}
