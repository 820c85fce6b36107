import { describe, expect, it } from 'vitest';
import { money } from '../../../../lib/money.js';
import { billArchive, renderBill, type BillRow } from '../../../../simulators/alipay/bill-file.js';
import { BillFormatError, parseTradeBill } from './bill.js';
import { readZip } from './zip.js';

const at = (text: string) => new Date(`${text}+08:00`);
const rows: BillRow[] = [
  { tradeNo: '2026112222001400000000000001', outTradeNo: 'pay_a', type: '交易', subject: '茶叶, 2 盒', createdAt: at('2026-11-22T09:59:00'), completedAt: at('2026-11-22T10:00:30'), amount: 3580n, refundNo: '' },
  { tradeNo: '2026112222001400000000000001', outTradeNo: 'pay_a', type: '退款', subject: '茶叶', createdAt: at('2026-11-22T09:59:00'), completedAt: at('2026-11-22T11:00:00'), amount: -1000n, refundNo: 're_b' },
  { tradeNo: '2026112222001400000000000002', outTradeNo: 'pay_c', type: '交易', subject: 'x', createdAt: at('2026-11-22T23:59:00'), completedAt: at('2026-11-22T23:59:59'), amount: 1n, refundNo: '' },
];

/** A detail file written by hand in Alipay's layout (tab-padded ids, negative refunds, Chinese footer). */
const handWritten = [
  '#支付宝业务明细查询',
  '#账号：[20880000000000000156]',
  '#起始日期：[2026年10月03日 00:00:00]   终止日期：[2026年10月04日 00:00:00]',
  '#-----------------------------------------业务明细列表----------------------------------------',
  '支付宝交易号,商户订单号,业务类型,商品名称,创建时间,完成时间,门店编号,门店名称,操作员,终端号,对方账户,订单金额（元）,商家实收（元）,支付宝红包（元）,集分宝（元）,支付宝优惠（元）,商家优惠（元）,券核销金额（元）,券名称,商家红包消费金额（元）,卡消费金额（元）,退款批次号/请求号,服务费（元）,分润（元）,备注',
  '2026100322001400000000000001\t,pay_d\t,交易,洗衣订单,2026-10-03 10:00:00,2026-10-03 10:00:30,,,,,buy***@example.com,35.80,35.80,0.00,0.00,0.00,0.00,0.00,,0.00,0.00,,-0.12,0.00,',
  '2026100322001400000000000001\t,pay_d\t,退款,洗衣订单,2026-10-03 10:00:00,2026-10-03 12:00:00,,,,,buy***@example.com,-35.80,-35.80,0.00,0.00,0.00,0.00,0.00,,0.00,0.00,re_e\t,0.12,0.00,',
  '#-----------------------------------------业务明细列表结束------------------------------------',
  '#交易合计：1笔，商家实收共35.80元，商家优惠共0.00元',
  '#退款合计：1笔，商家实收共-35.80元，商家优惠共0.00元',
  '#导出时间：[2026年10月04日 09:21:24]',
].join('\r\n');

describe("Alipay's trade bill", () => {
  it('reads a detail file in Alipay\'s layout into statement lines, amounts in fen', () => {
    expect(parseTradeBill(handWritten)).toEqual([
      { kind: 'PAYMENT', providerReference: '2026100322001400000000000001', paymentId: 'pay_d', refundId: null, amount: money(3580n, 'CNY'), status: 'SUCCEEDED', occurredAt: new Date('2026-10-03T02:00:30Z') },
      { kind: 'REFUND', providerReference: '2026100322001400000000000001', paymentId: 'pay_d', refundId: 're_e', amount: money(3580n, 'CNY'), status: 'SUCCEEDED', occurredAt: new Date('2026-10-03T04:00:00Z') },
    ]);
  });

  it("reads the simulator's archive (zip of GBK files, GBK names) back to its rows", () => {
    const { fileName, archive } = billArchive('2088000000000001', '2026-11-22', rows, new Date());
    expect(fileName).toBe('20880000000000010156_20261122.csv.zip');
    const files = readZip(archive);
    expect(files.map((file) => file.name)).toEqual(['20880000000000010156_20261122_业务明细.csv', '20880000000000010156_20261122_业务明细(汇总).csv']);
    const text = new TextDecoder('gbk', { fatal: true }).decode(files[0]!.data);
    expect(text).toContain('茶叶， 2 盒');
    expect(parseTradeBill(text).map((line) => [line.kind, line.paymentId, line.refundId, line.amount.minor, line.occurredAt.toISOString()])).toEqual([
      ['PAYMENT', 'pay_a', null, 3580n, '2026-11-22T02:00:30.000Z'],
      ['REFUND', 'pay_a', 're_b', 1000n, '2026-11-22T03:00:00.000Z'],
      ['PAYMENT', 'pay_c', null, 1n, '2026-11-22T15:59:59.000Z'],
    ]);
  });

  it('refuses an archive damaged on its way (CRC-32)', () => {
    const { archive } = billArchive('2088000000000001', '2026-11-22', rows, new Date());
    const dataStart = 30 + archive.readUInt16LE(26);
    const damaged = Buffer.from(archive);
    damaged[dataStart + 10] = damaged[dataStart + 10]! ^ 0xff;
    expect(() => readZip(damaged)).toThrow();
    // the bytes intact, the recorded checksum not: refused by the CRC-32 check itself
    const central = archive.readUInt32LE(archive.length - 22 + 16);
    const wrongCrc = Buffer.from(archive);
    wrongCrc.writeUInt32LE((archive.readUInt32LE(central + 16) + 1) >>> 0, central + 16);
    expect(() => readZip(wrongCrc)).toThrow(/业务明细\.csv is damaged/);
    expect(() => readZip(Buffer.from('not a zip'))).toThrow(/not a zip archive/);
  });

  it('refuses a file whose rows do not add up to its footer, or that lost its footer or columns', () => {
    const { detail } = renderBill('2088000000000001', '2026-11-22', rows, new Date());
    const lines = detail.split('\r\n');
    const withoutRow = lines.filter((line) => !line.startsWith('2026112222001400000000000002')).join('\r\n');
    expect(() => parseTradeBill(withoutRow)).toThrow(BillFormatError);
    expect(() => parseTradeBill(detail.replace('35.80,35.80', '35.80,35.81'))).toThrow(/#交易合计/);
    expect(() => parseTradeBill(lines.filter((line) => !line.startsWith('#交易合计')).join('\r\n'))).toThrow(/no #交易合计/);
    expect(() => parseTradeBill(detail.replace('业务类型', '类型'))).toThrow(/lacks the columns 业务类型/);
    expect(() => parseTradeBill(detail.replace(',交易,', ',交易关闭,'))).toThrow(/unknown 业务类型/);
    expect(() => parseTradeBill('#支付宝业务明细查询\r\n')).toThrow(/no 业务明细列表/);
  });
});
