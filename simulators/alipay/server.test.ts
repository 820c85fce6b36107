import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AlipayClient } from '../../subgraphs/payment/channels/alipay/client.js';
import { startAlipaySimulator, type AlipaySimulator } from './server.js';
import { testKeyPair } from '../../test/support/keys.js';

const merchant = testKeyPair(1);
const alipay = testKeyPair(2);
const appId = '2021000000000042';

let simulator: AlipaySimulator;
let client: AlipayClient;
/** a merchant's notify_url that answers `fail` twice, then `success` */
let receiver: { url: string; bodies: string[]; close: () => Promise<void> };

beforeAll(async () => {
  // Alipay's 25 hours of retries in about a millisecond
  simulator = await startAlipaySimulator({ appId, appPublicKey: merchant.publicKey, privateKey: alipay.privateKey, notifyRetryDivisor: 100_000_000 });
  client = new AlipayClient({ gatewayUrl: simulator.gatewayUrl, appId, privateKey: merchant.privateKey, alipayPublicKey: alipay.publicKey });
  const bodies: string[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      bodies.push(Buffer.concat(chunks).toString());
      res.end(bodies.length <= 2 ? 'fail' : 'success');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  receiver = {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/notify`,
    bodies,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
});
afterAll(async () => {
  await simulator?.close();
  await receiver?.close();
});

const precreate = (outTradeNo: string, amount = '10.00') =>
  client.call('alipay.trade.precreate', { out_trade_no: outTradeNo, total_amount: amount, subject: 'tea' }, { notify_url: receiver.url });

async function payer(outTradeNo: string, outcome: 'APPROVE' | 'DECLINE'): Promise<{ delivered: boolean; trade_status: string }> {
  const response = await fetch(`${simulator.url}/sandbox/payer`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ out_trade_no: outTradeNo, outcome }) });
  return (await response.json()) as { delivered: boolean; trade_status: string };
}

describe('the Alipay simulator, spoken to through our SDK client', () => {
  it('refuses a request signed with a key that is not the app\'s, in a signed answer', async () => {
    const impostor = new AlipayClient({ gatewayUrl: simulator.gatewayUrl, appId, privateKey: testKeyPair(3).privateKey, alipayPublicKey: alipay.publicKey });
    expect(await impostor.call('alipay.trade.query', { out_trade_no: 'x' })).toMatchObject({ code: '40002', sub_code: 'isv.invalid-signature' });
    const otherApp = new AlipayClient({ gatewayUrl: simulator.gatewayUrl, appId: '2021000000009999', privateKey: merchant.privateKey, alipayPublicKey: alipay.publicKey });
    expect(await otherApp.call('alipay.trade.query', { out_trade_no: 'x' })).toMatchObject({ code: '40002', sub_code: 'isv.invalid-app-id' });
  });

  it('an answer that does not verify with the configured Alipay key is no answer (PROVIDER_UNAVAILABLE)', async () => {
    const misconfigured = new AlipayClient({ gatewayUrl: simulator.gatewayUrl, appId, privateKey: merchant.privateKey, alipayPublicKey: testKeyPair(4).publicKey });
    await expect(misconfigured.call('alipay.trade.query', { out_trade_no: 'x' })).rejects.toMatchObject({ code: 'PROVIDER_UNAVAILABLE' });
  });

  it('precreate is idempotent by out_trade_no while unpaid, and refuses the same number with another amount', async () => {
    const first = await precreate('pay_sim_1');
    expect(first).toMatchObject({ code: '10000', out_trade_no: 'pay_sim_1' });
    expect(first['qr_code']).toMatch(/^https:\/\/qr\.alipay\.com\//);
    expect((await precreate('pay_sim_1'))['qr_code']).toBe(first['qr_code']);
    expect(await precreate('pay_sim_1', '10.01')).toMatchObject({ code: '40004', sub_code: 'ACQ.CONTEXT_INCONSISTENT' });
    expect(await precreate('bad/number')).toMatchObject({ code: '40004', sub_code: 'ACQ.INVALID_PARAMETER' });
  });

  it('an unscanned order is no trade; once paid it is TRADE_SUCCESS, and its notification is retried until `success`', async () => {
    await precreate('pay_sim_2', '12.50');
    expect(await client.call('alipay.trade.query', { out_trade_no: 'pay_sim_2' })).toMatchObject({ code: '40004', sub_code: 'ACQ.TRADE_NOT_EXIST' });
    expect(await payer('pay_sim_2', 'APPROVE')).toMatchObject({ delivered: true, trade_status: 'TRADE_SUCCESS' });
    expect(receiver.bodies).toHaveLength(3);
    expect(new Set(receiver.bodies).size).toBe(1);
    expect(new URLSearchParams(receiver.bodies[0]).get('trade_status')).toBe('TRADE_SUCCESS');
    expect(await client.call('alipay.trade.query', { out_trade_no: 'pay_sim_2' })).toMatchObject({ code: '10000', trade_status: 'TRADE_SUCCESS', total_amount: '12.50' });
    expect(await client.call('alipay.trade.close', { out_trade_no: 'pay_sim_2' })).toMatchObject({ code: '40004', sub_code: 'ACQ.TRADE_STATUS_ERROR' });
    const again = await fetch(`${simulator.url}/sandbox/payer`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ out_trade_no: 'pay_sim_2', outcome: 'APPROVE' }) });
    expect(again.status).toBe(409);
  });

  it('refunds: partial, repeated (fund_change N), over the rest refused, found by the refund query', async () => {
    await precreate('pay_sim_3', '20.00');
    await payer('pay_sim_3', 'APPROVE');
    const refund = (amount: string, no: string) => client.call('alipay.trade.refund', { out_trade_no: 'pay_sim_3', refund_amount: amount, out_request_no: no });
    expect(await refund('5.00', 're_1')).toMatchObject({ code: '10000', fund_change: 'Y', refund_fee: '5.00' });
    expect(await refund('5.00', 're_1')).toMatchObject({ code: '10000', fund_change: 'N', refund_fee: '5.00' });
    expect(await refund('6.00', 're_1')).toMatchObject({ code: '40004', sub_code: 'ACQ.DISCORDANT_REPEAT_REQUEST' });
    expect(await refund('15.01', 're_2')).toMatchObject({ code: '40004', sub_code: 'ACQ.REFUND_AMT_NOT_EQUAL_TOTAL' });
    const query = (no: string) => client.call('alipay.trade.fastpay.refund.query', { out_trade_no: 'pay_sim_3', out_request_no: no });
    expect(await query('re_1')).toMatchObject({ code: '10000', refund_amount: '5.00', refund_status: 'REFUND_SUCCESS' });
    expect(await query('re_2')).not.toHaveProperty('refund_amount');
  });

  it('a bill download link works once issued and only with its token', async () => {
    const answer = await client.call('alipay.data.dataservice.bill.downloadurl.query', { bill_type: 'trade', bill_date: '2026-01-01' });
    const url = String(answer['bill_download_url']);
    const archive = await fetch(url);
    expect(archive.status).toBe(200);
    expect(archive.headers.get('content-disposition')).toMatch(/_20260101\.csv\.zip/);
    const forged = new URL(url);
    forged.searchParams.set('bizDates', '20260102');
    expect((await fetch(forged)).status).toBe(403);
  });
});
