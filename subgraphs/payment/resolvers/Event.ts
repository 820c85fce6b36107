import { fail } from '../../../lib/errors.js';
import type { EventResolvers } from '../generated/resolvers-types.js';
import { outboxIdOf, visibleEvent } from '../services/event-log.js';

export const Event: EventResolvers = {
  __resolveReference: async ({ id }, { principal, loaders }) => {
    const outboxId = outboxIdOf(id);
    return outboxId === null ? null : visibleEvent(principal, await loaders.event.load(outboxId));
  },
  payment: async (event, _args, { loaders }) => {
    const payment = await loaders.payment.load(event.paymentId);
    if (!payment) throw fail.notFound('payment', event.paymentId);
    return payment;
  },
  refund: (event, _args, { loaders }) => (event.refundId ? loaders.refund.load(event.refundId) : null),
};
