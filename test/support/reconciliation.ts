import { expectNoErrors, type GraphQLResponse } from './graphql.js';
import type { ReconciliationReportResult } from './operations.js';
import type { System } from './system.js';

export const REPORT_FIELDS = `
  id channel date matched
  discrepancies { type paymentId providerReference expected { amount currency minorUnits } actual { amount currency minorUnits } detail }
`;

export function runReconciliation(system: System, apiKey: string | null, channel: string, date: string): Promise<GraphQLResponse<{ runReconciliation: ReconciliationReportResult }>> {
  return system.query(apiKey, `mutation($input: RunReconciliationInput!) { runReconciliation(input: $input) { ${REPORT_FIELDS} } }`, {
    input: { channel, date },
  });
}

/** runReconciliation as the ADMIN, which must succeed. */
export async function reconcile(system: System, channel: string, date: string): Promise<ReconciliationReportResult> {
  return expectNoErrors(await runReconciliation(system, system.adminKey, channel, date)).runReconciliation;
}

export function reconciliationReport(system: System, apiKey: string, id: string): Promise<GraphQLResponse<{ reconciliationReport: ReconciliationReportResult | null }>> {
  return system.query(apiKey, `query($id: ID!) { reconciliationReport(id: $id) { ${REPORT_FIELDS} } }`, { id });
}

/** Today in UTC, where the card acquirer cuts its settlement reports. */
export function utcToday(now = new Date()): string {
  return now.toISOString().slice(0, 10);
}

async function control(system: System, method: 'POST' | 'DELETE', body?: unknown): Promise<void> {
  const response = await fetch(`${system.simulatorUrl}/sandbox/settlement-corruptions`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`card sandbox ${method} settlement-corruptions: ${response.status} ${await response.text()}`);
}

/** Makes a day's card settlement report wrong: on the capture of `reference` (a refund's row with `refundReference`), or the first row. */
export function corruptSettlementReport(
  system: System,
  date: string,
  kind: 'DROP' | 'ADD' | 'AMOUNT' | 'STATUS' | 'DUPLICATE',
  target: { reference?: string; refundReference?: string } = {},
): Promise<void> {
  return control(system, 'POST', { date, kind, ...target });
}

export function clearSettlementCorruptions(system: System): Promise<void> {
  return control(system, 'DELETE');
}
