import { Kind, type GraphQLResolveInfo } from 'graphql';
import { money } from '../../../lib/money.js';
import { canSeeMerchant } from '../../../lib/principal.js';
import type { Merchant } from '../entities/Merchant.js';
import type { PaymentResolvers } from '../generated/resolvers-types.js';

/** Only the merchant's key is asked for (`merchant { id }`, or the gateway's `{ __typename id }` for another subgraph's fields). */
function asksOnlyId(info: GraphQLResolveInfo): boolean {
  return info.fieldNodes.every((node) =>
    (node.selectionSet?.selections ?? []).every((selection) => selection.kind === Kind.FIELD && (selection.name.value === 'id' || selection.name.value === '__typename')),
  );
}

export const Payment: PaymentResolvers = {
  __resolveReference: async ({ id }, { principal, loaders }) => {
    const payment = await loaders.payment.load(id);
    return payment && canSeeMerchant(principal, payment.merchantId) ? payment : null;
  },
  merchant: async (payment, _args, { loaders }, info) => {
    // a payment's merchant always exists (it is the principal's that created it): its id needs no read
    if (asksOnlyId(info)) return { id: payment.merchantId } as Merchant;
    const merchant = await loaders.merchant.load(payment.merchantId);
    if (!merchant) throw new Error(`payment ${payment.id} has no merchant ${payment.merchantId}`);
    return merchant;
  },
  amount: (payment) => money(payment.amount, payment.currency),
  amountCapturable: (payment) => money(payment.amountCapturable, payment.currency),
  amountReceived: (payment) => money(payment.amountReceived, payment.currency),
  amountRefunded: (payment) => money(payment.amountRefunded, payment.currency),
  refunds: (payment, _args, { loaders }) => loaders.refundsByPayment.load(payment.id),
};
