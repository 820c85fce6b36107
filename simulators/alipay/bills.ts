import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { Router } from 'express';
import { absolute, add, isNegative, money, negate } from '../../lib/money.js';
import { refused, success, type Answer } from './answer.js';
import { billArchive, type BillRow } from './bill-file.js';
import { chinaDate } from './china-time.js';
import { newTradeNo, type BillCorruption, type SimulatorState } from './state.js';

const URL_LIFETIME_MS = 30_000;

/** The day's rows as Alipay's records say: trades paid that day, refunds made that day (China time). */
function rowsOf(state: SimulatorState, date: string): BillRow[] {
  const rows: BillRow[] = [];
  for (const trade of state.trades.values()) {
    if (!trade.tradeNo) continue;
    const base = { tradeNo: trade.tradeNo, outTradeNo: trade.outTradeNo, subject: trade.subject, createdAt: trade.createdAt };
    if (trade.paidAt && chinaDate(trade.paidAt) === date) {
      rows.push({ ...base, type: '交易', completedAt: trade.paidAt, amount: trade.totalAmount, refundNo: '' });
    }
    for (const refund of trade.refunds.values()) {
      if (chinaDate(refund.refundedAt) === date) {
        rows.push({ ...base, type: '退款', completedAt: refund.refundedAt, amount: negate(money(refund.amount, 'CNY')).minor, refundNo: refund.outRequestNo });
      }
    }
  }
  return rows.sort((a, b) => a.completedAt.getTime() - b.completedAt.getTime());
}

/** The trade an ADD corruption lists: a 1.00 CNY trade of `outTradeNo`, or of an order number nobody used. */
export function phantomTrade(date: string, outTradeNo: string | null): { tradeNo: string; outTradeNo: string } {
  return { tradeNo: newTradeNo(date), outTradeNo: outTradeNo ?? `pay_unknown_${randomBytes(6).toString('hex')}` };
}

/** Makes the bill wrong the way a sandbox control asked, as if Alipay's own records were: totals stay consistent. */
function corrupt(state: SimulatorState, date: string, rows: BillRow[], corruption: BillCorruption): void {
  const targeted = (row: BillRow) =>
    (corruption.outTradeNo === null || row.outTradeNo === corruption.outTradeNo) && row.refundNo === (corruption.outRequestNo ?? row.refundNo);
  const index = Math.max(0, rows.findIndex(targeted));
  const row = rows[index];
  switch (corruption.kind) {
    case 'DROP':
      rows.splice(index, row ? 1 : 0);
      return;
    case 'DUPLICATE':
      if (row) rows.splice(index + 1, 0, { ...row });
      return;
    case 'AMOUNT':
      if (row) {
        // one fen further from zero, whichever the row's sign
        const amount = money(row.amount, 'CNY');
        const further = add(absolute(amount), money(1n, 'CNY'));
        row.amount = (isNegative(amount) ? negate(further) : further).minor;
      }
      return;
    case 'ADD': {
      const at = new Date(Date.parse(`${date}T12:00:00+08:00`));
      const { tradeNo, outTradeNo } = corruption.added ?? phantomTrade(date, corruption.outTradeNo);
      rows.push({ tradeNo, outTradeNo, type: '交易', subject: 'unknown', createdAt: at, completedAt: at, amount: 100n, refundNo: '' });
      return;
    }
    case 'STATUS': {
      // a trade that closed unpaid, listed as paid
      const closed = [...state.trades.values()].find(
        (trade) => trade.tradeNo && !trade.paidAt && trade.closedAt && (corruption.outTradeNo ? trade.outTradeNo === corruption.outTradeNo : chinaDate(trade.closedAt) === date),
      );
      if (closed?.tradeNo && closed.closedAt) {
        rows.push({ tradeNo: closed.tradeNo, outTradeNo: closed.outTradeNo, type: '交易', subject: closed.subject, createdAt: closed.createdAt, completedAt: closed.closedAt, amount: closed.totalAmount, refundNo: '' });
      }
    }
  }
}

function token(state: SimulatorState, bizDates: string, timestamp: string): Buffer {
  return createHmac('sha256', state.downloadSecret).update(`${bizDates}.${timestamp}`).digest();
}

/** alipay.data.dataservice.bill.downloadurl.query: a URL, valid for 30 seconds, of the day's trade bill. */
export function billDownloadUrl(state: SimulatorState, biz: Record<string, unknown>): Answer {
  const date = biz['bill_date'];
  if (biz['bill_type'] !== 'trade') return refused('isv.invalid-bill-type', '账单类型不支持');
  if (typeof date !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(date) || Number.isNaN(Date.parse(date))) return refused('isv.invalid-bill-date', '账单日期格式不正确');
  // Alipay serves yesterday's bill at the earliest; the sandbox also the current day so far, so tests need not wait
  if (date > chinaDate(new Date())) return refused('isp.bill_not_exist', '账单不存在');
  const bizDates = date.replace(/-/g, '');
  const timestamp = String(Date.now());
  const url = new URL('/downloadBillFile.resource', state.baseUrl);
  url.search = new URLSearchParams({
    bizType: 'trade',
    userId: state.pid,
    fileType: 'csv.zip',
    bizDates,
    downloadFileName: `${state.pid}0156_${bizDates}.csv.zip`,
    fileId: randomBytes(8).toString('hex'),
    timestamp,
    token: token(state, bizDates, timestamp).toString('hex'),
  }).toString();
  return success({ bill_download_url: url.toString() });
}

/** GET /downloadBillFile.resource: the archive itself, for a URL the gateway issued less than 30 seconds ago. */
export function billDownloadRoutes(state: SimulatorState): Router {
  const router = Router();
  router.get('/downloadBillFile.resource', (req, res) => {
    const { bizDates, timestamp, token: given } = req.query;
    const fresh = typeof timestamp === 'string' && Date.now() - Number(timestamp) <= URL_LIFETIME_MS;
    const genuine =
      typeof bizDates === 'string' && /^\d{8}$/.test(bizDates) && typeof given === 'string' && /^[0-9a-f]{64}$/.test(given) && fresh
      && timingSafeEqual(Buffer.from(given, 'hex'), token(state, bizDates, timestamp));
    if (!genuine) return void res.status(403).type('text/plain').send('the download link is invalid or has expired');
    const date = `${bizDates.slice(0, 4)}-${bizDates.slice(4, 6)}-${bizDates.slice(6)}`;
    const rows = rowsOf(state, date);
    for (const corruption of state.billCorruptions.get(date) ?? []) corrupt(state, date, rows, corruption);
    const { fileName, archive } = billArchive(state.pid, date, rows, new Date());
    res.status(200).type('application/octet-stream').attachment(fileName).send(archive);
  });
  return router;
}
