import { z } from 'zod';
import { DomainError, ErrorCode, fail } from '../../lib/errors.js';
import { httpRequest, type HttpAnswer } from '../../lib/http-request.js';
import { signedJsonHeaders, SYSTEM_PRINCIPAL } from '../../lib/internal-signature.js';
import { currencyExponent, money } from '../../lib/money.js';
import type { StatementSource } from './services/reconciliation.js';

/** The payment subgraph's statements route (subgraphs/payment/http-routes.ts), signed like the gateway's calls. */
const STATEMENTS_PATH = '/internal/statements';

const lineSchema = z.object({
  kind: z.enum(['PAYMENT', 'REFUND']),
  providerReference: z.string().min(1),
  paymentId: z.string().min(1),
  refundId: z.string().min(1).nullable(),
  currency: z.string().refine((code) => currencyExponent(code) !== undefined, 'must be an ISO 4217 code'),
  amount: z.string().regex(/^\d{1,19}$/).transform((text) => BigInt(text)),
  status: z.enum(['SUCCEEDED', 'FAILED', 'PENDING', 'CLOSED']),
  occurredAt: z.iso.datetime().transform((text) => new Date(text)),
});
const answerSchema = z.object({ lines: z.array(lineSchema) });
const refusalSchema = z.object({ error: z.object({ code: z.string(), message: z.string() }) });

/** Asks the payment subgraph for a channel's statement of a day; the provider's statement can take a while. */
export function paymentStatementSource(paymentUrl: string, internalSecret: string): StatementSource {
  return async (channel, date) => {
    const body = JSON.stringify({ channel, date });
    let response: HttpAnswer;
    try {
      response = await httpRequest(`${paymentUrl.replace(/\/+$/, '')}${STATEMENTS_PATH}`, {
        method: 'POST',
        headers: signedJsonHeaders(internalSecret, SYSTEM_PRINCIPAL, body),
        body,
        timeoutMs: 60_000,
      });
    } catch (cause) {
      throw new Error(`the payment subgraph could not be reached for the ${channel} statement of ${date}`, { cause });
    }
    const refusal = refusalSchema.safeParse(parseJson(response.body)).data?.error;
    if (response.status === 400 && refusal?.code === ErrorCode.BAD_USER_INPUT) throw fail.badInput('input.channel', refusal.message);
    if (response.status === 502 && refusal) {
      throw new DomainError(ErrorCode.INVALID_STATE, `The ${channel} statement of ${date} could not be obtained: ${refusal.message}`, { providerError: refusal.code });
    }
    const answer = response.status === 200 ? answerSchema.safeParse(parseJson(response.body)) : null;
    if (!answer?.success) throw new Error(`the payment subgraph answered ${response.status} to the ${channel} statement of ${date}`);
    return answer.data.lines.map(({ currency, amount, ...line }) => ({ ...line, amount: money(amount, currency) }));
  };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
