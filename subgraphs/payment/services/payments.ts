import type { Clock } from '../../../lib/clock.js';
import type { Dialect, Em } from '../../../lib/database.js';
import { fail } from '../../../lib/errors.js';
import { newId } from '../../../lib/ids.js';
import { formatAmount, greaterThan, money, type Money } from '../../../lib/money.js';
import { parseMoneyInput } from '../../../lib/money-input.js';
import type { Principal } from '../../../lib/principal.js';
import { Payment, type CaptureMethod, type PaymentChannel } from '../entities/Payment.js';
import { ChannelError, type AuthorizationOutcome, type ChannelConnector, type ChannelRegistry, type ValidatedCard } from '../channels/channel.js';
import { actingMerchant, assertMayWrite, idempotencyScope } from './access.js';
import { isExpired, validateCard, type CardInput } from './card-validation.js';
import type { IdempotencyService } from './idempotency.js';
import { changeStatus, recordPaymentCreated } from './payment-events.js';
import { applyAuthorizationOutcome } from './payment-outcomes.js';
import { findVisiblePayment, lockPayment } from './payment-store.js';
import { assertOperationAllowed } from './status-machine.js';
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
    return idempotency.run(idempotencyScope(principal, 'confirmPayment'), input.idempotencyKey, fingerprint, async (key) => {
      const { payment: processing, connector } = await em.fork().transactional(async (tx) => {
        await key.claim(tx);
        const payment = await lockPayment(tx, dialect, principal, input.paymentId);
        const connector = this.connectorFor(payment.channel);
        if (payment.channel === 'CARD' && !card) throw fail.badInput('input.card', 'is required to confirm a CARD payment');
        if (payment.channel !== 'CARD' && card) throw fail.badInput('input.card', `is not accepted for ${payment.channel} payments`);
        assertOperationAllowed('confirm', payment.status);
        if (card) payment.card = card.summary;
        const now = clock.now();
        // set before the provider is asked, so that the provider's own expiry of the QR code can match it
        if (isQrCodeChannel(payment.channel)) payment.expiresAt = new Date(now.getTime() + this.deps.qrCodeTtlMs);
        changeStatus(tx, payment, 'PROCESSING', now);
        return { payment, connector };
      });
      const outcome = await this.authorize(connector, processing, card);
      return em.fork().transactional(async (tx) => {
        const payment = await lockPayment(tx, dialect, null, input.paymentId);
        applyAuthorizationOutcome(tx, payment, outcome, clock.now());
        await tx.flush();
        await key.complete(tx, payment);
        return payment;
      });
    });
  }

  async capture(principal: Principal, input: { paymentId: string; amount?: MoneyInput | null; idempotencyKey: string }): Promise<Payment> {
    assertMayWrite(principal);
    const requested = input.amount ? parseMoneyInput(input.amount, 'input.amount') : null;
    const { idempotency, em, dialect, clock } = this.deps;
    const fingerprint = idempotency.fingerprint('capturePayment', { ...input, idempotencyKey: undefined });
    return idempotency.run(idempotencyScope(principal, 'capturePayment'), input.idempotencyKey, fingerprint, async (key) => {
      const { payment: processing, amount, connector } = await em.fork().transactional(async (tx) => {
        await key.claim(tx);
        const payment = await lockPayment(tx, dialect, principal, input.paymentId);
        assertCurrency(requested, payment.currency);
        const connector = this.connectorFor(payment.channel);
        assertOperationAllowed('capture', payment.status);
        const capturable = money(payment.amountCapturable, payment.currency);
        const amount = requested ?? capturable;
        if (greaterThan(amount, capturable)) {
          throw fail.amountTooLarge(`At most ${formatAmount(capturable)} ${payment.currency} can be captured`);
        }
        changeStatus(tx, payment, 'PROCESSING', clock.now());
        return { payment, amount, connector };
      });
      try {
        await connector.capture(processing, amount);
      } catch (error) {
        await em.fork().transactional(async (tx) => {
          const payment = await lockPayment(tx, dialect, null, input.paymentId);
          changeStatus(tx, payment, 'REQUIRES_CAPTURE', clock.now());
        });
        throw toDomainError(error);
      }
      return em.fork().transactional(async (tx) => {
        const payment = await lockPayment(tx, dialect, null, input.paymentId);
        payment.amountReceived = amount.minor;
        payment.amountCapturable = 0n;
        changeStatus(tx, payment, 'SUCCEEDED', clock.now());
        await tx.flush();
        await key.complete(tx, payment);
        return payment;
      });
    });
  }

  async cancel(principal: Principal, input: { paymentId: string; reason?: string | null; idempotencyKey: string }): Promise<Payment> {
    assertMayWrite(principal);
    const reason = validateDescription(input.reason, 'input.reason');
    const { idempotency, em, dialect, clock } = this.deps;
    const fingerprint = idempotency.fingerprint('cancelPayment', { ...input, idempotencyKey: undefined });
    return idempotency.run(idempotencyScope(principal, 'cancelPayment'), input.idempotencyKey, fingerprint, (key) =>
      // The void is asked for under the payment's lock, decided on the locked status: a capture or
      // confirmation in flight (PROCESSING) is refused before anything is voided, and one that starts
      // meanwhile waits. Voiding on an earlier read let a concurrent capture fail at the provider while
      // the cancel found PROCESSING: both refused, the payment left capturable with a voided authorization.
      em.fork().transactional(async (tx) => {
        await key.claim(tx);
        const payment = await lockPayment(tx, dialect, principal, input.paymentId);
        assertOperationAllowed('cancel', payment.status);
        // a wallet's QR order exists at the provider before the provider names it: close it too
        if (payment.providerReference || payment.status === 'REQUIRES_ACTION') {
          try {
            await this.connectorFor(payment.channel).cancel(payment);
          } catch (error) {
            throw toDomainError(error);
          }
        }
        payment.amountCapturable = 0n;
        payment.nextAction = null;
        payment.cancellationReason = reason;
        changeStatus(tx, payment, 'CANCELED', clock.now());
        await tx.flush();
        await key.complete(tx, payment);
        return payment;
      }),
    );
  }

  /** Sandbox: the channel's simulator plays the payer; its signed callback changes the payment. */
  async sandboxPayerAction(principal: Principal, paymentId: string, outcome: 'APPROVE' | 'DECLINE'): Promise<Payment> {
    if (!this.deps.sandbox) throw fail.forbidden('sandboxPayerAction is only available in sandbox mode');
    assertMayWrite(principal);
    const payment = await findVisiblePayment(this.deps.em, principal, paymentId);
    assertOperationAllowed('payerAction', payment.status);
    try {
      await this.connectorFor(payment.channel).sandboxPayerAction(payment, outcome);
    } catch (error) {
      throw toDomainError(error);
    }
    return findVisiblePayment(this.deps.em, principal, paymentId);
  }

  connectorFor(channel: PaymentChannel): ChannelConnector {
    const connector = this.deps.channels[channel];
    if (!connector) throw fail.badInput('channel', `${channel} payments cannot be confirmed yet: the channel is not enabled`);
    return connector;
  }

  private async authorize(connector: ChannelConnector, payment: Payment, card: ValidatedCard | null): Promise<AuthorizationOutcome> {
    if (card && isExpired(card, this.deps.clock.now())) {
      return { kind: 'declined', providerReference: null, failureCode: 'EXPIRED_CARD', failureMessage: 'The card has expired' };
    }
    try {
      return await connector.confirm(payment, card);
    } catch (error) {
      if (!(error instanceof ChannelError)) throw error;
      return { kind: 'declined', providerReference: null, failureCode: error.code, failureMessage: error.message };
    }
  }
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
