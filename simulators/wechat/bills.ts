import { createHash, randomBytes } from 'node:crypto';
import { add, formatAmount, formatShare, money, subtract, sum as total } from '../../lib/money.js';
import { refusal, paramError, type Reply } from './reply.js';
import { chinaDate, chinaTime, randomDigits, type BillCorruption, type SimulatorState } from './state.js';

/** The ALL trade bill's columns, in WeChat Pay's order. */
const header = [
  '交易时间', '公众账号ID', '商户号', '特约商户号', '设备号', '微信订单号', '商户订单号', '用户标识', '交易类型', '交易状态',
  '付款银行', '货币种类', '应结订单金额', '代金券金额', '微信退款单号', '商户退款单号', '退款金额', '充值券退款金额', '退款类型', '退款状态',
  '商品名称', '商户数据包', '手续费', '费率', '订单金额', '申请退款金额', '费率备注',
];
const summaryHeader = ['总交易单数', '应结订单总金额', '退款总金额', '充值券退款总金额', '手续费总金额', '订单总金额', '申请退款总金额'];

/** The sandbox's fee: 0.6%, written as WeChat Pay does with five decimals of yuan. */
const FEE_RATE_PER_MILLE = 6n;
const cny = (fen: bigint) => money(fen, 'CNY');

/** One line of a bill: a payment on the day it succeeded, a refund on the day it was accepted. */
interface BillRow {
  time: Date;
  appid: string;
  transactionId: string;
  outTradeNo: string;
  openid: string;
  tradeState: string;
  currency: string;
  /** fen: the order amount on a payment line, the refund on a refund line */
  amount: bigint;
  refundId: string;
  outRefundNo: string;
  refundStatus: string;
  description: string;
}

const yuan = (fen: bigint) => formatAmount(cny(fen));
/** The fee column: 0.6% of the amount in yuan, exactly, with five decimals. */
const fee = (fen: bigint) => formatShare(cny(fen), FEE_RATE_PER_MILLE, 1_000n, 5);

function rowsOf(state: SimulatorState, date: string): BillRow[] {
  const rows: BillRow[] = [];
  for (const order of state.orders.values()) {
    if (!order.successAt || chinaDate(order.successAt) !== date) continue;
    rows.push({
      time: order.successAt, appid: order.appid, transactionId: order.transactionId!, outTradeNo: order.outTradeNo, openid: order.openid!,
      tradeState: 'SUCCESS', currency: order.currency, amount: order.total, refundId: '0', outRefundNo: '0', refundStatus: '', description: order.description,
    });
  }
  for (const refund of state.refunds.values()) {
    if (chinaDate(refund.createdAt) !== date) continue;
    const order = state.orders.get(refund.outTradeNo)!;
    rows.push({
      time: refund.createdAt, appid: order.appid, transactionId: order.transactionId!, outTradeNo: order.outTradeNo, openid: order.openid!,
      tradeState: 'REFUND', currency: order.currency, amount: refund.amount, refundId: refund.refundId, outRefundNo: refund.outRefundNo,
      refundStatus: refund.status === 'CLOSED' ? 'REFUNDCLOSE' : refund.status, description: order.description,
    });
  }
  return rows.sort((a, b) => a.time.getTime() - b.time.getTime());
}

function corrupt(rows: BillRow[], corruption: BillCorruption, date: string): BillRow[] {
  if (corruption.kind === 'ADD') {
    const time = new Date(`${date}T12:00:00+08:00`);
    const amount = corruption.amount ?? 100n;
    return [...rows, {
      time, appid: rows[0]?.appid ?? '', transactionId: `4200${randomDigits(24)}`, outTradeNo: `unknown_${randomBytes(8).toString('hex')}`,
      openid: 'o_sandbox_unknown_payer', tradeState: 'SUCCESS', currency: 'CNY', amount, refundId: '0', outRefundNo: '0', refundStatus: '', description: 'sandbox: a trade the merchant never placed',
    }];
  }
  const at = rows.findIndex((row) => (row.tradeState === 'REFUND' ? row.outRefundNo : row.outTradeNo) === corruption.reference);
  if (at < 0) return rows;
  const row = rows[at]!;
  switch (corruption.kind) {
    case 'DROP':
      return rows.filter((_, i) => i !== at);
    case 'DUPLICATE':
      return [...rows.slice(0, at + 1), { ...row }, ...rows.slice(at + 1)];
    case 'CHANGE_AMOUNT':
      return rows.map((r, i) => (i === at ? { ...r, amount: corruption.amount ?? add(cny(r.amount), cny(100n)).minor } : r));
    case 'CHANGE_STATUS':
      return rows.map((r, i) => {
        if (i !== at) return r;
        if (r.tradeState === 'REFUND') return { ...r, refundStatus: corruption.status ?? (r.refundStatus === 'SUCCESS' ? 'REFUNDCLOSE' : 'SUCCESS') };
        return { ...r, tradeState: corruption.status ?? 'REVOKED' };
      });
  }
}

function render(state: SimulatorState, rows: BillRow[]): Buffer {
  const line = (cells: string[]) => cells.map((cell) => `\`${cell}`).join(',');
  const lines = rows.map((row) => {
    const refund = row.tradeState === 'REFUND';
    const order = refund ? 0n : row.amount;
    const refunded = refund ? row.amount : 0n;
    return line([
      chinaTime(row.time).slice(0, 19).replace('T', ' '), row.appid, state.keys.mchid, '0', '', row.transactionId, row.outTradeNo, row.openid,
      'NATIVE', row.tradeState, 'OTHERS', row.currency, yuan(order), '0.00', row.refundId, row.outRefundNo, yuan(refunded), '0.00',
      refund ? 'ORIGINAL' : '', row.refundStatus, row.description, '', fee(subtract(cny(order), cny(refunded)).minor), '0.60%', yuan(order), yuan(refunded), '',
    ]);
  });
  const sum = (pick: (row: BillRow) => bigint) => total(rows.map((row) => cny(pick(row))), 'CNY').minor;
  const orders = sum((row) => (row.tradeState === 'REFUND' ? 0n : row.amount));
  const refunds = sum((row) => (row.tradeState === 'REFUND' ? row.amount : 0n));
  const summary = line([String(rows.length), yuan(orders), yuan(refunds), '0.00', fee(subtract(cny(orders), cny(refunds)).minor), yuan(orders), yuan(refunds)]);
  // UTF-8 with a byte order mark and CRLF lines, as the bills WeChat Pay serves
  return Buffer.from(`\uFEFF${[header.join(','), ...lines, summaryHeader.join(','), summary].join('\r\n')}\r\n`, 'utf8');
}

/** The day's ALL bill as it stands now, with the sandbox's corruptions of that day applied. */
export function tradeBill(state: SimulatorState, date: string): Buffer | undefined {
  const rows = (state.corruptions.get(date) ?? []).reduce((acc, corruption) => corrupt(acc, corruption, date), rowsOf(state, date));
  return rows.length === 0 ? undefined : render(state, rows);
}

/** GET /v3/bill/tradebill: where to download the day's bill, and its SHA1; the URL is valid for five minutes. */
export function applyTradeBill(state: SimulatorState, query: Record<string, unknown>): Reply {
  const date = query['bill_date'];
  const type = query['bill_type'] ?? 'ALL';
  if (typeof date !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(date)) return paramError('bill_date: 格式应为 YYYY-MM-DD');
  if (type !== 'ALL') return paramError('bill_type: the sandbox serves ALL bills');
  if (date > chinaDate(new Date())) return refusal(400, 'INVALID_REQUEST', 'bill_date 不能晚于今天');
  const file = tradeBill(state, date);
  if (!file) return refusal(400, 'NO_STATEMENT_EXIST', '账单文件不存在');
  for (const [issued, bill] of state.bills) if (bill.expiresAt < Date.now()) state.bills.delete(issued);
  const token = randomBytes(16).toString('base64url');
  state.bills.set(token, { date, file, tampered: state.tamperedDates.has(date), expiresAt: Date.now() + 5 * 60_000 });
  return {
    status: 200,
    body: { hash_type: 'SHA1', hash_value: createHash('sha1').update(file).digest('hex'), download_url: `${state.baseUrl}/v3/billdownload/file?token=${token}` },
  };
}

/** GET /v3/billdownload/file: the bill's bytes, unsigned (the hash given with the URL is its integrity). */
export function downloadBill(state: SimulatorState, token: unknown): { status: number; file?: Buffer; error?: Reply } {
  const bill = typeof token === 'string' ? state.bills.get(token) : undefined;
  if (!bill || bill.expiresAt < Date.now()) return { status: 400, error: refusal(400, 'INVALID_REQUEST', '下载地址已过期或无效，请重新申请账单') };
  if (!bill.tampered) return { status: 200, file: bill.file };
  // one amount's first digit changed on the way: the file no longer matches the announced hash
  const text = bill.file.toString('utf8');
  const at = text.search(/`\d+\.\d{2},/) + 1;
  const tampered = `${text.slice(0, at)}${(Number(text[at]) + 1) % 10}${text.slice(at + 1)}`;
  return { status: 200, file: Buffer.from(tampered, 'utf8') };
}
