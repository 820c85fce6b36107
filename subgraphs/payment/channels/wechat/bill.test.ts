import { describe, expect, it } from 'vitest';
import { money } from '../../../../lib/money.js';
import { BillFormatError, parseTradeBill } from './bill.js';

// The ALL bill's layout as WeChat Pay documents it (pay.weixin.qq.com/docs/merchant/products/bill-download/format-trade.html).
const header = '交易时间,公众账号ID,商户号,特约商户号,设备号,微信订单号,商户订单号,用户标识,交易类型,交易状态,付款银行,货币种类,应结订单金额,代金券金额,微信退款单号,商户退款单号,退款金额,充值券退款金额,退款类型,退款状态,商品名称,商户数据包,手续费,费率,订单金额,申请退款金额,费率备注';
const summaryHeader = '总交易单数,应结订单总金额,退款总金额,充值券退款总金额,手续费总金额,订单总金额,申请退款总金额';
// a payment line in the documented example's shape, and a refund line of the same order
const paymentLine = '`2022-03-21 13:51:31,`wxfdc955f7104ad557,`180023671,`0,`,`420000612032130748613220688,`2021WERUN1647840687637,`oZWaCKXip5njeEiloC4oeOV1TTsk,`NATIVE,`SUCCESS,`OTHERS,`CNY,`12.34,`0.00,`0,`0,`0.00,`0.00,`,`,`测试,`,`0.07404,`0.60%,`12.34,`0.00,`';
const refundLine = '`2022-03-22 09:00:00,`wxfdc955f7104ad557,`180023671,`0,`,`420000612032130748613220688,`2021WERUN1647840687637,`oZWaCKXip5njeEiloC4oeOV1TTsk,`NATIVE,`REFUND,`OTHERS,`CNY,`0.00,`0.00,`50300000000000000000000000001,`re_1,`2.00,`0.00,`ORIGINAL,`SUCCESS,`测试,`,`-0.01200,`0.60%,`0.00,`2.00,`';

function bill(lines: string[], summary: string, options: { bom?: boolean; eol?: string } = {}): Buffer {
  const eol = options.eol ?? '\r\n';
  return Buffer.from(`${options.bom === false ? '' : '\uFEFF'}${[header, ...lines, summaryHeader, summary].join(eol)}${eol}`, 'utf8');
}

describe('parseTradeBill', () => {
  it('reads payment and refund lines into statement lines, amounts in fen, times in China time', () => {
    const lines = parseTradeBill(bill([paymentLine, refundLine], '`2,`12.34,`2.00,`0.00,`0.06204,`12.34,`2.00'));
    expect(lines).toEqual([
      {
        kind: 'PAYMENT', providerReference: '420000612032130748613220688', paymentId: '2021WERUN1647840687637', refundId: null,
        amount: money(1234n, 'CNY'), status: 'SUCCEEDED', occurredAt: new Date('2022-03-21T05:51:31Z'),
      },
      {
        kind: 'REFUND', providerReference: '420000612032130748613220688', paymentId: '2021WERUN1647840687637', refundId: 're_1',
        amount: money(200n, 'CNY'), status: 'SUCCEEDED', occurredAt: new Date('2022-03-22T01:00:00Z'),
      },
    ]);
  });

  it('reads a bill without byte order mark, with LF lines', () => {
    expect(parseTradeBill(bill([paymentLine], '`1,`12.34,`0.00,`0.00,`0.07404,`12.34,`0.00', { bom: false, eol: '\n' }))).toHaveLength(1);
  });

  it('reads large amounts exactly, and refund and revocation statuses in our terms', () => {
    const large = paymentLine.replaceAll('`12.34', '`92233720368547758.07');
    const revoked = paymentLine.replace('`SUCCESS', '`REVOKED').replaceAll('`12.34', '`1.00');
    const processing = refundLine.replace('`ORIGINAL,`SUCCESS', '`ORIGINAL,`PROCESSING');
    const closed = refundLine.replace('`ORIGINAL,`SUCCESS', '`ORIGINAL,`REFUNDCLOSE');
    const lines = parseTradeBill(bill([large, revoked, processing, closed], '`4,`92233720368547759.07,`4.00,`0.00,`0.00000,`92233720368547759.07,`4.00'));
    expect(lines.map((line) => [line.amount.minor, line.status])).toEqual([
      [9223372036854775807n, 'SUCCEEDED'],
      [100n, 'CLOSED'],
      [200n, 'PENDING'],
      [200n, 'FAILED'],
    ]);
  });

  it('refuses a bill whose summary does not count or total its lines', () => {
    expect(() => parseTradeBill(bill([paymentLine], '`2,`12.34,`0.00,`0.00,`0.07404,`12.34,`0.00'))).toThrow(BillFormatError);
    expect(() => parseTradeBill(bill([paymentLine], '`1,`12.34,`0.00,`0.00,`0.07404,`12.35,`0.00'))).toThrow(/订单总金额/);
    expect(() => parseTradeBill(bill([refundLine], '`1,`0.00,`2.00,`0.00,`0.00000,`0.00,`3.00'))).toThrow(/申请退款总金额/);
  });

  it.each([
    ['an amount that is not yuan with two decimals', paymentLine.replaceAll('`12.34', '`12.3')],
    ['an unknown trade state', paymentLine.replace('`SUCCESS', '`NOTPAY')],
    ['an unknown refund status', refundLine.replace('`ORIGINAL,`SUCCESS', '`ORIGINAL,`MAYBE')],
    ['a line without backquotes', paymentLine.replaceAll('`', '')],
    ['a line with a missing field', paymentLine.slice(0, paymentLine.lastIndexOf(',`'))],
    ['a time that is not a bill time', paymentLine.replace('2022-03-21 13:51:31', '21/03/2022')],
  ])('refuses %s', (_, line) => {
    expect(() => parseTradeBill(bill([line], '`1,`12.34,`0.00,`0.00,`0.07404,`12.34,`0.00'))).toThrow(BillFormatError);
  });

  it('refuses what is not a trade bill', () => {
    expect(() => parseTradeBill(Buffer.from('<html>error</html>'))).toThrow(BillFormatError);
    expect(() => parseTradeBill(Buffer.from(`${header}\r\n${paymentLine}\r\n`))).toThrow(BillFormatError);
  });
});
