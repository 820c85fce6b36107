import { describe, expect, it } from 'vitest';
import { money } from '../../lib/money.js';
import { billTradesForFile, lineKey, sortedLines, statementOf } from '../support/wallet-bills.js';
import { WALLETS } from '../support/wallets.js';
import type { StatementLine } from '../../subgraphs/payment/channels/channel.js';

describe.each(WALLETS)("$channel's daily trade bill, downloaded and parsed by the connector", (wallet) => {
  const file = billTradesForFile(wallet);
  const statement = (): Promise<StatementLine[]> => statementOf(file.system, wallet, file.trades.days);

  it('lists exactly what was paid and refunded, with our ids, transaction numbers and amounts in fen', async () => {
    const { expected } = file.trades;
    expect(expected.filter((line) => line.kind === 'PAYMENT')).toHaveLength(3);
    expect(expected.filter((line) => line.kind === 'REFUND')).toHaveLength(2);
    expect(expected.every((line) => wallet.transactionNumber.test(line.providerReference))).toBe(true);
    expect(sortedLines(await statement())).toEqual(sortedLines(expected));
  });

  it('a dropped line is missing from the statement', async () => {
    const target = file.trades.expected.find((line) => line.kind === 'PAYMENT')!;
    await wallet.corruptBill(file.system, file.trades.days[0]!, { kind: 'DROP', paymentId: target.paymentId });
    const lines = await statement();
    expect(lines).toHaveLength(file.trades.expected.length - 1);
    expect(lines.find((line) => line.kind === 'PAYMENT' && line.paymentId === target.paymentId)).toBeUndefined();
  });

  it('an added line is a payment of ours that does not exist', async () => {
    await wallet.corruptBill(file.system, file.trades.days[0]!, { kind: 'ADD', amountFen: 100 });
    const extra = (await statement()).filter((line) => !file.trades.expected.some((known) => lineKey(known) === lineKey(line)));
    expect(extra).toEqual([expect.objectContaining({ kind: 'PAYMENT', amount: money(100n, 'CNY'), status: 'SUCCEEDED', refundId: null })]);
  });

  it('a changed amount, one fen off, shows in the statement', async () => {
    const target = file.trades.expected.find((line) => line.kind === 'PAYMENT' && line.amount.minor === 234567n)!;
    await wallet.corruptBill(file.system, file.trades.days[0]!, { kind: 'ONE_FEN_MORE', paymentId: target.paymentId, amountFen: 234568 });
    const changed = (await statement()).find((line) => line.kind === 'PAYMENT' && line.paymentId === target.paymentId);
    expect(changed?.amount.minor).toBe(234568n);
  });

  it('a duplicated refund line appears twice', async () => {
    // the first refund line, of the trade that also has a payment line and another refund
    const target = file.trades.expected.find((line) => line.kind === 'REFUND')!;
    await wallet.corruptBill(file.system, file.trades.days[0]!, { kind: 'DUPLICATE', paymentId: target.paymentId, refundId: target.refundId! });
    const lines = await statement();
    expect(lines).toHaveLength(file.trades.expected.length + 1);
    expect(lines.filter((line) => lineKey(line) === lineKey(target))).toEqual([target, target]);
  });
});
