import { z } from 'zod';
import { httpRequest, type HttpAnswer } from '../../../../lib/http-request.js';

const statusSchema = z.enum(['authorized', 'captured', 'declined', 'requires_action', 'voided']);
export type CardAuthorizationStatus = z.infer<typeof statusSchema>;

/** An authorization as the provider reports it; amounts are minor units of `currency`. */
export interface CardAuthorization {
  id: string;
  reference: string;
  status: CardAuthorizationStatus;
  amount: bigint;
  currency: string;
  capturedAmount: bigint;
  declineCode: string | null;
  actionUrl: string | null;
  brand: string;
  last4: string;
}

export interface CardAuthorizeInput {
  reference: string;
  amount: bigint;
  currency: string;
  capture: boolean;
  card: { number: string; expMonth: number; expYear: number; cvc: string };
  notifyUrl: string;
}

const minorUnits = z.string().regex(/^\d+$/).transform((text) => BigInt(text));
/** The wire form (snake_case, amounts as strings) read into a CardAuthorization; the webhook reuses it. */
export const cardAuthorizationSchema = z
  .object({
    id: z.string(),
    reference: z.string(),
    status: statusSchema,
    amount: minorUnits,
    currency: z.string(),
    captured_amount: minorUnits,
    decline_code: z.string().nullable(),
    action_url: z.string().nullable(),
    brand: z.string(),
    last4: z.string(),
  })
  .transform(({ captured_amount, decline_code, action_url, ...rest }): CardAuthorization => ({
    ...rest,
    capturedAmount: captured_amount,
    declineCode: decline_code,
    actionUrl: action_url,
  }));

const cardRefundSchema = z.object({
  id: z.string(),
  authorization: z.string(),
  reference: z.string(),
  amount: minorUnits,
  status: z.literal('succeeded'),
});
export type CardRefund = z.infer<typeof cardRefundSchema>;

const sandboxAuthenticationSchema = z.object({ delivered: z.boolean(), status: statusSchema });
export type CardSandboxAuthentication = z.infer<typeof sandboxAuthenticationSchema>;

/** A refusal or failure of the provider; its message never carries request data (card numbers travel there). */
export class CardProviderError extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'CardProviderError';
  }
}

export interface CardProviderClientOptions {
  baseUrl: string;
  apiKey: string;
  /** per request; default 10 s */
  timeoutMs?: number;
}

export class CardProviderClient {
  private readonly baseUrl: string;

  constructor(private readonly options: CardProviderClientOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
  }

  async authorize(input: CardAuthorizeInput, idempotencyKey: string): Promise<CardAuthorization> {
    const { number, expMonth, expYear, cvc } = input.card;
    const body = {
      reference: input.reference,
      amount: input.amount.toString(),
      currency: input.currency,
      capture: input.capture,
      card: { number, exp_month: expMonth, exp_year: expYear, cvc },
      notify_url: input.notifyUrl,
    };
    return this.call('POST', '/v1/authorizations', cardAuthorizationSchema, { body, idempotencyKey });
  }

  async capture(id: string, amountMinor: bigint, idempotencyKey?: string): Promise<CardAuthorization> {
    const body = { amount: amountMinor.toString() };
    return this.call('POST', `/v1/authorizations/${encodeURIComponent(id)}/capture`, cardAuthorizationSchema, withKey({ body }, idempotencyKey));
  }

  /** Voiding a voided authorization answers it as it is. */
  async void(id: string, idempotencyKey?: string): Promise<CardAuthorization> {
    return this.call('POST', `/v1/authorizations/${encodeURIComponent(id)}/void`, cardAuthorizationSchema, withKey({ body: {} }, idempotencyKey));
  }

  async get(id: string): Promise<CardAuthorization> {
    return this.call('GET', `/v1/authorizations/${encodeURIComponent(id)}`, cardAuthorizationSchema);
  }

  /** The latest authorization made for our reference (the payment id), even one whose id we never saw; 404 when none. */
  async findByReference(reference: string): Promise<CardAuthorization> {
    return this.call('GET', `/v1/authorizations?reference=${encodeURIComponent(reference)}`, cardAuthorizationSchema);
  }

  async refund(input: { authorization: string; amount: bigint; reference: string }, idempotencyKey: string): Promise<CardRefund> {
    const body = { authorization: input.authorization, amount: input.amount.toString(), reference: input.reference };
    return this.call('POST', '/v1/refunds', cardRefundSchema, { body, idempotencyKey });
  }

  async getRefund(id: string): Promise<CardRefund> {
    return this.call('GET', `/v1/refunds/${encodeURIComponent(id)}`, cardRefundSchema);
  }

  /** The latest refund made for our reference (the refund id); 404 when the acquirer never made one. */
  async findRefundByReference(reference: string): Promise<CardRefund> {
    return this.call('GET', `/v1/refunds?reference=${encodeURIComponent(reference)}`, cardRefundSchema);
  }

  async sandboxAuthenticate(id: string, outcome: 'APPROVE' | 'DECLINE'): Promise<CardSandboxAuthentication> {
    const path = `/sandbox/3ds/${encodeURIComponent(id)}`;
    // the sandbox stands for the payer's browser, which has no API key
    return this.call('POST', path, sandboxAuthenticationSchema, { body: { outcome }, authenticated: false });
  }

  /** The daily settlement report (CSV) of a UTC day, with the Content-Digest it was served with. */
  async settlementReport(date: string): Promise<{ body: string; contentDigest: string | undefined }> {
    const response = await this.send('GET', `/v1/settlement-reports/${encodeURIComponent(date)}`, { accept: 'text/csv' });
    const digest = response.headers['content-digest'];
    return { body: response.body, contentDigest: Array.isArray(digest) ? digest.join(',') : digest };
  }

  private async call<T>(method: 'GET' | 'POST', path: string, schema: z.ZodType<T>, call: { body?: unknown; idempotencyKey?: string; authenticated?: boolean } = {}): Promise<T> {
    const response = await this.send(method, path, call);
    const parsed = schema.safeParse(parseJson(response.body));
    if (!parsed.success) {
      throw new CardProviderError(response.status, 'invalid_response', `card provider sent an unexpected answer to ${method} ${path}`);
    }
    return parsed.data;
  }

  /** One exchange; a failure to reach the provider or a non-2xx answer is a CardProviderError. */
  private async send(
    method: 'GET' | 'POST',
    path: string,
    call: { body?: unknown; idempotencyKey?: string; authenticated?: boolean; accept?: string },
  ): Promise<HttpAnswer> {
    const headers: Record<string, string> = { Accept: call.accept ?? 'application/json' };
    if (call.authenticated !== false) headers['Authorization'] = `Bearer ${this.options.apiKey}`;
    if (call.idempotencyKey !== undefined) headers['Idempotency-Key'] = call.idempotencyKey;
    if (call.body !== undefined) headers['Content-Type'] = 'application/json';
    const where = `${method} ${path}`;
    let response: HttpAnswer;
    try {
      response = await httpRequest(`${this.baseUrl}${path}`, {
        method,
        headers,
        ...(call.body === undefined ? {} : { body: JSON.stringify(call.body) }),
        timeoutMs: this.options.timeoutMs ?? 10_000,
      });
    } catch (cause) {
      const timedOut = cause instanceof DOMException && cause.name === 'TimeoutError';
      const type = timedOut ? 'timeout' : 'network_error';
      throw new CardProviderError(0, type, `card provider unreachable (${type}) on ${where}`, { cause });
    }
    if (response.status < 200 || response.status > 299) {
      const type = z.object({ error: z.object({ type: z.string() }) }).safeParse(parseJson(response.body)).data?.error.type ?? 'unknown';
      throw new CardProviderError(response.status, type, `card provider answered ${response.status} ${type} to ${where}`);
    }
    return response;
  }
}

function withKey(call: { body: unknown }, idempotencyKey: string | undefined): { body: unknown; idempotencyKey?: string } {
  return idempotencyKey === undefined ? call : { ...call, idempotencyKey };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
