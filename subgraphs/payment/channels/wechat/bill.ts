import { Formatter } from 'wechatpay-axios-plugin';
import { equals, isNegative, parseExactAmount, sum, type Money } from '../../../../lib/money.js';
import type { StatementLine } from '../channel.js';

/** The columns of an ALL trade bill that reconciliation reads. */
const columns = {
  time: '交易时间',
  transactionId: '微信订单号',
  outTradeNo: '商户订单号',
  tradeState: '交易状态',
  currency: '货币种类',
  orderAmount: '订单金额',
  refundId: '微信退款单号',
  outRefundNo: '商户退款单号',
  refundAmount: '申请退款金额',
  refundStatus: '退款状态',
} as const;

/** The bill's amounts are yuan: its totals add them as such. */
const BILL_CURRENCY = 'CNY';

export class BillFormatError extends Error {
  override name = 'BillFormatError';
}

/** "12.34" (yuan, two decimals, as the bill writes them) in the row's currency, read as text: never through a float. */
function amountOf(text: string, currency: string, where: string): Money {
  const refused = () => new BillFormatError(`${where}: "${text}" is not an amount in yuan with two decimals`);
  let amount: Money;
  try {
    amount = parseExactAmount(text, currency);
  } catch {
    throw refused();
  }
  if (isNegative(amount)) throw refused();
  return amount;
}

/** Bill times are China Standard Time (UTC+8), like the bill's date. */
function chinaTime(text: string, where: string): Date {
  if (!/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/.test(text)) throw new BillFormatError(`${where}: "${text}" is not a bill time`);
  return new Date(`${text.replace(' ', 'T')}+08:00`);
}

const refundStatuses: Record<string, StatementLine['status']> = {
  SUCCESS: 'SUCCEEDED',
  PROCESSING: 'PENDING',
  REFUNDCLOSE: 'FAILED',
  CLOSED: 'FAILED',
  ABNORMAL: 'FAILED',
  FAIL: 'FAILED',
  CHANGE: 'FAILED',
};

function lineOf(row: Record<string, string>, where: string): StatementLine {
  const cell = (name: string) => {
    const value = row[name];
    if (value === undefined) throw new BillFormatError(`${where}: no ${name}`);
    return value;
  };
  const currency = cell(columns.currency);
  const base = {
    providerReference: cell(columns.transactionId),
    paymentId: cell(columns.outTradeNo),
    occurredAt: chinaTime(cell(columns.time), where),
  };
  const state = cell(columns.tradeState);
  if (state === 'REFUND') {
    const status = refundStatuses[cell(columns.refundStatus)];
    if (!status) throw new BillFormatError(`${where}: unknown refund status ${cell(columns.refundStatus)}`);
    return { ...base, kind: 'REFUND', refundId: cell(columns.outRefundNo), amount: amountOf(cell(columns.refundAmount), currency, where), status };
  }
  if (state !== 'SUCCESS' && state !== 'REVOKED') throw new BillFormatError(`${where}: unknown trade state ${state}`);
  const status = state === 'SUCCESS' ? 'SUCCEEDED' : 'CLOSED';
  return { ...base, kind: 'PAYMENT', refundId: null, amount: amountOf(cell(columns.orderAmount), currency, where), status };
}

/**
 * Parses an ALL trade bill: a header line, one line per payment or refund with every field prefixed by a
 * backquote, then the summary header and summary line. The summary's count and totals must agree with the lines.
 */
export function parseTradeBill(file: Buffer): StatementLine[] {
  const text = file.toString('utf8').replace(/^\uFEFF/, '');
  const lines = text.split(/\r?\n/).filter((line) => line !== '');
  const header = lines[0]?.split(',');
  const summaryAt = lines.findIndex((line) => line.startsWith('总交易单数'));
  if (!header || summaryAt < 1 || summaryAt !== lines.length - 2) throw new BillFormatError('not a trade bill: header or summary missing');
  const rows = lines.slice(1, summaryAt).map((line, i) => {
    if (!line.startsWith('`')) throw new BillFormatError(`line ${i + 2}: fields are not backquoted`);
    const row = Formatter.castCsvLine(line, header) as Record<string, string>;
    if (Object.keys(row).length !== header.length) throw new BillFormatError(`line ${i + 2}: ${Object.keys(row).length} fields, ${header.length} columns`);
    return row;
  });
  const statement = rows.map((row, i) => lineOf(row, `line ${i + 2}`));
  const summary = Formatter.castCsvLine(lines[summaryAt + 1]!, lines[summaryAt]!.split(',')) as Record<string, string>;
  checkSummary(summary, rows);
  return statement;
}

function checkSummary(summary: Record<string, string>, rows: Record<string, string>[]): void {
  if (summary['总交易单数'] !== String(rows.length)) {
    throw new BillFormatError(`the summary counts ${summary['总交易单数']} lines, the bill has ${rows.length}`);
  }
  const totals: [string, string][] = [['订单总金额', columns.orderAmount], ['申请退款总金额', columns.refundAmount]];
  for (const [total, column] of totals) {
    if (summary[total] === undefined) continue;
    const lines = rows.map((row, i) => amountOf(row[column] ?? '', BILL_CURRENCY, `line ${i + 2}`));
    if (!equals(amountOf(summary[total], BILL_CURRENCY, 'summary'), sum(lines, BILL_CURRENCY))) throw new BillFormatError(`the summary's ${total} is not the sum of the lines`);
  }
}
