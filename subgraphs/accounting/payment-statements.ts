import { DomainError, ErrorCode, fail } from '../../lib/errors.js';
import { callInternalRoute, InternalCallError } from '../../lib/internal-client.js';
import { statementsRoute } from '../payment/contract/internal-routes.js';
import { money } from '../../lib/money.js';
import type { StatementSource } from './services/reconciliation.js';

/** Asks the payment subgraph for a channel's statement of a day (its statementsRoute, signed like the gateway's calls). */
export function paymentStatementSource(paymentUrl: string, internalSecret: string): StatementSource {
  return async (channel, date) => {
    try {
      const { lines } = await callInternalRoute(statementsRoute, paymentUrl, internalSecret, { channel, date });
      return lines.map(({ currency, amount, ...line }) => ({ ...line, amount: money(amount, currency) }));
    } catch (error) {
      if (!(error instanceof InternalCallError)) throw error;
      const { status, refusal } = error;
      if (status === null) throw new Error(`the payment subgraph could not be reached for the ${channel} statement of ${date}`, { cause: error.cause });
      if (status === 400 && refusal?.code === ErrorCode.BAD_USER_INPUT) throw fail.badInput('input.channel', refusal.message);
      if (status === 502 && refusal) {
        throw new DomainError(ErrorCode.INVALID_STATE, `The ${channel} statement of ${date} could not be obtained: ${refusal.message}`, { providerError: refusal.code });
      }
      throw new Error(`the payment subgraph answered ${status} to the ${channel} statement of ${date}`, { cause: error });
    }
  };
}
