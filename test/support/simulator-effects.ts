import { z } from 'zod';
import { parseExactAmount } from '../../lib/money.js';

/**
 * A typed client for the simulators' sandbox inspection and fault routes, for tests that count what
 * a provider really did ("exactly one capture of this payment, one refund of 10.00 for this refund id").
 * Amounts are minor units (bigint), as the simulators keep them.
 */

const minor = z.string().regex(/^\d+$/).transform((text) => BigInt(text));
const instant = z.string().transform((text) => new Date(text));
const nullableInstant = instant.nullable();
const yuan = z.string().transform((text) => parseExactAmount(text, 'CNY').minor);
const fen = z.int().min(0).transform((count) => BigInt(count));

const cardEffectsSchema = z.object({
  authorizations: z.array(z.object({
    id: z.string(), reference: z.string(), status: z.string(), amount: minor, currency: z.string(), capturedAmount: minor, refundedAmount: minor,
  })),
  captures: z.array(z.object({ authorization: z.string(), reference: z.string(), amount: minor, currency: z.string(), at: instant })),
  voids: z.array(z.object({ authorization: z.string(), reference: z.string(), at: instant })),
  refunds: z.array(z.object({
    id: z.string(), authorization: z.string(), paymentReference: z.string(), reference: z.string(), amount: minor, currency: z.string(), at: instant,
  })),
});
export type CardEffects = z.infer<typeof cardEffectsSchema>;

export type CardOperation = 'authorize' | 'capture' | 'void' | 'refund';
export type CardFault = { drop: CardOperation; count?: number } | { unavailable: CardOperation; count?: number };

async function sandbox(url: string, method: 'GET' | 'POST' | 'DELETE', body?: unknown): Promise<unknown> {
  const response = await fetch(url, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  if (!response.ok) throw new Error(`sandbox ${method} ${url}: ${response.status} ${await response.text()}`);
  return response.status === 204 ? null : response.json();
}

function withReference(url: string, name: string, reference: string | undefined): string {
  return reference === undefined ? url : `${url}?${name}=${encodeURIComponent(reference)}`;
}

/** What the card acquirer did, all of it or for one payment (our payment id is its reference). */
export async function cardEffects(simulatorUrl: string, paymentId?: string): Promise<CardEffects> {
  return cardEffectsSchema.parse(await sandbox(withReference(`${simulatorUrl}/sandbox/effects`, 'reference', paymentId), 'GET'));
}

/** Arms a fault for the next `count` (default 1) calls of an operation. */
export async function armCardFault(simulatorUrl: string, fault: CardFault): Promise<void> {
  await sandbox(`${simulatorUrl}/sandbox/faults`, 'POST', fault);
}

export async function clearCardFaults(simulatorUrl: string): Promise<void> {
  await sandbox(`${simulatorUrl}/sandbox/faults`, 'DELETE');
}

const alipayEffectsSchema = z.object({
  trades: z.array(z.object({
    outTradeNo: z.string(), tradeNo: z.string().nullable(), totalAmount: yuan, status: z.string(), paidAt: nullableInstant, closedAt: nullableInstant,
  })),
  refunds: z.array(z.object({ outTradeNo: z.string(), tradeNo: z.string().nullable(), outRequestNo: z.string(), refundAmount: yuan, at: instant })),
  closes: z.array(z.object({ outTradeNo: z.string(), tradeNo: z.string().nullable(), at: instant })),
});
export type AlipayEffects = z.infer<typeof alipayEffectsSchema>;

/** What Alipay did, all of it or for one payment (our payment id is its out_trade_no); amounts in fen. */
export async function alipayEffects(simulatorUrl: string, paymentId?: string): Promise<AlipayEffects> {
  return alipayEffectsSchema.parse(await sandbox(withReference(`${simulatorUrl}/sandbox/effects`, 'out_trade_no', paymentId), 'GET'));
}

const wechatEffectsSchema = z.object({
  orders: z.array(z.object({
    outTradeNo: z.string(), transactionId: z.string().nullable(), total: fen, currency: z.string(), tradeState: z.string(), successAt: nullableInstant,
  })),
  refunds: z.array(z.object({ outTradeNo: z.string(), outRefundNo: z.string(), refundId: z.string(), amount: fen, status: z.string(), createdAt: instant })),
  closes: z.array(z.object({ outTradeNo: z.string(), at: instant })),
});
export type WechatEffects = z.infer<typeof wechatEffectsSchema>;

/** What WeChat Pay did, all of it or for one payment (our payment id is its out_trade_no); amounts in fen. */
export async function wechatEffects(simulatorUrl: string, outTradeNo?: string): Promise<WechatEffects> {
  return wechatEffectsSchema.parse(await sandbox(withReference(`${simulatorUrl}/sandbox/effects`, 'out_trade_no', outTradeNo), 'GET'));
}
