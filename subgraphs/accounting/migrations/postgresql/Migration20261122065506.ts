import { Migration } from '@mikro-orm/migrations';

export class Migration20261122065506 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "accounting"."failed_payments" ("payment_id" varchar(255) not null, "merchant_id" varchar(255) not null, "channel" varchar(255) not null, "currency" varchar(3) not null, "amount" bigint not null, "status" text check ("status" in ('FAILED', 'CANCELED')) not null, "provider_reference" varchar(255) not null, "ended_at" timestamptz(3) not null, constraint "failed_payments_pkey" primary key ("payment_id"));`);

    this.addSql(`create table "accounting"."reconciliation_discrepancies" ("report_id" varchar(255) not null, "position" int not null, "type" text check ("type" in ('MISSING_INTERNAL', 'MISSING_PROVIDER', 'AMOUNT_MISMATCH', 'STATUS_MISMATCH', 'DUPLICATE')) not null, "payment_id" varchar(255) null, "refund_id" varchar(255) null, "provider_reference" varchar(255) null, "expected_amount" bigint null, "expected_currency" varchar(3) null, "actual_amount" bigint null, "actual_currency" varchar(3) null, "detail" text not null, constraint "reconciliation_discrepancies_pkey" primary key ("report_id", "position"));`);

    this.addSql(`create table "accounting"."reconciliation_reports" ("id" varchar(255) not null, "channel" text check ("channel" in ('CARD', 'ALIPAY', 'WECHAT_PAY')) not null, "date" varchar(10) not null, "matched" int not null, "statement_lines" int not null, "run_at" timestamptz(3) not null, constraint "reconciliation_reports_pkey" primary key ("id"));`);
    this.addSql(`alter table "accounting"."reconciliation_reports" add constraint "reconciliation_reports_channel_date_unique" unique ("channel", "date");`);

    this.addSql(`create table "accounting"."refund_records" ("refund_id" varchar(255) not null, "payment_id" varchar(255) not null, "merchant_id" varchar(255) not null, "channel" varchar(255) not null, "currency" varchar(3) not null, "amount" bigint not null, "status" text check ("status" in ('PENDING', 'SUCCEEDED', 'FAILED')) not null, "provider_reference" varchar(255) null, "created_at" timestamptz(3) not null, "succeeded_at" timestamptz(3) null, constraint "refund_records_pkey" primary key ("refund_id"));`);
    this.addSql(`create index "refund_records_payment_id_index" on "accounting"."refund_records" ("payment_id");`);
    this.addSql(`create index "refund_records_channel_succeeded_at_index" on "accounting"."refund_records" ("channel", "succeeded_at");`);

    this.addSql(`alter table "accounting"."payment_figures" add column "provider_reference" varchar(255) null;`);
    this.addSql(`create index "payment_figures_channel_captured_at_index" on "accounting"."payment_figures" ("channel", "captured_at");`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "accounting"."failed_payments" cascade;`);

    this.addSql(`drop table if exists "accounting"."reconciliation_discrepancies" cascade;`);

    this.addSql(`drop table if exists "accounting"."reconciliation_reports" cascade;`);

    this.addSql(`drop table if exists "accounting"."refund_records" cascade;`);

    this.addSql(`drop index "accounting"."payment_figures_channel_captured_at_index";`);
    this.addSql(`alter table "accounting"."payment_figures" drop column "provider_reference";`);
  }

}
