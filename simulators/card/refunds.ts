import { add, greaterThan, money } from '../../lib/money.js';
import { invalidRequest, invalidState, notFound, ok, type Reply } from './reply.js';
import { parseRequest, refundRequest } from './request-schemas.js';
import { newId, type RefundRecord, type SimulatorState } from './state.js';

function refundToWire(refund: RefundRecord) {
  return { id: refund.id, authorization: refund.authorization, reference: refund.reference, amount: refund.amount.toString(), status: 'succeeded' };
}

export function createRefund(state: SimulatorState, body: unknown): Reply {
  const parsed = parseRequest(refundRequest, body);
  if ('refusal' in parsed) return parsed.refusal;
  const request = parsed.data;
  const record = state.authorizations.get(request.authorization);
  if (record === undefined) return notFound();
  if (record.status !== 'captured') return invalidState(`cannot refund an authorization that is ${record.status}`);
  if (record.refundsDeclined) return invalidRequest('refund_declined: the issuer refuses refunds to this card');
  const inCurrency = (minor: bigint) => money(minor, record.currency);
  const amount = BigInt(request.amount);
  const refunded = add(inCurrency(record.refundedAmount), inCurrency(amount));
  if (greaterThan(refunded, inCurrency(record.capturedAmount))) {
    return invalidRequest('amount: the refunds would exceed the captured amount');
  }
  record.refundedAmount = refunded.minor;
  const refund = { id: newId('re'), authorization: record.id, reference: request.reference, amount, createdAt: new Date() };
  state.refunds.push(refund);
  return ok(refundToWire(refund));
}

export function getRefund(state: SimulatorState, id: string): Reply {
  const refund = state.refunds.find((candidate) => candidate.id === id);
  return refund === undefined ? notFound() : ok(refundToWire(refund));
}

/** The merchant's lookup by its own reference (its refund id): the latest refund made for it. */
export function findRefund(state: SimulatorState, reference: unknown): Reply {
  if (typeof reference !== 'string' || reference === '') return invalidRequest('reference: is required');
  const refund = state.refunds.findLast((candidate) => candidate.reference === reference);
  return refund === undefined ? notFound() : ok(refundToWire(refund));
}
