import { z } from 'zod';

/**
 * A typed client for the simulators' sandbox inspection and fault routes, for tests that count what
 * a provider really did ("exactly one capture of this payment, one refund of 10.00 for this refund id").
 * Amounts are minor units (bigint), as the simulators keep them.
 */

const minor = z.string().regex(/^\d+$/).transform((text) => BigInt(text));
const instant = z.string().transform((text) => new Date(text));

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
