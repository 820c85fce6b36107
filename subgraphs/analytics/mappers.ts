/** GraphQL types to what their resolvers receive (scripts/codegen.ts maps them). */

/** A merchant named in a metrics row; the payment subgraph resolves the rest of it. */
export interface MerchantModel {
  id: string;
}
