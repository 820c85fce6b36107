import { z } from 'zod';
import { currencyExponent } from '../../lib/money.js';
import { invalidRequest, type Reply } from './reply.js';

const minorUnits = z.string().regex(/^[1-9]\d{0,18}$/, 'must be a positive integer of minor units as a decimal string');

export const authorizationRequest = z.object({
  reference: z.string().min(1).max(255),
  amount: minorUnits,
  currency: z.string().refine((code) => currencyExponent(code) !== undefined, 'must be an upper-case ISO 4217 code'),
  capture: z.boolean(),
  card: z.object({
    number: z.string().max(32),
    exp_month: z.int().min(1).max(12),
    exp_year: z.int().min(2000).max(9999),
    cvc: z.string().regex(/^\d{3,4}$/, 'must be 3 or 4 digits'),
  }),
  notify_url: z.url({ protocol: /^https?$/ }),
});

export const captureRequest = z.object({ amount: minorUnits.optional() });

export const refundRequest = z.object({
  authorization: z.string().min(1),
  amount: minorUnits,
  reference: z.string().min(1).max(255),
});

export const sandboxAuthenticationRequest = z.object({ outcome: z.enum(['APPROVE', 'DECLINE']) });

/** Messages name the field and the rule, never the value: a value may be a card number. */
export function parseRequest<T>(schema: z.ZodType<T>, body: unknown): { data: T } | { refusal: Reply } {
  const result = schema.safeParse(body ?? {});
  if (result.success) return { data: result.data };
  const message = result.error.issues.map((issue) => `${issue.path.join('.') || 'body'}: ${issue.message}`).join('; ');
  return { refusal: invalidRequest(message) };
}
