import { createHash, randomBytes } from 'node:crypto';
import { add, formatAmount, money } from '../../lib/money.js';
import { newId, type SettlementCorruption, type SimulatorState } from './state.js';

/** One row of the daily settlement report: a capture or a refund; amount in minor units, always positive. */
export interface SettlementRow {
  type: 'capture' | 'refund';
  authorizationId: string;
  reference: string;
  refundId: string;
  refundReference: string;
  currency: string;
  amount: bigint;
  status: 'succeeded' | 'pending' | 'failed' | 'voided';
  occurredAt: Date;
}

export const SETTLEMENT_COLUMNS = ['type', 'authorization_id', 'reference', 'refund_id', 'refund_reference', 'currency', 'amount', 'status', 'occurred_at'];

const utcDate = (at: Date) => at.toISOString().slice(0, 10);

/** The day's captures and refunds (UTC), as the acquirer's records say, in the order they happened. */
export function settlementRows(state: SimulatorState, date: string): SettlementRow[] {
  const rows: SettlementRow[] = [];
  for (const auth of state.authorizations.values()) {
    if (auth.capturedAt && utcDate(auth.capturedAt) === date) {
      rows.push({
        type: 'capture', authorizationId: auth.id, reference: auth.reference, refundId: '', refundReference: '',
        currency: auth.currency, amount: auth.capturedAmount, status: 'succeeded', occurredAt: auth.capturedAt,
      });
    }
  }
  for (const refund of state.refunds) {
    const auth = state.authorizations.get(refund.authorization);
    if (!auth || utcDate(refund.createdAt) !== date) continue;
    rows.push({
      type: 'refund', authorizationId: auth.id, reference: auth.reference, refundId: refund.id, refundReference: refund.reference,
      currency: auth.currency, amount: refund.amount, status: 'succeeded', occurredAt: refund.createdAt,
    });
  }
  return rows.sort((a, b) => a.occurredAt.getTime() - b.occurredAt.getTime() || a.type.localeCompare(b.type));
}

/** The capture an ADD corruption lists: a 1.00 USD capture of `reference` (or of a reference nobody used). */
export function phantomCapture(reference: string | null): { authorizationId: string; reference: string } {
  return { authorizationId: newId('auth'), reference: reference ?? `pay_unknown_${randomBytes(6).toString('hex')}` };
}

/** Makes the report wrong the way a sandbox control asked; the file stays self-consistent (row count, digest). */
export function corruptRows(rows: SettlementRow[], date: string, corruption: SettlementCorruption): void {
  const targeted = (row: SettlementRow) =>
    corruption.reference === null
    || (row.reference === corruption.reference && (corruption.refundReference === null ? row.type === 'capture' : row.refundReference === corruption.refundReference));
  const index = rows.findIndex(targeted);
  const row = rows[index];
  switch (corruption.kind) {
    case 'DROP':
      if (row) rows.splice(index, 1);
      return;
    case 'DUPLICATE':
      if (row) rows.splice(index + 1, 0, { ...row });
      return;
    case 'AMOUNT':
      if (row) row.amount = add(money(row.amount, row.currency), money(1n, row.currency)).minor;
      return;
    case 'STATUS':
      if (row) row.status = row.status === 'succeeded' ? 'failed' : 'succeeded';
      return;
    case 'ADD':
      if (!corruption.added) return;
      rows.push({
        type: 'capture', authorizationId: corruption.added.authorizationId, reference: corruption.added.reference,
        refundId: '', refundReference: '', currency: 'USD', amount: 100n, status: 'succeeded', occurredAt: new Date(`${date}T12:00:00.000Z`),
      });
  }
}

/** RFC 4180: a value with a comma, quote or line break is quoted, its quotes doubled. */
function csvValue(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/**
 * The report as the acquirer serves it (text/csv, UTF-8, CRLF): comment lines naming the day, the
 * header, one row per capture or refund, and a closing comment with the row count.
 */
export function renderSettlementReport(date: string, rows: SettlementRow[]): string {
  const lines = [
    '# card acquirer settlement report',
    `# date: ${date}`,
    '# time zone: UTC',
    SETTLEMENT_COLUMNS.join(','),
    ...rows.map((row) =>
      [
        row.type, row.authorizationId, row.reference, row.refundId, row.refundReference, row.currency,
        formatAmount({ minor: row.amount, currency: row.currency }), row.status, row.occurredAt.toISOString(),
      ].map(csvValue).join(','),
    ),
    `# rows: ${rows.length}`,
  ];
  return `${lines.join('\r\n')}\r\n`;
}

/** RFC 9530 Content-Digest of the body: sha-256 as a structured-field byte sequence. */
export function contentDigest(body: string): string {
  return `sha-256=:${createHash('sha256').update(body, 'utf8').digest('base64')}:`;
}
