/** What the checks read once everything has settled: our four databases (PostgreSQL) and the card acquirer's settlement reports. */
import pg from 'pg';
import { httpRequest } from '../../lib/http-request.js';

export interface PaymentRow { id: string; channel: string; status: string; currency: string; received: number; refunded: number; eventSequence: number }
export interface RefundRow { id: string; paymentId: string; status: string; amount: number }
export interface JournalSum { paymentId: string; type: string; journals: number; amount: number }
export interface TransactionRow { paymentId: string; refundId: string | null; type: string; status: string; amount: number }
export interface FactRow { paymentId: string; status: string | null; captured: number; refunded: number }
export interface InboxRow { consumer: string; aggregateId: string; lastSequence: number }
export interface SettlementRow { type: string; reference: string; refundReference: string; amount: number }

export interface Records {
  payments: PaymentRow[];
  refunds: RefundRow[];
  journals: JournalSum[];
  transactions: TransactionRow[];
  facts: FactRow[];
  inboxes: InboxRow[];
  /** accounting's last event per payment (what transaction:accounting and analytics:accounting must reach) */
  accountingSequences: Map<string, number>;
  /** currencies whose ledger balances do not add up: debits ≠ credits, or a balance row ≠ its entries */
  unbalanced: string[];
  settlement: SettlementRow[];
  /** references whose authorization the acquirer voided (known only from its sandbox effects) */
  voided: Set<string> | null;
}

/** what our own databases hold */
export type OurRecords = Omit<Records, 'settlement' | 'voided'>;

const minor = (value: unknown) => Number(value ?? 0);
/** a text column as pg returns it (string), null kept */
const textOrNull = (value: unknown) => (typeof value === 'string' ? value : null);

async function rows<T>(client: pg.Client, sql: string): Promise<T[]> {
  return (await client.query(sql)).rows as T[];
}

export async function readOurRecords(databaseUrl: string): Promise<OurRecords> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const payments = (await rows<Record<string, unknown>>(client, `select id, channel, status, currency, amount_received::text r, amount_refunded::text f, event_sequence s from payment.payments`)).map((r) => ({
      id: String(r['id']), channel: String(r['channel']), status: String(r['status']), currency: String(r['currency']), received: minor(r['r']), refunded: minor(r['f']), eventSequence: minor(r['s']),
    }));
    const refunds = (await rows<Record<string, unknown>>(client, `select id, payment_id, status, amount::text a from payment.refunds`)).map((r) => ({
      id: String(r['id']), paymentId: String(r['payment_id']), status: String(r['status']), amount: minor(r['a']),
    }));
    const journals = (await rows<Record<string, unknown>>(client, `select j.payment_id, j.type, count(distinct j.id)::int n, coalesce(sum(e.amount) filter (where e.side = 'DEBIT'), 0)::text a
      from accounting.journals j join accounting.ledger_entries e on e.journal_id = j.id where j.type in ('capture', 'refund') group by 1, 2`)).map((r) => ({
      paymentId: String(r['payment_id']), type: String(r['type']), journals: minor(r['n']), amount: minor(r['a']),
    }));
    const transactions = (await rows<Record<string, unknown>>(client, `select payment_id, refund_id, type, status, amount::text a from "transaction".transactions`)).map((r) => ({
      paymentId: String(r['payment_id']), refundId: textOrNull(r['refund_id']), type: String(r['type']), status: String(r['status']), amount: minor(r['a']),
    }));
    const facts = (await rows<Record<string, unknown>>(client, `select payment_id, status, captured::text c, refunded::text f from analytics.payment_facts`)).map((r) => ({
      paymentId: String(r['payment_id']), status: textOrNull(r['status']), captured: minor(r['c']), refunded: minor(r['f']),
    }));
    const inboxes: InboxRow[] = [];
    for (const schema of ['accounting', 'transaction', 'analytics']) {
      for (const r of await rows<Record<string, unknown>>(client, `select consumer, aggregate_id, last_sequence from "${schema}".inbox`)) {
        inboxes.push({ consumer: String(r['consumer']), aggregateId: String(r['aggregate_id']), lastSequence: minor(r['last_sequence']) });
      }
    }
    const accountingSequences = new Map(
      (await rows<Record<string, unknown>>(client, `select aggregate_id, max(sequence) s from accounting.outbox group by 1`)).map((r) => [String(r['aggregate_id']), minor(r['s'])]),
    );
    const unbalanced = (await rows<Record<string, unknown>>(client, `
      select currency from accounting.account_balances group by currency having sum(debit_total) <> sum(credit_total)
      union
      select b.currency from accounting.account_balances b
        left join (select account, currency, sum(amount) filter (where side = 'DEBIT') d, sum(amount) filter (where side = 'CREDIT') c from accounting.ledger_entries group by 1, 2) e
        on e.account = b.account and e.currency = b.currency
      where b.debit_total <> coalesce(e.d, 0) or b.credit_total <> coalesce(e.c, 0)`)).map((r) => String(r['currency']));
    return { payments, refunds, journals, transactions, facts, inboxes, accountingSequences, unbalanced };
  } finally {
    await client.end();
  }
}

/** The acquirer's settlement reports of these days: every capture and refund it made (amounts in cents; the run pays in USD). */
export async function readSettlement(cardUrl: string, apiKey: string, days: string[]): Promise<SettlementRow[]> {
  const all: SettlementRow[] = [];
  for (const day of days) {
    const answer = await httpRequest(`${cardUrl}/v1/settlement-reports/${day}`, { method: 'GET', headers: { authorization: `Bearer ${apiKey}` } });
    if (answer.status !== 200) throw new Error(`settlement report ${day}: HTTP ${answer.status} ${answer.body.slice(0, 200)}`);
    const lines = answer.body.split(/\r?\n/).filter((line) => line && !line.startsWith('#'));
    const [header, ...data] = lines;
    const columns = (header ?? '').split(',');
    const at = (name: string) => columns.indexOf(name);
    for (const line of data) {
      const cells = line.split(',');
      all.push({ type: cells[at('type')]!, reference: cells[at('reference')]!, refundReference: cells[at('refund_reference')] ?? '', amount: Math.round(Number(cells[at('amount')]) * 100) });
    }
  }
  return all;
}

interface Effects {
  authorizations: { reference: string; status: string }[];
  captures: { reference: string; amount: string }[];
  refunds: { paymentReference: string; reference: string; amount: string }[];
}

/**
 * Every capture and refund the acquirer made: its sandbox effects (GET /sandbox/effects) where the
 * simulator has them, else its settlement reports of these days.
 */
export async function readAcquirer(cardUrl: string, apiKey: string, days: string[]): Promise<{ rows: SettlementRow[]; voided: Set<string> | null; source: string }> {
  const answer = await httpRequest(`${cardUrl}/sandbox/effects`, { method: 'GET', headers: {} });
  if (answer.status !== 200) return { rows: await readSettlement(cardUrl, apiKey, days), voided: null, source: 'settlement reports' };
  const effects = JSON.parse(answer.body) as Effects;
  const rows: SettlementRow[] = [
    ...effects.captures.map((c) => ({ type: 'capture', reference: c.reference, refundReference: '', amount: Number(c.amount) })),
    ...effects.refunds.map((r) => ({ type: 'refund', reference: r.paymentReference, refundReference: r.reference, amount: Number(r.amount) })),
  ];
  const voided = new Set(effects.authorizations.filter((a) => a.status === 'voided').map((a) => a.reference));
  return { rows, voided, source: 'sandbox effects' };
}
