import type { Money } from '../../../../lib/money.js';
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
import { CardProviderClient, CardProviderError, type CardAuthorization } from './client.js';
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

  async query(payment: Payment): Promise<PaymentQueryResult> {
    if (!payment.providerReference) return { kind: 'not_found' };
    const providerReference = payment.providerReference;
    try {
      const authorization = await this.options.client.get(providerReference);
      return authorization.status === 'voided' ? { kind: 'closed', providerReference } : toOutcome(authorization);
    } catch (error) {
      if (error instanceof CardProviderError && error.status === 404) return { kind: 'not_found' };
      throw channelError(error);
    }
  }

  async capture(payment: Payment, amount: Money): Promise<void> {
    await call(() => this.options.client.capture(reference(payment), amount.minor));
  }

  async cancel(payment: Payment): Promise<void> {
    await call(() => this.options.client.void(reference(payment)));
  }

  async refund(payment: Payment, refund: Refund): Promise<RefundOutcome> {
    const result = await call(() =>
      this.options.client.refund({ authorization: reference(payment), amount: refund.amount, reference: refund.id }, `refund:${refund.id}`),
    );
    return { status: 'SUCCEEDED', providerReference: result.id, failureCode: null };
  }

  async queryRefund(): Promise<RefundOutcome> {
    throw new ChannelError('PROVIDER_REJECTED', 'card provider: refund queries are not supported yet');
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
    const result = await call(() => this.options.client.sandboxAuthenticate(reference(payment), outcome));
    if (!result.delivered) throw new ChannelError('PROVIDER_UNAVAILABLE', 'the provider could not deliver its notification');
  }

  async parseCallback(rawBody: Buffer, headers: Record<string, string | undefined>): Promise<ProviderCallback | null> {
    const verified = verifyCardWebhook(this.options.webhookSecret, rawBody, headers['card-signature']);
    if (!verified.ok) return null;
    return { kind: 'payment', paymentId: verified.event.data.reference, outcome: toOutcome(verified.event.data) };
  }

  callbackAnswer(accepted: boolean): CallbackAnswer {
    return accepted
      ? { status: 200, contentType: 'text/plain', body: 'success' }
      : { status: 401, contentType: 'text/plain', body: 'signature verification failed' };
  }
}

function reference(payment: Payment): string {
  if (!payment.providerReference) throw new ChannelError('PROVIDER_INVALID_STATE', 'the payment has no provider reference');
  return payment.providerReference;
}
