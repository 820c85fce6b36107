import { LockMode } from '@mikro-orm/core';
import type { Clock } from '../../../lib/clock.js';
import type { Dialect, Em } from '../../../lib/database.js';
import { ReconciliationDiscrepancy } from '../entities/ReconciliationDiscrepancy.js';
import { ReconciliationReport, type ReconciledChannel } from '../entities/ReconciliationReport.js';
import { providerDay } from './reconciliation-day.js';
import { matchStatement, type ProviderLine, type Reconciliation } from './reconciliation-match.js';
import { ReconciliationRecords } from './reconciliation-records.js';

/**
 * A provider's statement of one day, fetched, integrity-checked and parsed by the payment subgraph's
 * channel. Throws DomainErrors: BAD_USER_INPUT for a channel that is not enabled, INVALID_STATE when
 * the provider fails or refuses.
 */
export type StatementSource = (channel: ReconciledChannel, date: string) => Promise<ProviderLine[]>;

export interface ReconciliationDeps {
  em: Em;
  dialect: Dialect;
  clock: Clock;
  statements: StatementSource;
}

/** One report per channel and provider day: running it again replaces its content under the same id. */
export function reportId(channel: ReconciledChannel, date: string): string {
  return `rcn_${channel.toLowerCase()}_${date.replace(/-/g, '')}`;
}

export class ReconciliationService {
  constructor(private readonly deps: ReconciliationDeps) {}

  /** Fetches the day's statement, matches it against our records of that provider day and stores the report. */
  async run(input: { channel: ReconciledChannel; date: string }): Promise<ReconciliationReport> {
    const day = providerDay(input.channel, input.date, this.deps.clock.now());
    const statement = await this.deps.statements(day.channel, day.date);
    const records = new ReconciliationRecords(this.deps.em.fork(), day);
    const expected = await records.expected();
    const known = await records.known(statement, expected);
    const result = matchStatement({ channel: day.channel, date: day.date, statement, expected, known });
    return this.store(day.channel, day.date, statement.length, result);
  }

  /** Replaces the report's content in one transaction, under the report row's lock (PostgreSQL; SQLite has one writer). */
  private async store(channel: ReconciledChannel, date: string, statementLines: number, result: Reconciliation): Promise<ReconciliationReport> {
    const id = reportId(channel, date);
    const runAt = this.deps.clock.now();
    return this.deps.em.fork().transactional(async (tx) => {
      await tx
        .createQueryBuilder(ReconciliationReport)
        .insert({ id, channel, date, matched: 0, statementLines: 0, runAt })
        .onConflict(['id'])
        .ignore()
        .execute();
      const report = await tx.findOneOrFail(ReconciliationReport, { id }, this.deps.dialect === 'postgresql' ? { lockMode: LockMode.PESSIMISTIC_WRITE } : {});
      await tx.nativeDelete(ReconciliationDiscrepancy, { reportId: id });
      report.matched = result.matched;
      report.statementLines = statementLines;
      report.runAt = runAt;
      result.discrepancies.forEach((d, position) => {
        tx.create(ReconciliationDiscrepancy, {
          reportId: id,
          position,
          type: d.type,
          paymentId: d.paymentId,
          refundId: d.refundId,
          providerReference: d.providerReference,
          expectedAmount: d.expected?.minor ?? null,
          expectedCurrency: d.expected?.currency ?? null,
          actualAmount: d.actual?.minor ?? null,
          actualCurrency: d.actual?.currency ?? null,
          detail: d.detail,
        });
      });
      return report;
    });
  }
}
