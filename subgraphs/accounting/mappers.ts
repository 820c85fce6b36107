import type { FiguresView } from './reads.js';

/** GraphQL types to what their resolvers receive (scripts/codegen.ts maps them). */

/** A payment as accounting knows it: its figures when it was captured and the caller may see them. */
export interface PaymentModel {
  id: string;
  figures: FiguresView | null;
}

/** A merchant the caller may see; its balance is loaded when asked for. */
export interface MerchantModel {
  id: string;
}
