import { z } from 'zod';
import { paramError, type Reply } from './reply.js';

/** API v3 amounts: integer fen within 32 bits. */
const fen = z.int().min(1).max(2_147_483_647);

export const nativeOrderRequest = z.object({
  appid: z.string().min(1).max(32),
  mchid: z.string().min(1).max(32),
  description: z.string().min(1).max(127),
  out_trade_no: z.string().regex(/^[0-9A-Za-z_\-*]{6,32}$/, '6 to 32 of digits, letters, _ - *'),
  notify_url: z.url({ protocol: /^https?$/ }).max(255).refine((url) => !url.includes('?'), 'may not carry a query'),
  amount: z.object({ total: fen, currency: z.literal('CNY').default('CNY') }),
  time_expire: z.iso.datetime({ offset: true }).optional(),
  attach: z.string().max(128).optional(),
});

export const closeRequest = z.object({ mchid: z.string().min(1) });

export const refundRequest = z
  .object({
    transaction_id: z.string().optional(),
    out_trade_no: z.string().optional(),
    out_refund_no: z.string().regex(/^[0-9A-Za-z_\-|*@]{1,64}$/, '1 to 64 of digits, letters, _ - | * @'),
    reason: z.string().max(80).optional(),
    notify_url: z.url({ protocol: /^https?$/ }).max(256).optional(),
    amount: z.object({ refund: fen, total: fen, currency: z.literal('CNY') }),
  })
  .refine((request) => request.transaction_id !== undefined || request.out_trade_no !== undefined, 'transaction_id or out_trade_no is required');

export const payerActionRequest = z.object({ code_url: z.string(), outcome: z.enum(['APPROVE', 'DECLINE']) });

export function parseRequest<T>(schema: z.ZodType<T>, body: unknown): { data: T } | { refusal: Reply } {
  const result = schema.safeParse(body);
  if (result.success) return { data: result.data };
  return { refusal: paramError(result.error.issues.map((issue) => `${issue.path.join('.') || 'body'}: ${issue.message}`).join('; ')) };
}

/** The signed raw body read as JSON; undefined when it is not JSON. */
export function jsonOf(raw: string): unknown {
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    return undefined;
  }
}
