import { createHash, timingSafeEqual } from 'node:crypto';
import { DecimalAmountError, isNegative, parseExactAmount, type Money } from '../../../../lib/money.js';
import type { StatementLine } from '../channel.js';

/** The card acquirer's daily settlement report (docs/channels.md, CARD): what each column means to us. */
const COLUMNS = ['type', 'authorization_id', 'reference', 'refund_id', 'refund_reference', 'currency', 'amount', 'status', 'occurred_at'] as const;

const kinds: Record<string, StatementLine['kind']> = { capture: 'PAYMENT', refund: 'REFUND' };
const statuses: Record<string, StatementLine['status']> = { succeeded: 'SUCCEEDED', pending: 'PENDING', failed: 'FAILED', voided: 'CLOSED' };

export class SettlementReportError extends Error {
  override name = 'SettlementReportError';
}

/** Is the body the one the Content-Digest (RFC 9530, sha-256) names? */
export function digestMatches(body: string, header: string | undefined): boolean {
  const match = /(?:^|,)\s*sha-256=:([A-Za-z0-9+/]+=*):/.exec(header ?? '');
  if (!match) return false;
  const given = Buffer.from(match[1]!, 'base64');
  const actual = createHash('sha256').update(body, 'utf8').digest();
  return given.length === actual.length && timingSafeEqual(given, actual);
}

/** RFC 4180 records: quoted values may hold commas, doubled quotes and line breaks. */
function csvRecords(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let value = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c !== '"') {
        value += c;
      } else if (text[i + 1] === '"') {
        value += '"';
        i++;
      } else {
        quoted = false;
      }
    } else if (c === '"' && value === '') {
      quoted = true;
    } else if (c === ',') {
      record.push(value);
      value = '';
    } else if (c === '\r' || c === '\n') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      records.push([...record, value]);
      record = [];
      value = '';
    } else {
      value += c;
    }
  }
  if (quoted) throw new SettlementReportError('the report ends inside a quoted value');
  if (value !== '' || record.length > 0) records.push([...record, value]);
  return records;
}

/** "100.00" USD → 10000 cents: exactly the currency's decimals, as the acquirer writes them. */
function amountOf(text: string, currency: string, where: string): Money {
  let amount: Money;
  try {
    amount = parseExactAmount(text, currency);
  } catch (error) {
    if (error instanceof DecimalAmountError && error.refusal === 'unknown-currency') {
      throw new SettlementReportError(`${where}: unknown currency "${currency}"`);
    }
    throw new SettlementReportError(`${where}: "${text}" is not an amount of ${currency}`);
  }
  if (isNegative(amount)) throw new SettlementReportError(`${where}: "${text}" is not an amount of ${currency}`);
  return amount;
}

/**
 * Parses the settlement report of `date` after checking it: the body against its Content-Digest, the
 * day it names, the header, every row, and the closing row count. A report that fails any check is
 * refused whole, never half read.
 */
export function parseSettlementReport(body: string, contentDigest: string | undefined, date: string): StatementLine[] {
  if (!digestMatches(body, contentDigest)) throw new SettlementReportError('the report does not match its Content-Digest');
  const comments: string[] = [];
  const rows: string[][] = [];
  let header: string[] | null = null;
  for (const record of csvRecords(body)) {
    if (record.length === 1 && record[0]!.startsWith('#')) comments.push(record[0]!.slice(1).trim());
    else if (record.length === 1 && record[0] === '') continue;
    else if (header === null) header = record;
    else rows.push(record);
  }
  if (!comments.includes(`date: ${date}`)) throw new SettlementReportError(`the report is not the one of ${date}`);
  if (header?.join(',') !== COLUMNS.join(',')) throw new SettlementReportError(`unexpected columns: ${header?.join(',') ?? 'none'}`);
  const count = comments.map((text) => /^rows: (\d+)$/.exec(text)).find(Boolean);
  if (!count || Number(count[1]) !== rows.length) throw new SettlementReportError(`the report says ${count?.[1] ?? 'no'} rows and has ${rows.length}`);
  return rows.map((row, index): StatementLine => {
    const where = `row ${index + 1}`;
    if (row.length !== COLUMNS.length) throw new SettlementReportError(`${where} has ${row.length} values, not ${COLUMNS.length}`);
    const value = Object.fromEntries(COLUMNS.map((name, i) => [name, row[i]!])) as Record<(typeof COLUMNS)[number], string>;
    const kind = kinds[value.type];
    const status = statuses[value.status];
    const occurredAt = new Date(value.occurred_at);
    if (!kind || !status) throw new SettlementReportError(`${where}: unknown type "${value.type}" or status "${value.status}"`);
    if (!value.authorization_id || !value.reference || Number.isNaN(occurredAt.getTime())) throw new SettlementReportError(`${where} lacks its authorization, reference or time`);
    if (kind === 'REFUND' && !value.refund_reference) throw new SettlementReportError(`${where}: a refund without its reference`);
    return {
      kind,
      providerReference: value.authorization_id,
      paymentId: value.reference,
      refundId: kind === 'REFUND' ? value.refund_reference : null,
      amount: amountOf(value.amount, value.currency, where),
      status,
      occurredAt,
    };
  });
}
