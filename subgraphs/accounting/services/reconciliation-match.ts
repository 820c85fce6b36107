import { formatAmount, isSameAmount, type Money } from '../../../lib/money.js';
import type { DiscrepancyType } from '../entities/ReconciliationDiscrepancy.js';
import type { ReconciledChannel } from '../entities/ReconciliationReport.js';

/** One line of a provider's statement, in our terms (the payment subgraph's StatementLine). */
export interface ProviderLine {
  kind: 'PAYMENT' | 'REFUND';
  providerReference: string;
  paymentId: string;
  refundId: string | null;
  amount: Money;
  status: 'SUCCEEDED' | 'FAILED' | 'PENDING' | 'CLOSED';
  occurredAt: Date;
}

/** A payment or refund as our records hold it; `date` is the provider day it succeeded on, null if it did not. */
export interface OurRecord {
  kind: 'PAYMENT' | 'REFUND';
  paymentId: string;
  refundId: string | null;
  /** the payment's reference at the provider (for a refund, its payment's): what statements list both by */
  providerReference: string | null;
  amount: Money;
  status: 'SUCCEEDED' | 'PENDING' | 'FAILED' | 'CANCELED';
  date: string | null;
}

export interface DiscrepancyDraft {
  type: DiscrepancyType;
  paymentId: string | null;
  refundId: string | null;
  providerReference: string | null;
  /** ours */
  expected: Money | null;
  /** the provider's */
  actual: Money | null;
  detail: string;
}

export interface Reconciliation {
  matched: number;
  discrepancies: DiscrepancyDraft[];
}

export interface MatchInput {
  channel: ReconciledChannel;
  date: string;
  statement: ProviderLine[];
  /** what we expect the statement to list: our payments and refunds that succeeded on that provider day */
  expected: OurRecord[];
  /** our other records of the ids the statement names (other days, failed, pending), to say what a line we did not expect is */
  known: OurRecord[];
}

const idsOf = (item: { kind: string; paymentId: string; refundId: string | null }) => `${item.kind}|${item.paymentId}|${item.refundId ?? ''}`;

/** Statuses that say the same thing: theirs in our terms. */
const sameStatus: Record<OurRecord['status'], ProviderLine['status'][]> = {
  SUCCEEDED: ['SUCCEEDED'],
  PENDING: ['PENDING'],
  FAILED: ['FAILED', 'CLOSED'],
  CANCELED: ['FAILED', 'CLOSED'],
};

const typeOrder: DiscrepancyType[] = ['MISSING_INTERNAL', 'MISSING_PROVIDER', 'AMOUNT_MISMATCH', 'STATUS_MISMATCH', 'DUPLICATE'];

/**
 * Matches a provider's statement of one day one-to-one with our records of that day, by our ids and
 * the provider's reference: the same payment or refund under another reference is not a match. The
 * first line of an item is matched, any repeat is a DUPLICATE; a line matched to our record is clean,
 * or a STATUS_MISMATCH and/or an AMOUNT_MISMATCH (a different currency counts as one); a line without
 * a record of that day is MISSING_INTERNAL (or a STATUS_MISMATCH when we hold it failed or pending);
 * a record the statement does not list is MISSING_PROVIDER. The result does not depend on the order
 * of the statement or of the records.
 */
export function matchStatement(input: MatchInput): Reconciliation {
  const words = new Wording(input.channel, input.date);
  const expected = new Map(input.expected.map((record) => [idsOf(record), record]));
  const known = new Map(input.known.map((record) => [idsOf(record), record]));
  const seen = new Set<string>();
  const discrepancies: (DiscrepancyDraft & { kind: string })[] = [];
  const report = (kind: string, draft: DiscrepancyDraft) => discrepancies.push({ ...draft, kind });
  let matched = 0;

  for (const line of input.statement) {
    const ids = idsOf(line);
    const base = { paymentId: line.paymentId, refundId: line.refundId, providerReference: line.providerReference };
    const theirs = line.amount;
    if (seen.has(`${ids}|${line.providerReference}`)) {
      report(line.kind, { ...base, type: 'DUPLICATE', expected: null, actual: theirs, detail: words.duplicate(line) });
      continue;
    }
    seen.add(`${ids}|${line.providerReference}`);
    const ours = sameItem(expected.get(ids), line) ?? sameItem(known.get(ids), line);
    if (ours === undefined) {
      report(line.kind, { ...base, type: 'MISSING_INTERNAL', expected: null, actual: theirs, detail: words.missingInternal(line, known.get(ids) ?? expected.get(ids)) });
      continue;
    }
    if (ours.date === input.date) expected.delete(ids);
    const mine = ours.amount;
    const statusAgrees = sameStatus[ours.status].includes(line.status);
    if (statusAgrees && ours.status === 'SUCCEEDED' && ours.date !== input.date) {
      report(line.kind, { ...base, type: 'MISSING_INTERNAL', expected: null, actual: theirs, detail: words.otherDay(line, ours) });
      continue;
    }
    if (!statusAgrees) report(line.kind, { ...base, type: 'STATUS_MISMATCH', expected: mine, actual: theirs, detail: words.statusMismatch(line, ours) });
    if (!isSameAmount(mine, theirs)) {
      report(line.kind, { ...base, type: 'AMOUNT_MISMATCH', expected: mine, actual: theirs, detail: words.amountMismatch(line, ours) });
    }
    if (statusAgrees && isSameAmount(mine, theirs)) matched += 1;
  }
  for (const record of expected.values()) {
    const mine = record.amount;
    report(record.kind, {
      type: 'MISSING_PROVIDER', paymentId: record.paymentId, refundId: record.refundId, providerReference: record.providerReference,
      expected: mine, actual: null, detail: words.missingProvider(record),
    });
  }
  const sortKey = (d: (typeof discrepancies)[number]) =>
    [d.paymentId ?? '', d.kind, d.refundId ?? '', String(typeOrder.indexOf(d.type)), d.providerReference ?? '', d.actual ? `${d.actual.currency}${d.actual.minor}` : ''].join('\u0000');
  discrepancies.sort((a, b) => (sortKey(a) < sortKey(b) ? -1 : sortKey(a) > sortKey(b) ? 1 : 0));
  return { matched, discrepancies: discrepancies.map(({ kind: _kind, ...draft }) => draft) };
}

/** Our record is the line's item unless we know that item under another provider reference. */
function sameItem(record: OurRecord | undefined, line: ProviderLine): OurRecord | undefined {
  if (!record) return undefined;
  return record.providerReference === null || record.providerReference === line.providerReference ? record : undefined;
}

/** The sentences of a report. */
class Wording {
  constructor(
    private readonly channel: ReconciledChannel,
    private readonly date: string,
  ) {}

  private item(item: { kind: string; paymentId: string; refundId: string | null }): string {
    return item.kind === 'REFUND' ? `refund ${item.refundId} of payment ${item.paymentId}` : `payment ${item.paymentId}`;
  }

  private amount(value: { amount: Money }): string {
    return `${formatAmount(value.amount)} ${value.amount.currency}`;
  }

  private statement(): string {
    return `${this.channel}'s statement of ${this.date}`;
  }

  duplicate(line: ProviderLine): string {
    return `${this.statement()} lists ${this.item(line)} (provider reference ${line.providerReference}, ${this.amount(line)}) more than once.`;
  }

  missingInternal(line: ProviderLine, other: OurRecord | undefined): string {
    const why = other ? `we know ${this.item(line)} under provider reference ${other.providerReference}` : 'we have no record of it';
    return `${this.statement()} lists ${this.item(line)} (provider reference ${line.providerReference}, ${this.amount(line)}, ${line.status}); ${why}.`;
  }

  otherDay(line: ProviderLine, ours: OurRecord): string {
    return `${this.statement()} lists ${this.item(line)} (provider reference ${line.providerReference}, ${this.amount(line)}); our records have it succeeding on ${ours.date}, not on this day.`;
  }

  missingProvider(record: OurRecord): string {
    const reference = record.providerReference ? ` (provider reference ${record.providerReference})` : '';
    return `Our ${this.item(record)}${reference} of ${this.amount(record)} succeeded on ${this.date}; ${this.statement()} does not list it.`;
  }

  amountMismatch(line: ProviderLine, ours: OurRecord): string {
    return `${this.statement()} lists ${this.item(line)} (provider reference ${line.providerReference}) at ${this.amount(line)}; our records say ${this.amount(ours)}.`;
  }

  statusMismatch(line: ProviderLine, ours: OurRecord): string {
    return `${this.statement()} lists ${this.item(line)} (provider reference ${line.providerReference}) as ${line.status}; it is ${ours.status} in our records.`;
  }
}
