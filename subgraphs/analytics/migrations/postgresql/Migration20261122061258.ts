import { Migration } from '@mikro-orm/migrations';

export class Migration20261122061258 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create schema if not exists "analytics";`);
    this.addSql(`create table "analytics"."hourly_rollups" ("hour_start" timestamptz(3) not null, "merchant_id" varchar(255) not null, "channel" varchar(255) not null, "currency" varchar(3) not null, "status" varchar(255) not null, "day_start" timestamptz(3) not null, "week_start" timestamptz(3) not null, "month_start" timestamptz(3) not null, "payments" int not null, "captured" bigint not null, "refunded" bigint not null, "fee" bigint not null, constraint "hourly_rollups_pkey" primary key ("hour_start", "merchant_id", "channel", "currency", "status"));`);
    this.addSql(`create index "hourly_rollups_merchant_id_hour_start_index" on "analytics"."hourly_rollups" ("merchant_id", "hour_start");`);

    this.addSql(`create table "analytics"."inbox" ("consumer" varchar(255) not null, "aggregate_id" varchar(255) not null, "last_sequence" int not null, "updated_at" timestamptz(3) not null, constraint "inbox_pkey" primary key ("consumer", "aggregate_id"));`);

    this.addSql(`create table "analytics"."payment_facts" ("payment_id" varchar(255) not null, "merchant_id" varchar(255) not null, "channel" varchar(255) not null, "currency" varchar(3) not null, "status" varchar(255) null, "created_at" timestamptz(3) null, "amount" bigint not null, "captured" bigint not null, "refunded" bigint not null, "fee" bigint not null, "updated_at" timestamptz(3) not null, constraint "payment_facts_pkey" primary key ("payment_id"));`);
    this.addSql(`create index "payment_facts_created_at_index" on "analytics"."payment_facts" ("created_at");`);
    this.addSql(`create index "payment_facts_merchant_id_created_at_index" on "analytics"."payment_facts" ("merchant_id", "created_at");`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "analytics"."hourly_rollups" cascade;`);

    this.addSql(`drop table if exists "analytics"."inbox" cascade;`);

    this.addSql(`drop table if exists "analytics"."payment_facts" cascade;`);

    this.addSql(`drop schema if exists "analytics";`);
  }

}
