/** GraphQL types to what their resolvers receive (scripts/codegen.ts maps them). */

/** A payment as the transaction subgraph knows it: its id; its records are loaded when asked for. */
export interface PaymentModel {
  id: string;
}

/** A refund, as a reference the payment subgraph resolves. */
export interface RefundModel {
  id: string;
}
