import type { Em } from '../../../lib/database.js';
import { money } from '../../../lib/money.js';
import { FailedPayment } from '../entities/FailedPayment.js';
import { PaymentFigures } from '../entities/PaymentFigures.js';
import { RefundRecord } from '../entities/RefundRecord.js';
import { providerDate, type ProviderDay } from './reconciliation-day.js';
import type { OurRecord, ProviderLine } from './reconciliation-match.js';

/**
 * Our side of a reconciliation, from accounting's own records of the payment events: what the statement
 * of a provider day should list, and what we hold of the other ids a statement names.
 */
export class ReconciliationRecords {
  constructor(
    private readonly em: Em,
    private readonly day: ProviderDay,
  ) {}

  /** The channel's captures and succeeded refunds whose event falls within the provider day. */
  async expected(): Promise<OurRecord[]> {
    const { channel, start, end } = this.day;
    const [payments, refunds] = await Promise.all([
      this.em.find(PaymentFigures, { channel, capturedAt: { $gte: start, $lt: end } }),
      this.em.find(RefundRecord, { channel, status: 'SUCCEEDED', succeededAt: { $gte: start, $lt: end } }),
    ]);
    return [...payments.map((figures) => this.payment(figures)), ...(await this.refunds(refunds))];
  }

  /** Our records of the statement's other ids, whatever their day or status. */
  async known(lines: ProviderLine[], expected: OurRecord[]): Promise<OurRecord[]> {
    const { channel } = this.day;
    const already = new Set(expected.map((record) => `${record.kind}|${record.refundId ?? record.paymentId}`));
    const wanted = (kind: ProviderLine['kind']) => [
      ...new Set(lines.filter((l) => l.kind === kind).map((l) => l.refundId ?? l.paymentId).filter((id) => !already.has(`${kind}|${id}`))),
    ];
    const paymentIds = wanted('PAYMENT');
    const refundIds = wanted('REFUND');
    const [captured, failed, refunds] = await Promise.all([
      paymentIds.length ? this.em.find(PaymentFigures, { channel, paymentId: { $in: paymentIds } }) : [],
      paymentIds.length ? this.em.find(FailedPayment, { channel, paymentId: { $in: paymentIds } }) : [],
      refundIds.length ? this.em.find(RefundRecord, { channel, refundId: { $in: refundIds } }) : [],
    ]);
    const failedPayments = failed.map((payment): OurRecord => ({
      kind: 'PAYMENT', paymentId: payment.paymentId, refundId: null, providerReference: payment.providerReference,
      amount: money(payment.amount, payment.currency), status: payment.status, date: null,
    }));
    return [...captured.map((figures) => this.payment(figures)), ...failedPayments, ...(await this.refunds(refunds))];
  }

  private payment(figures: PaymentFigures): OurRecord {
    return {
      kind: 'PAYMENT', paymentId: figures.paymentId, refundId: null, providerReference: figures.providerReference ?? null,
      amount: money(figures.captured, figures.currency), status: 'SUCCEEDED', date: providerDate(this.day.channel, figures.capturedAt),
    };
  }

  /** Statements list a refund under its payment's reference: read from the payments' figures, in one query. */
  private async refunds(refunds: RefundRecord[]): Promise<OurRecord[]> {
    if (refunds.length === 0) return [];
    const figures = await this.em.find(PaymentFigures, { paymentId: { $in: [...new Set(refunds.map((r) => r.paymentId))] } });
    const references = new Map(figures.map((f) => [f.paymentId, f.providerReference ?? null]));
    return refunds.map((refund) => ({
      kind: 'REFUND', paymentId: refund.paymentId, refundId: refund.refundId, providerReference: references.get(refund.paymentId) ?? null,
      amount: money(refund.amount, refund.currency), status: refund.status,
      date: refund.succeededAt ? providerDate(this.day.channel, refund.succeededAt) : null,
    }));
  }
}
