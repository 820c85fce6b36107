import type { Context } from '../context.js';
import { fail } from '../../../lib/errors.js';
import type { PaymentStatusEventResolvers, SubscriptionResolvers } from '../generated/resolvers-types.js';
import { findStatusEvent } from '../services/status-events.js';

/**
 * The gateway runs subscriptions: it sends this field's fetch once per event, naming the event in the
 * signed request's extensions, and this resolver answers it from the outbox ("the payment as it is now").
 */
export const Subscription: SubscriptionResolvers = {
  paymentStatusChanged: {
    subscribe: () => {
      throw fail.badInput('paymentStatusChanged', 'subscribe through the gateway');
    },
    resolve: async (_parent: unknown, args: { paymentId?: string | null }, { principal, em, subscriptionEvent }: Context) => {
      if (!subscriptionEvent) throw fail.badInput('paymentStatusChanged', 'subscribe through the gateway');
      const event = await findStatusEvent(em, principal, subscriptionEvent.eventId, args.paymentId);
      if (!event) throw fail.notFound('event', subscriptionEvent.eventId);
      return event;
    },
  },
};

export const PaymentStatusEvent: PaymentStatusEventResolvers = {
  payment: async (event, _args, { loaders }) => {
    const payment = await loaders.payment.load(event.paymentId);
    if (!payment) throw fail.notFound('payment', event.paymentId);
    return payment;
  },
};
