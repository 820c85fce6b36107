import { Migration } from '@mikro-orm/migrations';

export class Migration20261122050208 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create schema if not exists "accounting";`);
    this.addSql(`create table "accounting"."account_balances" ("account" varchar(255) not null, "currency" varchar(3) not null, "debit_total" bigint not null, "credit_total" bigint not null, "updated_at" timestamptz(3) not null, constraint "account_balances_pkey" primary key ("account", "currency"));`);

    this.addSql(`create table "accounting"."chain_heads" ("chain" varchar(255) not null, "sequence" int not null, "hash" varchar(64) not null, constraint "chain_heads_pkey" primary key ("chain"));`);

    this.addSql(`create table "accounting"."inbox" ("consumer" varchar(255) not null, "aggregate_id" varchar(255) not null, "last_sequence" int not null, "updated_at" timestamptz(3) not null, constraint "inbox_pkey" primary key ("consumer", "aggregate_id"));`);

    this.addSql(`create table "accounting"."journals" ("id" varchar(255) not null, "chain" varchar(255) not null, "sequence" int not null, "type" text check ("type" in ('capture', 'refund', 'settlement')) not null, "payment_id" varchar(255) not null, "merchant_id" varchar(255) not null, "currency" varchar(3) not null, "event_id" varchar(255) null, "occurred_at" timestamptz(3) not null, "posted_at" timestamptz(3) not null, "previous_hash" varchar(64) not null, "hash" varchar(64) not null, constraint "journals_pkey" primary key ("id"));`);
    this.addSql(`create index "journals_payment_id_index" on "accounting"."journals" ("payment_id");`);
    this.addSql(`alter table "accounting"."journals" add constraint "journals_event_id_unique" unique ("event_id");`);
    this.addSql(`alter table "accounting"."journals" add constraint "journals_chain_sequence_unique" unique ("chain", "sequence");`);

    this.addSql(`create table "accounting"."ledger_entries" ("id" varchar(255) not null, "journal_id" varchar(255) not null, "journal_sequence" int not null, "line" int not null, "payment_id" varchar(255) not null, "account" varchar(255) not null, "side" text check ("side" in ('DEBIT', 'CREDIT')) not null, "currency" varchar(3) not null, "amount" bigint not null, "posted_at" timestamptz(3) not null, constraint "ledger_entries_pkey" primary key ("id"));`);
    this.addSql(`create index "ledger_entries_journal_id_index" on "accounting"."ledger_entries" ("journal_id");`);
    this.addSql(`create index "ledger_entries_payment_id_journal_sequence_line_index" on "accounting"."ledger_entries" ("payment_id", "journal_sequence", "line");`);

    this.addSql(`create table "accounting"."payment_figures" ("payment_id" varchar(255) not null, "merchant_id" varchar(255) not null, "channel" varchar(255) not null, "currency" varchar(3) not null, "captured" bigint not null, "fee" bigint not null, "refunded" bigint not null, "captured_at" timestamptz(3) not null, constraint "payment_figures_pkey" primary key ("payment_id"));`);

    this.addSql(`create table "accounting"."settlements" ("payment_id" varchar(255) not null, "merchant_id" varchar(255) not null, "currency" varchar(3) not null, "amount" bigint not null, "settle_at" timestamptz(3) not null, "settled_at" timestamptz(3) null, constraint "settlements_pkey" primary key ("payment_id"));`);
    this.addSql(`create index "settlements_settled_at_settle_at_index" on "accounting"."settlements" ("settled_at", "settle_at");`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "accounting"."account_balances" cascade;`);

    this.addSql(`drop table if exists "accounting"."chain_heads" cascade;`);

    this.addSql(`drop table if exists "accounting"."inbox" cascade;`);

    this.addSql(`drop table if exists "accounting"."journals" cascade;`);

    this.addSql(`drop table if exists "accounting"."ledger_entries" cascade;`);

    this.addSql(`drop table if exists "accounting"."payment_figures" cascade;`);

    this.addSql(`drop table if exists "accounting"."settlements" cascade;`);

    this.addSql(`drop schema if exists "accounting";`);
  }

}
