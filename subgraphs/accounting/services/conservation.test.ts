import { afterEach, beforeEach, expect, it } from 'vitest';
import { add, isZero, money, signed, subtract, zero, type Money } from '../../../lib/money.js';
import { AccountBalance } from '../entities/AccountBalance.js';
import { PaymentFigures } from '../entities/PaymentFigures.js';
import { DAY, openTestDatabase, PaymentEvents, testLedger, type TestPayment } from '../test-kit.js';
import { TestClock } from '../../../test/support/clock.js';
import { verifyLedger } from './verification.js';
import { seededRandom } from '../../../test/support/random.js';

const t0 = new Date('2026-11-22T00:00:00.000Z');
let database: Awaited<ReturnType<typeof openTestDatabase>>;
beforeEach(async () => {
  database = await openTestDatabase();
});
afterEach(() => database.remove());

it('conserves money over a randomized run: debits equal credits per currency, and every balance equals its entries', async () => {
  const seed = 20261122;
  const rng = seededRandom(seed);
  const clock = new TestClock(t0);
  const ledger = testLedger(database, clock, DAY);
  const events = new PaymentEvents();
  const captured: (TestPayment & { left: bigint })[] = [];
  for (let step = 0; step < 200; step++) {
    clock.set(new Date(t0.getTime() + step * 600_000));
    const action = rng.below(10);
    if (action < 5 || captured.length === 0) {
      const payment: TestPayment = {
        paymentId: `pay_${step}`,
        merchantId: rng.pick(['mer_a', 'mer_b', 'mer_c']),
        channel: rng.pick(['CARD', 'ALIPAY', 'WECHAT_PAY']),
        currency: rng.pick(['USD', 'EUR', 'JPY']),
        amount: BigInt(1 + rng.below(200_000)),
      };
      const received = rng.below(3) === 0 ? BigInt(1 + rng.below(Number(payment.amount))) : payment.amount;
      const capture = events.captured(payment, clock.now(), received);
      await ledger.handle(capture);
      if (rng.below(5) === 0) expect(await ledger.handle(capture)).toBe('duplicate');
      captured.push({ ...payment, left: received });
    } else if (action < 8) {
      const payment = rng.pick(captured);
      if (payment.left === 0n) continue;
      const amount = rng.below(2) === 0 ? payment.left : BigInt(1 + rng.below(Number(payment.left)));
      payment.left = subtract(money(payment.left, payment.currency ?? 'USD'), money(amount, payment.currency ?? 'USD')).minor;
      await ledger.handle(events.refund(payment, 'refund.succeeded', `re_${step}`, amount, clock.now()));
    } else {
      await ledger.settle();
    }
  }

  const entries = await ledger.entries();
  const net = new Map<string, Money>();
  const perAccount = new Map<string, { debit: bigint; credit: bigint }>();
  for (const e of entries) {
    const amount = money(e.amount, e.currency);
    net.set(e.currency, add(net.get(e.currency) ?? zero(e.currency), signed(amount, e.side === 'CREDIT')));
    const key = `${e.account} ${e.currency}`;
    const totals = perAccount.get(key) ?? { debit: 0n, credit: 0n };
    if (e.side === 'DEBIT') totals.debit = add(money(totals.debit, e.currency), amount).minor;
    else totals.credit = add(money(totals.credit, e.currency), amount).minor;
    perAccount.set(key, totals);
  }
  expect([...net.values()].every(isZero), `seed ${seed}`).toBe(true);

  const balances = await database.fork().find(AccountBalance, {});
  expect(balances).toHaveLength(perAccount.size);
  for (const row of balances) {
    expect({ debit: row.debitTotal, credit: row.creditTotal }, `${row.account} ${row.currency}`).toEqual(perAccount.get(`${row.account} ${row.currency}`));
  }

  // What the merchants hold (pending + available) is what they were paid, less fees and refunds.
  const figures = await database.fork().find(PaymentFigures, {});
  const owed = new Map<string, Money>();
  for (const f of figures) {
    const key = `${f.merchantId} ${f.currency}`;
    const [captured, fee, refunded] = [f.captured, f.fee, f.refunded].map((minor) => money(minor, f.currency)) as [Money, Money, Money];
    owed.set(key, add(owed.get(key) ?? zero(f.currency), subtract(subtract(captured, fee), refunded)));
  }
  const held = new Map<string, Money>();
  for (const row of balances.filter((b) => b.account.startsWith('merchant:'))) {
    const key = `${row.account.split(':')[1]} ${row.currency}`;
    held.set(key, add(held.get(key) ?? zero(row.currency), subtract(money(row.creditTotal, row.currency), money(row.debitTotal, row.currency))));
  }
  expect(held).toEqual(owed);

  expect(await verifyLedger(database.fork(), database.dialect, 50)).toMatchObject({ ok: true, entriesChecked: entries.length });
}, 60_000);
