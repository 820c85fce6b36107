import { authorizationToWire, canTransition, type AuthorizationRecord } from './authorization.js';
import { captureFunds, voidFunds } from './captures.js';
import { invalidRequest, invalidState, notFound, ok, type Reply } from './reply.js';
import { authorizationRequest, captureRequest, parseRequest } from './request-schemas.js';
import { newId, type SimulatorState } from './state.js';
import { cardBrand, decideCard } from './test-cards.js';

export function createAuthorization(state: SimulatorState, body: unknown): Reply {
  const parsed = parseRequest(authorizationRequest, body);
  if ('refusal' in parsed) return parsed.refusal;
  const request = parsed.data;
  const id = newId('auth');
  const amount = BigInt(request.amount);
  const decision = decideCard(request.card, new Date());
  const record: AuthorizationRecord = {
    id,
    reference: request.reference,
    status: 'declined',
    amount,
    currency: request.currency,
    capture: request.capture,
    capturedAmount: 0n,
    capturedAt: null,
    refundedAmount: 0n,
    refundsDeclined: decision.outcome === 'approved' && decision.refundsDeclined === true,
    declineCode: null,
    actionUrl: null,
    brand: cardBrand(request.card.number),
    last4: request.card.number.slice(-4),
    notifyUrl: request.notify_url,
  };
  if (decision.outcome === 'declined') {
    record.declineCode = decision.declineCode;
  } else if (decision.outcome === 'requires_action') {
    record.status = 'requires_action';
    record.actionUrl = `${state.baseUrl}/3ds/${id}`;
  } else {
    record.status = 'authorized';
    if (request.capture) captureFunds(state, record, amount);
  }
  state.authorizations.set(id, record);
  return ok(authorizationToWire(record));
}

export function getAuthorization(state: SimulatorState, id: string): Reply {
  const record = state.authorizations.get(id);
  return record === undefined ? notFound() : ok(authorizationToWire(record));
}

/** The merchant's lookup by its own reference (its payment id): the latest authorization made for it. */
export function findAuthorization(state: SimulatorState, reference: unknown): Reply {
  if (typeof reference !== 'string' || reference === '') return invalidRequest('reference: is required');
  let latest: AuthorizationRecord | undefined;
  for (const record of state.authorizations.values()) if (record.reference === reference) latest = record;
  return latest === undefined ? notFound() : ok(authorizationToWire(latest));
}

export function captureAuthorization(state: SimulatorState, id: string, body: unknown): Reply {
  const record = state.authorizations.get(id);
  if (record === undefined) return notFound();
  const parsed = parseRequest(captureRequest, body);
  if ('refusal' in parsed) return parsed.refusal;
  if (record.status !== 'authorized') return invalidState(`cannot capture an authorization that is ${record.status}`);
  const amount = parsed.data.amount === undefined ? record.amount : BigInt(parsed.data.amount);
  if (amount > record.amount) return invalidRequest('amount: exceeds the authorized amount');
  captureFunds(state, record, amount);
  return ok(authorizationToWire(record));
}

/** Voiding a voided authorization answers it as it is: a void whose answer was lost can be sent again. */
export function voidAuthorization(state: SimulatorState, id: string): Reply {
  const record = state.authorizations.get(id);
  if (record === undefined) return notFound();
  if (record.status === 'voided') return ok(authorizationToWire(record));
  if (!canTransition(record.status, 'voided')) return invalidState(`cannot void an authorization that is ${record.status}`);
  voidFunds(state, record);
  return ok(authorizationToWire(record));
}
