import { describe, expect, it } from 'vitest';
import { EventPayloadError, parseEventPayload } from '../../../lib/events/event-contract.js';
import { envelope } from '../../../lib/events/outbox-relay.js';
import { OutboxEvent } from '../../../lib/events/outbox.js';
import { accountingEvents, paymentBookedPayload } from '../contract/events.js';
import { Journal } from '../entities/Journal.js';
import { ledgerForEachTest, type TestPayment } from '../test-kit.js';

const t0 = new Date('2026-11-22T10:00:00.000Z');
const at = (ms: number) => new Date(t0.getTime() + ms);
const card: TestPayment = { paymentId: 'pay_1', merchantId: 'mer_1', amount: 10_000n };

const bench = ledgerForEachTest(at(50));

const outbox = () => bench.database.fork().find(OutboxEvent, {}, { orderBy: { id: 'asc' } });

describe("accounting's events", () => {
  it('one per posted capture or refund journal, with the journal, gapless per payment; nothing for what books nothing', async () => {
    await bench.ledger.handle(bench.events.captured(card, t0));
    await bench.ledger.handle(bench.events.refund(card, 'refund.created', 're_1', 2_500n, at(10)));
    await bench.ledger.handle(bench.events.refund(card, 'refund.failed', 're_1', 2_500n, at(20)));
    await bench.ledger.handle(bench.events.refund(card, 'refund.created', 're_2', 1_000n, at(30)));
    bench.clock.set(at(90));
    await bench.ledger.handle(bench.events.refund(card, 'refund.succeeded', 're_2', 1_000n, at(40)));
    await bench.ledger.settle(at(86_400_000));
    const journals = await bench.database.fork().find(Journal, {}, { orderBy: { sequence: 'asc' } });
    const rows = await outbox();
    expect(rows.map((row) => [row.type, row.aggregateType, row.aggregateId, row.sequence, row.publishedAt])).toEqual([
      ['accounting.payment_booked', 'payment', 'pay_1', 1, null],
      ['accounting.refund_booked', 'payment', 'pay_1', 2, null],
    ]);
    expect(rows[0]!.payload).toEqual({
      paymentId: 'pay_1',
      merchantId: 'mer_1',
      channel: 'CARD',
      currency: 'USD',
      amount: '10000',
      fee: '320',
      net: '9680',
      capturedAt: t0.toISOString(),
      journalId: journals[0]!.id,
      bookedAt: at(50).toISOString(),
    });
    expect(rows[0]!.occurredAt).toEqual(at(50));
    expect(rows[1]!.payload).toEqual({
      paymentId: 'pay_1',
      refundId: 're_2',
      merchantId: 'mer_1',
      channel: 'CARD',
      currency: 'USD',
      amount: '1000',
      fee: '0',
      net: '1000',
      journalId: journals[1]!.id,
      bookedAt: at(90).toISOString(),
    });
    expect(journals.map((journal) => journal.type)).toEqual(['capture', 'refund', 'settlement']);
  });

  it('commit with their journal: an event redelivered or refused writes none', async () => {
    const capture = bench.events.captured(card, t0);
    await bench.ledger.handle(capture);
    expect(await bench.ledger.handle(capture)).toBe('duplicate');
    const stray = bench.events.refund({ ...card, paymentId: 'pay_never_captured' }, 'refund.succeeded', 're_9', 100n, t0);
    await expect(bench.ledger.handle(stray)).rejects.toThrow(/never captured/);
    expect((await outbox()).map((row) => row.aggregateId)).toEqual(['pay_1']);
  });

  it('read back with the contract they are written by; a payload missing a field is refused', async () => {
    await bench.ledger.handle(bench.events.captured(card, t0));
    bench.clock.set(at(90));
    await bench.ledger.handle(bench.events.refund(card, 'refund.created', 're_1', 1_000n, at(10)));
    await bench.ledger.handle(bench.events.refund(card, 'refund.succeeded', 're_1', 1_000n, at(20)));
    const journals = await bench.database.fork().find(Journal, {}, { orderBy: { sequence: 'asc' } });
    const [booked, refunded] = (await outbox()).map((row) => ({ ...row, position: row.id }));
    expect(parseEventPayload(accountingEvents['accounting.payment_booked'], envelope('accounting', booked!))).toEqual({
      paymentId: 'pay_1',
      merchantId: 'mer_1',
      channel: 'CARD',
      currency: 'USD',
      amount: 10_000n,
      fee: 320n,
      net: 9_680n,
      capturedAt: t0,
      journalId: journals[0]!.id,
      bookedAt: at(50),
    });
    expect(parseEventPayload(accountingEvents['accounting.refund_booked'], envelope('accounting', refunded!))).toEqual({
      paymentId: 'pay_1',
      refundId: 're_1',
      merchantId: 'mer_1',
      channel: 'CARD',
      currency: 'USD',
      amount: 1_000n,
      fee: 0n,
      net: 1_000n,
      journalId: journals[1]!.id,
      bookedAt: at(90),
    });
    const incomplete = Object.fromEntries(Object.entries(booked!.payload).filter(([field]) => field !== 'fee'));
    const read = () => parseEventPayload(paymentBookedPayload, envelope('accounting', { ...booked!, payload: incomplete }));
    expect(read).toThrow(EventPayloadError);
    expect(read).toThrow(/event accounting:\d+ \(accounting\.payment_booked\).*fee/s);
  });
});
