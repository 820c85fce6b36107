/** The invariants the run must hold, each counted over what it checked. */
import { sameOutcome, type KeyRecord } from './api.js';
import type { Records } from './records.js';
import type { FeedRecord } from './subscriber.js';

export interface InvariantResult {
  invariant: string;
  checked: number;
  violations: number;
  /** a few examples of what broke it */
  examples: string[];
}

function tally(invariant: string) {
  const result: InvariantResult = { invariant, checked: 0, violations: 0, examples: [] };
  return {
    result,
    check(ok: boolean, example: () => string) {
      result.checked++;
      if (ok) return;
      result.violations++;
      if (result.examples.length < 4) result.examples.push(example());
    },
  };
}

function groupBy<T>(items: T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = groups.get(k);
    if (list) list.push(item);
    else groups.set(k, [item]);
  }
  return groups;
}

const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);

export interface CheckInput {
  records: Records;
  keys: KeyRecord[];
  feed: FeedRecord;
  ledgerVerified: { ok: boolean; entriesChecked: number } | null;
  metrics: { measure: string; currency: string; value: number }[] | null;
  reconciliation: { channel: string; date: string; discrepancies: string[] }[];
}

export function checkInvariants(input: CheckInput): InvariantResult[] {
  const { records } = input;
  // the run's one merchant: every payment is the clients' (also one whose creation they never heard answered)
  const ours = records.payments;
  const ourIds = new Set(ours.map((p) => p.id));
  const refundsOf = groupBy(records.refunds.filter((r) => ourIds.has(r.paymentId)), (r) => r.paymentId);
  const succeededRefunds = (id: string) => (refundsOf.get(id) ?? []).filter((r) => r.status === 'SUCCEEDED');
  const results: InvariantResult[] = [];

  // duplicate provider effects: the acquirer captured a reference twice, or refunded more often than clients asked
  const duplicates = tally('duplicate provider effects (card)');
  const settlementOf = groupBy(records.settlement, (row) => row.reference);
  const askedRefunds = groupBy(
    input.keys.filter((k) => k.operation === 'refundPayment' && (k.answers.length === 0 || k.answers[0]!.outcome.ok)),
    (k) => String((k.variables['input'] as { paymentId: string }).paymentId),
  );
  for (const payment of ours.filter((p) => p.channel === 'CARD')) {
    const rows = settlementOf.get(payment.id) ?? [];
    const captures = rows.filter((r) => r.type === 'capture').length;
    const refunds = rows.filter((r) => r.type === 'refund');
    const asked = askedRefunds.get(payment.id)?.length ?? 0;
    const perReference = [...groupBy(refunds, (r) => r.refundReference).values()].filter((list) => list.length > 1).length;
    duplicates.check(captures <= 1 && refunds.length <= asked && perReference === 0, () => `${payment.id}: ${captures} captures, ${refunds.length} refunds at the acquirer for ${asked} refund keys`);
  }
  results.push(duplicates.result);

  const stuck = tally('stuck: payments PROCESSING, refunds PENDING');
  for (const payment of ours) stuck.check(payment.status !== 'PROCESSING', () => `payment ${payment.id} (${payment.channel}) PROCESSING`);
  for (const refund of records.refunds.filter((r) => ourIds.has(r.paymentId))) stuck.check(refund.status !== 'PENDING', () => `refund ${refund.id} of ${refund.paymentId} PENDING`);
  results.push(stuck.result);

  const provider = tally('provider = ours (card: captured, refunded, voided)');
  for (const payment of ours.filter((p) => p.channel === 'CARD')) {
    const rows = settlementOf.get(payment.id) ?? [];
    const captured = sum(rows.filter((r) => r.type === 'capture').map((r) => r.amount));
    const refunded = sum(rows.filter((r) => r.type === 'refund').map((r) => r.amount));
    const ourRefunded = sum(succeededRefunds(payment.id).map((r) => r.amount));
    provider.check(captured === payment.received && refunded === ourRefunded, () => `${payment.id} ${payment.status}: acquirer captured ${captured} refunded ${refunded}, ours ${payment.received} / ${ourRefunded} (minor units)`);
    if (records.voided) provider.check(records.voided.has(payment.id) === (payment.status === 'CANCELED'), () => `${payment.id} ${payment.status}: the acquirer's authorization ${records.voided?.has(payment.id) ? 'is voided' : 'is not voided'}`);
  }
  for (const reference of settlementOf.keys()) if (!ourIds.has(reference)) provider.check(false, () => `acquirer reference ${reference} unknown to us`);
  results.push(provider.result);

  const amounts = tally('amountRefunded = its SUCCEEDED and PENDING refunds');
  for (const payment of ours) {
    const counted = sum((refundsOf.get(payment.id) ?? []).filter((r) => r.status !== 'FAILED').map((r) => r.amount));
    amounts.check(counted === payment.refunded && counted <= payment.received, () => `${payment.id}: amountRefunded ${payment.refunded}, refunds ${counted}, received ${payment.received}`);
  }
  results.push(amounts.result);

  const retries = tally('retries answered as the first definitive answer');
  for (const key of input.keys.filter((k) => k.answers.length > 0)) {
    const [first, ...later] = key.answers;
    const different = later.find((answer) => !sameOutcome(first!.outcome, answer.outcome));
    retries.check(!different, () => `${key.operation} ${key.key}: first ${JSON.stringify(first!.outcome)}, later ${JSON.stringify(different!.outcome)}`);
  }
  results.push(retries.result);

  const unanswered = tally('mutations answered definitively (within the retry deadline)');
  for (const key of input.keys) unanswered.check(key.answers.length > 0, () => `${key.operation} ${key.key}: ${key.attempts} attempts, ${[...key.retriedFor].map(([r, n]) => `${r}×${n}`).join(' ')}`);
  results.push(unanswered.result);

  const ledger = tally('ledger: verifies, balances add up, each capture and refund booked once');
  ledger.check(input.ledgerVerified?.ok === true, () => `verifyLedger: ${JSON.stringify(input.ledgerVerified)}`);
  ledger.check(records.unbalanced.length === 0, () => `balances do not add up in ${records.unbalanced.join(', ')}`);
  const journalsOf = groupBy(records.journals, (j) => `${j.paymentId}:${j.type}`);
  for (const payment of ours) {
    const capture = journalsOf.get(`${payment.id}:capture`)?.[0];
    ledger.check(payment.received === 0 ? !capture : capture?.journals === 1 && capture.amount === payment.received, () => `${payment.id}: received ${payment.received}, capture journals ${capture?.journals ?? 0} of ${capture?.amount ?? 0}`);
    const refunds = succeededRefunds(payment.id);
    const booked = journalsOf.get(`${payment.id}:refund`)?.[0];
    ledger.check((booked?.journals ?? 0) === refunds.length && (booked?.amount ?? 0) === sum(refunds.map((r) => r.amount)), () => `${payment.id}: ${refunds.length} refunds succeeded, ${booked?.journals ?? 0} refund journals`);
  }
  results.push(ledger.result);

  const transactions = tally('transaction records: one per capture and per refund, same status and amount');
  const recordsOf = groupBy(records.transactions, (t) => (t.type === 'REFUND' ? `refund:${t.refundId}` : `payment:${t.paymentId}`));
  for (const payment of ours) {
    const found = recordsOf.get(`payment:${payment.id}`) ?? [];
    transactions.check(payment.received === 0 ? found.length === 0 : found.length === 1 && found[0]!.status === 'SUCCEEDED' && found[0]!.amount === payment.received, () => `${payment.id}: received ${payment.received}, ${found.length} PAYMENT records ${found.map((t) => `${t.status} ${t.amount}`).join(', ')}`);
    for (const refund of refundsOf.get(payment.id) ?? []) {
      const one = recordsOf.get(`refund:${refund.id}`) ?? [];
      transactions.check(one.length === 1 && one[0]!.status === refund.status && one[0]!.amount === refund.amount, () => `refund ${refund.id} ${refund.status}: ${one.length} REFUND records ${one.map((t) => t.status).join(', ')}`);
    }
  }
  results.push(transactions.result);

  const analytics = tally('analytics facts and metrics = our records');
  const factOf = new Map(records.facts.map((f) => [f.paymentId, f]));
  for (const payment of ours) {
    const fact = factOf.get(payment.id);
    const refunded = sum(succeededRefunds(payment.id).map((r) => r.amount));
    analytics.check(fact?.status === payment.status && fact.captured === payment.received && fact.refunded === refunded, () => `${payment.id}: ours ${payment.status} ${payment.received}/${refunded}, fact ${fact ? `${fact.status} ${fact.captured}/${fact.refunded}` : 'missing'}`);
  }
  if (input.metrics === null) analytics.check(false, () => 'metrics did not answer');
  else {
    const expected = new Map<string, number>();
    const add = (measure: string, currency: string, value: number) => expected.set(`${measure}:${currency}`, (expected.get(`${measure}:${currency}`) ?? 0) + value);
    for (const payment of ours) {
      add('PAYMENT_COUNT', payment.currency, 1);
      add('SUCCEEDED_COUNT', payment.currency, payment.status === 'SUCCEEDED' ? 1 : 0);
      add('GMV', payment.currency, payment.received);
      add('REFUNDED_AMOUNT', payment.currency, sum(succeededRefunds(payment.id).map((r) => r.amount)));
    }
    const got = new Map(input.metrics.map((m) => [`${m.measure}:${m.currency}`, m.value]));
    for (const [name, value] of expected) analytics.check((got.get(name) ?? 0) === value, () => `metrics ${name}: ${got.get(name) ?? 0}, ours ${value}`);
  }
  results.push(analytics.result);

  const consumers = tally('consumers caught up (inbox = the producer\'s last event)');
  const inboxOf = new Map(records.inboxes.map((i) => [`${i.consumer}:${i.aggregateId}`, i.lastSequence]));
  const consumerNames = [...new Set(records.inboxes.map((i) => i.consumer))];
  for (const consumer of consumerNames) {
    const fromAccounting = consumer.endsWith(':accounting');
    for (const payment of ours) {
      const expected = fromAccounting ? (records.accountingSequences.get(payment.id) ?? 0) : payment.eventSequence;
      if (expected === 0) continue;
      const at = inboxOf.get(`${consumer}:${payment.id}`) ?? 0;
      consumers.check(at === expected, () => `${consumer} at ${at} of ${expected} for ${payment.id}`);
    }
  }
  results.push(consumers.result);

  const feed = tally('subscriber: every status change in sequence, none repeated');
  const cursors = new Set<string>();
  for (const event of input.feed.events) {
    if (cursors.has(event.cursor)) feed.check(false, () => `cursor repeated for ${event.paymentId}`);
    cursors.add(event.cursor);
  }
  const eventsOf = groupBy(input.feed.events.filter((e) => ourIds.has(e.paymentId)), (e) => e.paymentId);
  for (const payment of ours) {
    const events = eventsOf.get(payment.id) ?? [];
    const chain = events.every((event, i) => (i === 0 ? event.previousStatus === null : event.previousStatus === events[i - 1]!.status));
    const last = events.at(-1)?.status;
    feed.check(chain && last === payment.status, () => `${payment.id}: saw ${events.map((e) => `${e.previousStatus ?? '∅'}→${e.status}`).join(' ') || 'nothing'}, now ${payment.status}`);
  }
  results.push(feed.result);

  const errorDeliveries = tally('subscriber: no event delivered as an error');
  errorDeliveries.result.checked = input.feed.events.length + input.feed.errorDeliveries;
  errorDeliveries.result.violations = input.feed.errorDeliveries;
  if (input.feed.firstErrorDelivery) errorDeliveries.result.examples.push(input.feed.firstErrorDelivery);
  results.push(errorDeliveries.result);

  const reconciliation = tally('reconciliation clean (each channel, each day of the run)');
  for (const report of input.reconciliation) {
    if (report.discrepancies.length === 0) reconciliation.check(true, () => '');
    for (const discrepancy of report.discrepancies) reconciliation.check(false, () => `${report.channel} ${report.date}: ${discrepancy}`);
  }
  results.push(reconciliation.result);
  return results;
}
