import { createHmac } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import { newId } from './state.js';

// A compressed version of a real acquirer's schedule, so that tests see retries in well under two seconds.
const attemptDelaysMs = [0, 50, 200, 1000];
const attemptTimeoutMs = 2000;

function unixSeconds(): number {
  return Math.floor(Date.now() / 1000);
}

/** Stripe's scheme: HMAC-SHA256 over "<t>.<raw body>", sent as `t=<t>,v1=<hex>`. */
export function signatureHeader(secret: string, body: string, timestamp: number): string {
  const signature = createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
  return `t=${timestamp},v1=${signature}`;
}

async function attemptDelivery(url: string, secret: string, body: string): Promise<boolean> {
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'Card-Signature': signatureHeader(secret, body, unixSeconds()) },
      body,
      signal: AbortSignal.timeout(attemptTimeoutMs),
    });
    await response.arrayBuffer();
    return response.ok;
  } catch {
    // an unreachable or silent receiver is a failed attempt like a 5xx one
    return false;
  }
}

/** Sends one `authorization.updated` event; true once a receiver answered 2xx, false when every attempt failed. */
export async function deliverAuthorizationUpdated(url: string, secret: string, authorization: unknown): Promise<boolean> {
  const body = JSON.stringify({ id: newId('evt'), type: 'authorization.updated', created: unixSeconds(), data: authorization });
  for (const waitMs of attemptDelaysMs) {
    await delay(waitMs);
    if (await attemptDelivery(url, secret, body)) return true;
  }
  return false;
}
