import { money, sum as total } from '../../lib/money.js';
import { chinaTime, yuan } from './china-time.js';
import { encodeGbk } from './gbk.js';
import { writeZip } from './zip.js';

/** One row of the trade bill: a paid trade (交易) or a refund (退款, amounts negative). */
export interface BillRow {
  tradeNo: string;
  outTradeNo: string;
  type: '交易' | '退款';
  subject: string;
  createdAt: Date;
  completedAt: Date;
  /** fen, negative for refunds */
  amount: bigint;
  refundNo: string;
}

const DETAIL_HEADER =
  '支付宝交易号,商户订单号,业务类型,商品名称,创建时间,完成时间,门店编号,门店名称,操作员,终端号,对方账户,订单金额（元）,商家实收（元）,'
  + '支付宝红包（元）,集分宝（元）,支付宝优惠（元）,商家优惠（元）,券核销金额（元）,券名称,商家红包消费金额（元）,卡消费金额（元）,'
  + '退款批次号/请求号,服务费（元）,分润（元）,备注';
const SUMMARY_HEADER = '门店编号,门店名称,交易订单总笔数,退款订单总笔数,订单金额（元）,商家实收（元）,支付宝优惠（元）,商家优惠（元）,卡消费金额（元）,服务费（元）,分润（元）,实收净额（元）';
const rule = (title: string) => `#-----------------------------------------${title}----------------------------------------`;
const ruleEnd = (title: string) => `#-----------------------------------------${title}结束------------------------------------`;

function chineseDate(date: string, time = '00:00:00'): string {
  const [year, month, day] = date.split('-');
  return `${year}年${month}月${day}日 ${time}`;
}

function nextDay(date: string): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
}

function detailRow(row: BillRow): string {
  const amount = yuan(row.amount);
  // a comma would split the column: Alipay writes the full-width one
  const subject = row.subject.replace(/,/g, '，');
  return [
    `${row.tradeNo}\t`, `${row.outTradeNo}\t`, row.type, subject, chinaTime(row.createdAt), chinaTime(row.completedAt),
    '', '', '', '', 'buy***@example.com', amount, amount, '0.00', '0.00', '0.00', '0.00', '0.00', '', '0.00', '0.00',
    row.refundNo ? `${row.refundNo}\t` : '', '0.00', '0.00', '',
  ].join(',');
}

/** The day's two files in Alipay's layout (GBK, CRLF): the details, with their totals, and the summary. */
export function renderBill(pid: string, date: string, rows: BillRow[], exportedAt: Date): { detail: string; summary: string } {
  const account = `#账号：[${pid}0156]`;
  const period = `#起始日期：[${chineseDate(date)}]   终止日期：[${chineseDate(nextDay(date))}]`;
  const exported = `#导出时间：[${chineseDate(chinaTime(exportedAt).slice(0, 10), chinaTime(exportedAt).slice(11))}]`;
  const trades = rows.filter((row) => row.type === '交易');
  const refunds = rows.filter((row) => row.type === '退款');
  const sum = (list: BillRow[]) => total(list.map((row) => money(row.amount, 'CNY')), 'CNY').minor;
  const detail = [
    '#支付宝业务明细查询', account, period, rule('业务明细列表'), DETAIL_HEADER, ...rows.map(detailRow), ruleEnd('业务明细列表'),
    `#交易合计：${trades.length}笔，商家实收共${yuan(sum(trades))}元，商家优惠共0.00元`,
    `#退款合计：${refunds.length}笔，商家实收共${yuan(sum(refunds))}元，商家优惠共0.00元`,
    exported,
  ];
  const net = yuan(sum(rows));
  const summary = [
    '#支付宝业务汇总查询', account, period, rule('业务汇总列表'), SUMMARY_HEADER,
    `,合计,${trades.length},${refunds.length},${net},${net},0.00,0.00,0.00,0.00,0.00,${net}`,
    ruleEnd('业务汇总列表'), exported,
  ];
  return { detail: `${detail.join('\r\n')}\r\n`, summary: `${summary.join('\r\n')}\r\n` };
}

/** `<pid>0156_<yyyyMMdd>.csv.zip` holding `…_业务明细.csv` and `…_业务明细(汇总).csv`, as Alipay delivers it. */
export function billArchive(pid: string, date: string, rows: BillRow[], now: Date): { fileName: string; archive: Buffer } {
  const stem = `${pid}0156_${date.replace(/-/g, '')}`;
  const { detail, summary } = renderBill(pid, date, rows, now);
  const archive = writeZip(
    [
      { name: encodeGbk(`${stem}_业务明细.csv`), data: encodeGbk(detail, '?') },
      { name: encodeGbk(`${stem}_业务明细(汇总).csv`), data: encodeGbk(summary, '?') },
    ],
    now,
  );
  return { fileName: `${stem}.csv.zip`, archive };
}
