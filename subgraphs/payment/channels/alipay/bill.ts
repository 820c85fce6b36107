import { absolute, add, equals, zero, type Money } from '../../../../lib/money.js';
import type { StatementLine } from '../channel.js';
import { ALIPAY_CURRENCY, fromYuan, toYuan } from './amounts.js';
import { fromAlipayTime } from './time.js';

/** The columns of Alipay's trade bill (业务明细) that a statement line is made of. */
const COLUMNS = {
  tradeNo: '支付宝交易号',
  paymentId: '商户订单号',
  type: '业务类型',
  completedAt: '完成时间',
  amount: '订单金额（元）',
  received: '商家实收（元）',
  refundId: '退款批次号/请求号',
} as const;

const kinds: Record<string, StatementLine['kind']> = { 交易: 'PAYMENT', 退款: 'REFUND' };

export class BillFormatError extends Error {
  override name = 'BillFormatError';
}

/**
 * Parses the detail file of Alipay's daily trade bill (`<account>_<yyyyMMdd>_业务明细.csv`, already
 * decoded from GBK): comment lines (#) around a header row and one row per paid trade (交易) or refund
 * (退款), values padded with tabs, refunds negative. The footer's totals (#交易合计 / #退款合计: count
 * and 商家实收) must match the rows, so a truncated or altered file is refused rather than reconciled.
 */
export function parseTradeBill(text: string): StatementLine[] {
  const lines = text.split(/\r?\n/);
  const start = lines.findIndex((line) => line.startsWith('#-') && line.includes('业务明细列表') && !line.includes('结束'));
  const end = lines.findIndex((line) => line.startsWith('#-') && line.includes('业务明细列表结束'));
  if (start < 0 || end < start + 1) throw new BillFormatError('the bill has no 业务明细列表 section');
  const header = split(lines[start + 1]!);
  const at = Object.fromEntries(Object.entries(COLUMNS).map(([key, title]) => [key, header.indexOf(title)])) as Record<keyof typeof COLUMNS, number>;
  const missing = Object.entries(at).filter(([, index]) => index < 0).map(([key]) => COLUMNS[key as keyof typeof COLUMNS]);
  if (missing.length > 0) throw new BillFormatError(`the bill lacks the columns ${missing.join(', ')}`);

  const totals = { PAYMENT: { count: 0, received: zero(ALIPAY_CURRENCY) }, REFUND: { count: 0, received: zero(ALIPAY_CURRENCY) } };
  const statement = lines.slice(start + 2, end).filter((line) => line.trim() !== '').map((line, index): StatementLine => {
    const row = split(line);
    const where = `row ${index + 1}`;
    if (row.length !== header.length) throw new BillFormatError(`${where} has ${row.length} columns, the header ${header.length}`);
    const value = (key: keyof typeof COLUMNS) => row[at[key]]!;
    const kind = kinds[value('type')];
    if (!kind) throw new BillFormatError(`${where}: unknown 业务类型 "${value('type')}"`);
    const occurredAt = fromAlipayTime(value('completedAt'));
    if (!occurredAt || !value('tradeNo') || !value('paymentId')) throw new BillFormatError(`${where} lacks its trade, order or time`);
    if (kind === 'REFUND' && !value('refundId')) throw new BillFormatError(`${where}: a refund without its request number`);
    const amount = amountOf(value('amount'), where);
    totals[kind].count += 1;
    totals[kind].received = add(totals[kind].received, amountOf(value('received'), where, true));
    return {
      kind,
      providerReference: value('tradeNo'),
      paymentId: value('paymentId'),
      refundId: kind === 'REFUND' ? value('refundId') : null,
      amount: absolute(amount),
      status: 'SUCCEEDED',
      occurredAt,
    };
  });
  checkTotal(lines.slice(end + 1), '交易合计', totals.PAYMENT, true);
  checkTotal(lines.slice(end + 1), '退款合计', totals.REFUND, false);
  return statement;
}

/** Values are written with a tab after them (so spreadsheets keep long numbers as text). */
function split(line: string): string[] {
  return line.split(',').map((value) => value.replace(/\t/g, '').trim());
}

function amountOf(text: string, where: string, signed = false): Money {
  try {
    return fromYuan(text);
  } catch {
    throw new BillFormatError(`${where}: ${signed ? 'an amount received' : 'an amount'} that is not yuan: "${text}"`);
  }
}

/** `#交易合计：2笔，商家实收共36.80元，…` */
function checkTotal(footer: string[], label: string, counted: { count: number; received: Money }, required: boolean): void {
  const line = footer.find((text) => text.startsWith(`#${label}`));
  if (!line) {
    if (required) throw new BillFormatError(`the bill has no #${label} line`);
    return;
  }
  const match = /^#\S+?：(\d+)笔，商家实收共(-?[\d.]+)元/.exec(line);
  if (!match) throw new BillFormatError(`the #${label} line cannot be read`);
  if (Number(match[1]) !== counted.count || !equals(amountOf(match[2]!, `#${label}`, true), counted.received)) {
    throw new BillFormatError(`#${label} says ${match[1]} rows and ${match[2]}, the rows add up to ${counted.count} and ${toYuan(counted.received)}`);
  }
}
