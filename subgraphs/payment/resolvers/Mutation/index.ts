import type { MutationResolvers } from '../../generated/resolvers-types.js';
import { cancelPayment } from './cancelPayment.js';
import { capturePayment } from './capturePayment.js';
import { confirmPayment } from './confirmPayment.js';
import { createApiKey } from './createApiKey.js';
import { createMerchant } from './createMerchant.js';
import { createPayment } from './createPayment.js';
import { refundPayment } from './refundPayment.js';
import { revokeApiKey } from './revokeApiKey.js';
import { rollApiKey } from './rollApiKey.js';
import { sandboxPayerAction } from './sandboxPayerAction.js';

export const Mutation: MutationResolvers = {
  createPayment,
  confirmPayment,
  capturePayment,
  cancelPayment,
  refundPayment,
  sandboxPayerAction,
  createMerchant,
  createApiKey,
  revokeApiKey,
  rollApiKey,
};
