import { Migration } from '@mikro-orm/migrations';

export class Migration20261122064944 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create schema if not exists "transaction";`);
    this.addSql(`create table "transaction"."inbox" ("consumer" varchar(255) not null, "aggregate_id" varchar(255) not null, "last_sequence" int not null, "updated_at" timestamptz(3) not null, constraint "inbox_pkey" primary key ("consumer", "aggregate_id"));`);

    this.addSql(`create table "transaction"."refund_bookings" ("refund_id" varchar(255) not null, "payment_id" varchar(255) not null, "currency" varchar(3) null, "amount" bigint null, "fee" bigint null, "net" bigint null, "booked_at" timestamptz(3) null, constraint "refund_bookings_pkey" primary key ("refund_id"));`);

    this.addSql(`create table "transaction"."trade_no_counters" ("day" varchar(8) not null, "last" bigint not null, constraint "trade_no_counters_pkey" primary key ("day"));`);

    this.addSql(`create table "transaction"."transactions" ("id" varchar(255) not null, "trade_no" varchar(255) not null, "type" text check ("type" in ('PAYMENT', 'REFUND')) not null, "direction" text check ("direction" in ('INCOME', 'EXPENSE')) not null, "movement_id" varchar(255) not null, "merchant_id" varchar(255) not null, "payment_id" varchar(255) not null, "refund_id" varchar(255) null, "channel" text check ("channel" in ('CARD', 'ALIPAY', 'WECHAT_PAY')) not null, "currency" varchar(3) not null, "amount" bigint not null, "fee" bigint not null, "net" bigint not null, "status" text check ("status" in ('PENDING', 'SUCCEEDED', 'FAILED')) not null, "occurred_at" timestamptz(3) not null, "created_at" timestamptz(3) not null, "updated_at" timestamptz(3) not null, constraint "transactions_pkey" primary key ("id"));`);
    this.addSql(`alter table "transaction"."transactions" add constraint "transactions_trade_no_unique" unique ("trade_no");`);
    this.addSql(`alter table "transaction"."transactions" add constraint "transactions_movement_id_unique" unique ("movement_id");`);
    this.addSql(`create index "transactions_merchant_id_occurred_at_id_index" on "transaction"."transactions" ("merchant_id", "occurred_at", "id");`);
    this.addSql(`create index "transactions_merchant_id_type_occurred_at_id_index" on "transaction"."transactions" ("merchant_id", "type", "occurred_at", "id");`);
    this.addSql(`create index "transactions_merchant_id_status_occurred_at_id_index" on "transaction"."transactions" ("merchant_id", "status", "occurred_at", "id");`);
    this.addSql(`create index "transactions_occurred_at_id_index" on "transaction"."transactions" ("occurred_at", "id");`);
    this.addSql(`create index "transactions_payment_id_occurred_at_id_index" on "transaction"."transactions" ("payment_id", "occurred_at", "id");`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "transaction"."inbox" cascade;`);

    this.addSql(`drop table if exists "transaction"."refund_bookings" cascade;`);

    this.addSql(`drop table if exists "transaction"."trade_no_counters" cascade;`);

    this.addSql(`drop table if exists "transaction"."transactions" cascade;`);

    this.addSql(`drop schema if exists "transaction";`);
  }

}
