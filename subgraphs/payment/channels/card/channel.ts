import { isSameAmount, money, type Money } from '../../../../lib/money.js';
import type { Payment } from '../../entities/Payment.js';
import type { Refund } from '../../entities/Refund.js';
import {
  ChannelError,
  type AuthorizationOutcome,
  type CallbackAnswer,
  type ChannelConnector,
  type PaymentQueryResult,
  type ProviderCallback,
  type RefundOutcome,
  type StatementLine,
  type ValidatedCard,
} from '../channel.js';
import { CardProviderClient, CardProviderError, type CardAuthorization, type CardRefund } from './client.js';
import { parseSettlementReport } from './statement.js';
import { verifyCardWebhook } from './webhook.js';

export interface CardChannelOptions {
  client: CardProviderClient;
  webhookSecret: string;
  /** where the provider sends this payment service's callbacks */
  callbackUrl: () => string;
}

/** The provider's decline codes, as our failure codes. */
const failureCodes: Record<string, string> = {
  card_declined: 'CARD_DECLINED',
  insufficient_funds: 'INSUFFICIENT_FUNDS',
  expired_card: 'EXPIRED_CARD',
  incorrect_number: 'INCORRECT_NUMBER',
  authentication_failed: 'PAYER_DECLINED',
};

const failureMessages: Record<string, string> = {
  CARD_DECLINED: 'The card was declined',
  INSUFFICIENT_FUNDS: 'The card has insufficient funds',
  EXPIRED_CARD: 'The card has expired',
  INCORRECT_NUMBER: 'The card number is incorrect',
  PAYER_DECLINED: 'The payer did not complete 3-D Secure authentication',
};

export function toOutcome(authorization: CardAuthorization): AuthorizationOutcome {
  const providerReference = authorization.id;
  switch (authorization.status) {
    case 'authorized':
      return { kind: 'authorized', providerReference };
    case 'captured':
      return { kind: 'captured', providerReference };
    case 'requires_action':
      return { kind: 'requires_action', providerReference, nextAction: { type: 'REDIRECT', url: authorization.actionUrl ?? '' } };
    case 'declined':
    case 'voided': {
      const failureCode = failureCodes[authorization.declineCode ?? ''] ?? 'CARD_DECLINED';
      return { kind: 'declined', providerReference, failureCode, failureMessage: failureMessages[failureCode] ?? 'Declined' };
    }
  }
}

function channelError(error: unknown): unknown {
  if (!(error instanceof CardProviderError)) return error;
  if (error.status === 0 || error.status >= 500) return new ChannelError('PROVIDER_UNAVAILABLE', `card provider: ${error.type}`);
  if (error.status === 409) return new ChannelError('PROVIDER_INVALID_STATE', `card provider: ${error.type}`);
  return new ChannelError('PROVIDER_REJECTED', `card provider: ${error.type}`);
}

const isNotFound = (error: unknown) => error instanceof CardProviderError && error.status === 404;
const isInvalidState = (error: unknown) => error instanceof CardProviderError && error.type === 'invalid_state';

/** Our failure code for a refund the acquirer refused for good (not a fault of ours or of its availability). */
function refundRefusal(error: unknown): string | null {
  if (!(error instanceof CardProviderError)) return null;
  if (error.type === 'invalid_state') return 'PROVIDER_INVALID_STATE';
  if (error.type === 'invalid_request' || error.type === 'not_found') return 'PROVIDER_REJECTED';
  return null;
}

function refunded(refund: CardRefund): RefundOutcome {
  return { status: 'SUCCEEDED', providerReference: refund.id, failureCode: null };
}

async function call<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw channelError(error);
  }
}

/** CARD payments through the card acquirer's API (the sandbox simulator speaks the same protocol). */
export class CardChannel implements ChannelConnector {
  constructor(private readonly options: CardChannelOptions) {}

  async confirm(payment: Payment, card: ValidatedCard | null): Promise<AuthorizationOutcome> {
    if (!card) throw new ChannelError('PROVIDER_REJECTED', 'a card is required');
    const authorization = await call(() =>
      this.options.client.authorize(
        {
          reference: payment.id,
          amount: payment.amount,
          currency: payment.currency,
          capture: payment.captureMethod === 'AUTOMATIC',
          card: { number: card.number, expMonth: card.expMonth, expYear: card.expYear, cvc: card.cvc },
          notifyUrl: this.options.callbackUrl(),
        },
        `authorize:${payment.id}`,
      ),
    );
    return toOutcome(authorization);
  }

  /** By the authorization id we saved, or else by our reference: an authorization whose id we never saved is found. */
  async query(payment: Payment): Promise<PaymentQueryResult> {
    const authorization = await this.findAuthorization(payment);
    if (authorization === null) return { kind: 'not_found' };
    return authorization.status === 'voided' ? { kind: 'closed', providerReference: authorization.id } : toOutcome(authorization);
  }

  /** Keyed by the payment: a capture sent again replays; one the acquirer already made for this amount is done. */
  async capture(payment: Payment, amount: Money): Promise<void> {
    const id = await this.authorizationId(payment);
    try {
      await this.options.client.capture(id, amount.minor, `capture:${payment.id}`);
    } catch (error) {
      if (isInvalidState(error) && (await this.alreadyCaptured(id, amount))) return;
      throw channelError(error);
    }
  }

  /** Keyed by the payment; an authorization already voided (or declined) is done, and so is one the acquirer never made. */
  async cancel(payment: Payment): Promise<void> {
    const authorization = payment.providerReference ? { id: payment.providerReference } : await this.findAuthorization(payment);
    if (authorization === null) return;
    try {
      await this.options.client.void(authorization.id, `void:${payment.id}`);
    } catch (error) {
      if (isInvalidState(error) && (await this.holdsNothing(authorization.id))) return;
      throw channelError(error);
    }
  }

  async refund(payment: Payment, refund: Refund): Promise<RefundOutcome> {
    return refunded(await call(() => this.sendRefund(payment, refund)));
  }

  /**
   * Asks the acquirer for the refund by our refund id; one it never saw is sent again with the same
   * key, so that it is made exactly once. A refund it refuses then has failed.
   */
  async queryRefund(payment: Payment, refund: Refund): Promise<RefundOutcome> {
    try {
      return refunded(await this.options.client.findRefundByReference(refund.id));
    } catch (error) {
      if (!isNotFound(error)) throw channelError(error);
    }
    try {
      return refunded(await this.sendRefund(payment, refund));
    } catch (error) {
      const refusal = refundRefusal(error);
      if (refusal === null) throw channelError(error);
      return { status: 'FAILED', providerReference: null, failureCode: refusal };
    }
  }

  /** The acquirer's settlement report of a UTC day: captures and refunds, checked against its Content-Digest. */
  async fetchStatement(date: string): Promise<StatementLine[]> {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) throw new ChannelError('PROVIDER_REJECTED', `a settlement date is YYYY-MM-DD, not ${date}`);
    const report = await call(() => this.options.client.settlementReport(date));
    try {
      return parseSettlementReport(report.body, report.contentDigest, date);
    } catch (error) {
      throw new ChannelError('PROVIDER_REJECTED', `card settlement report of ${date}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  async sandboxPayerAction(payment: Payment, outcome: 'APPROVE' | 'DECLINE'): Promise<void> {
    const id = await this.authorizationId(payment);
    const result = await call(() => this.options.client.sandboxAuthenticate(id, outcome));
    if (!result.delivered) throw new ChannelError('PROVIDER_UNAVAILABLE', 'the provider could not deliver its notification');
  }

  async parseCallback(rawBody: Buffer, headers: Record<string, string | undefined>): Promise<ProviderCallback | null> {
    const verified = verifyCardWebhook(this.options.webhookSecret, rawBody, headers['card-signature']);
    if (!verified.ok) return null;
    return { kind: 'payment', paymentId: verified.event.data.reference, outcome: toOutcome(verified.event.data) };
  }

  private async sendRefund(payment: Payment, refund: Refund): Promise<CardRefund> {
    const authorization = await this.authorizationId(payment);
    return this.options.client.refund({ authorization, amount: refund.amount, reference: refund.id }, `refund:${refund.id}`);
  }

  /** null when the acquirer has no authorization for the payment */
  private async findAuthorization(payment: Payment): Promise<CardAuthorization | null> {
    const { client } = this.options;
    try {
      return payment.providerReference ? await client.get(payment.providerReference) : await client.findByReference(payment.id);
    } catch (error) {
      if (isNotFound(error)) return null;
      throw channelError(error);
    }
  }

  private async authorizationId(payment: Payment): Promise<string> {
    if (payment.providerReference) return payment.providerReference;
    const authorization = await this.findAuthorization(payment);
    if (authorization === null) throw new ChannelError('PROVIDER_INVALID_STATE', 'the card provider has no authorization for this payment');
    return authorization.id;
  }

  private async holdsNothing(id: string): Promise<boolean> {
    const { status } = await call(() => this.options.client.get(id));
    return status === 'voided' || status === 'declined';
  }

  private async alreadyCaptured(id: string, amount: Money): Promise<boolean> {
    const authorization = await call(() => this.options.client.get(id));
    return authorization.status === 'captured' && isSameAmount(money(authorization.capturedAmount, authorization.currency), amount);
  }

  callbackAnswer(accepted: boolean): CallbackAnswer {
    return accepted
      ? { status: 200, contentType: 'text/plain', body: 'success' }
      : { status: 401, contentType: 'text/plain', body: 'signature verification failed' };
  }
}

