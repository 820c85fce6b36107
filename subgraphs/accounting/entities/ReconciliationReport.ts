import { defineEntity, p, type InferEntity } from '@mikro-orm/core';

export const reconciledChannels = ['CARD', 'ALIPAY', 'WECHAT_PAY'] as const;
export type ReconciledChannel = (typeof reconciledChannels)[number];

/** The last reconciliation of one channel's statement of one provider day; a new run replaces its content. */
export const ReconciliationReport = defineEntity({
  name: 'ReconciliationReport',
  tableName: 'reconciliation_reports',
  properties: {
    /** rcn_<channel>_<yyyymmdd>: one report per channel and day */
    id: p.string().primary(),
    channel: p.enum([...reconciledChannels]),
    /** YYYY-MM-DD in the provider's time zone */
    date: p.string().length(10),
    matched: p.integer(),
    /** lines the statement had */
    statementLines: p.integer(),
    runAt: p.datetime(3),
  },
  uniques: [{ properties: ['channel', 'date'] }],
});
export type ReconciliationReport = InferEntity<typeof ReconciliationReport>;
