import type { ReconciliationReportResolvers } from '../generated/resolvers-types.js';

export const ReconciliationReport: ReconciliationReportResolvers = {
  discrepancies: (report, _args, { loaders }) => loaders.discrepanciesByReport.load(report.id),
};
