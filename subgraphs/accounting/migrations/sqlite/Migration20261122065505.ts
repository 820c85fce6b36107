import { Migration } from '@mikro-orm/migrations';

export class Migration20261122065505 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table \`failed_payments\` (\`payment_id\` text not null, \`merchant_id\` text not null, \`channel\` text not null, \`currency\` text not null, \`amount\` text not null, \`status\` text check (\`status\` in ('FAILED', 'CANCELED')) not null, \`provider_reference\` text not null, \`ended_at\` datetime not null, primary key (\`payment_id\`));`);

    this.addSql(`create table \`reconciliation_discrepancies\` (\`report_id\` text not null, \`position\` integer not null, \`type\` text check (\`type\` in ('MISSING_INTERNAL', 'MISSING_PROVIDER', 'AMOUNT_MISMATCH', 'STATUS_MISMATCH', 'DUPLICATE')) not null, \`payment_id\` text null, \`refund_id\` text null, \`provider_reference\` text null, \`expected_amount\` text null, \`expected_currency\` text null, \`actual_amount\` text null, \`actual_currency\` text null, \`detail\` text not null, primary key (\`report_id\`, \`position\`));`);

    this.addSql(`create table \`reconciliation_reports\` (\`id\` text not null, \`channel\` text check (\`channel\` in ('CARD', 'ALIPAY', 'WECHAT_PAY')) not null, \`date\` text not null, \`matched\` integer not null, \`statement_lines\` integer not null, \`run_at\` datetime not null, primary key (\`id\`));`);
    this.addSql(`create unique index \`reconciliation_reports_channel_date_unique\` on \`reconciliation_reports\` (\`channel\`, \`date\`);`);

    this.addSql(`create table \`refund_records\` (\`refund_id\` text not null, \`payment_id\` text not null, \`merchant_id\` text not null, \`channel\` text not null, \`currency\` text not null, \`amount\` text not null, \`status\` text check (\`status\` in ('PENDING', 'SUCCEEDED', 'FAILED')) not null, \`provider_reference\` text null, \`created_at\` datetime not null, \`succeeded_at\` datetime null, primary key (\`refund_id\`));`);
    this.addSql(`create index \`refund_records_payment_id_index\` on \`refund_records\` (\`payment_id\`);`);
    this.addSql(`create index \`refund_records_channel_succeeded_at_index\` on \`refund_records\` (\`channel\`, \`succeeded_at\`);`);

    this.addSql(`alter table \`payment_figures\` add column \`provider_reference\` text null;`);
    this.addSql(`create index \`payment_figures_channel_captured_at_index\` on \`payment_figures\` (\`channel\`, \`captured_at\`);`);
  }

}
