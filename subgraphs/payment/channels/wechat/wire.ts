import { z } from 'zod';

/** Amounts on the wire are integer fen; read straight into bigint. */
const fen = z.int().nonnegative().transform((value) => BigInt(value));

/** A payment order as the query API and TRANSACTION notifications show it. */
export const transactionSchema = z.object({
  mchid: z.string(),
  out_trade_no: z.string(),
  transaction_id: z.string().optional(),
  trade_state: z.enum(['SUCCESS', 'REFUND', 'NOTPAY', 'CLOSED', 'REVOKED', 'USERPAYING', 'PAYERROR']),
  trade_state_desc: z.string().optional(),
  success_time: z.string().optional(),
  amount: z.object({ total: fen.optional(), currency: z.string().optional() }).optional(),
}).refine(
  (transaction) => !['SUCCESS', 'REFUND'].includes(transaction.trade_state) || Boolean(transaction.transaction_id),
  'a paid order has a transaction_id',
);
export type Transaction = z.infer<typeof transactionSchema>;

export const refundStatusSchema = z.enum(['SUCCESS', 'CLOSED', 'PROCESSING', 'ABNORMAL']);

/** A refund as the refunds API answers it. */
export const refundSchema = z.object({
  refund_id: z.string(),
  out_refund_no: z.string(),
  out_trade_no: z.string(),
  transaction_id: z.string(),
  status: refundStatusSchema,
  create_time: z.string(),
  success_time: z.string().optional(),
  amount: z.object({ total: fen, refund: fen, currency: z.string() }),
});
export type WechatRefund = z.infer<typeof refundSchema>;

/** A refund as REFUND.* notifications carry it (refund_status instead of status). */
export const refundNotificationSchema = z.object({
  mchid: z.string(),
  out_trade_no: z.string(),
  transaction_id: z.string(),
  out_refund_no: z.string(),
  refund_id: z.string(),
  refund_status: refundStatusSchema,
  success_time: z.string().optional(),
  amount: z.object({ total: fen, refund: fen }),
});

export const nativeOrderSchema = z.object({ code_url: z.string().min(1) });

export const tradeBillSchema = z.object({
  hash_type: z.literal('SHA1'),
  hash_value: z.string().regex(/^[0-9a-fA-F]{40}$/),
  download_url: z.url(),
});
