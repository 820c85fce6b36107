import { Migration } from '@mikro-orm/migrations';

export class Migration20261122045511 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create schema if not exists "payment";`);
    this.addSql(`create table "payment"."api_keys" ("id" varchar(255) not null, "key_hash" varchar(255) not null, "key_prefix" varchar(255) not null, "role" text check ("role" in ('MERCHANT', 'ANALYST')) not null, "merchant_id" varchar(255) null, "created_at" timestamptz(3) not null, constraint "api_keys_pkey" primary key ("id"));`);
    this.addSql(`alter table "payment"."api_keys" add constraint "api_keys_key_hash_unique" unique ("key_hash");`);
    this.addSql(`create index "api_keys_merchant_id_index" on "payment"."api_keys" ("merchant_id");`);

    this.addSql(`create table "payment"."idempotency_keys" ("id" varchar(255) not null, "scope" varchar(255) not null, "key" varchar(255) not null, "fingerprint" varchar(255) not null, "state" text check ("state" in ('IN_PROGRESS', 'COMPLETED')) not null, "response" text null, "locked_at" timestamptz(3) not null, "created_at" timestamptz(3) not null, "expires_at" timestamptz(3) not null, constraint "idempotency_keys_pkey" primary key ("id"));`);
    this.addSql(`create index "idempotency_keys_expires_at_index" on "payment"."idempotency_keys" ("expires_at");`);
    this.addSql(`alter table "payment"."idempotency_keys" add constraint "idempotency_keys_scope_key_unique" unique ("scope", "key");`);

    this.addSql(`create table "payment"."merchants" ("id" varchar(255) not null, "name" varchar(255) not null, "created_at" timestamptz(3) not null, constraint "merchants_pkey" primary key ("id"));`);

    this.addSql(`create table "payment"."outbox" ("id" bigserial primary key, "aggregate_type" varchar(255) not null, "aggregate_id" varchar(255) not null, "sequence" int not null, "type" varchar(255) not null, "payload" jsonb not null, "occurred_at" timestamptz(3) not null, "published_at" timestamptz(3) null);`);
    this.addSql(`create index "outbox_aggregate_id_index" on "payment"."outbox" ("aggregate_id");`);
    this.addSql(`create index "outbox_published_at_id_index" on "payment"."outbox" ("published_at", "id");`);

    this.addSql(`create table "payment"."payments" ("id" varchar(255) not null, "merchant_id" varchar(255) not null, "currency" varchar(3) not null, "amount" bigint not null, "amount_capturable" bigint not null, "amount_received" bigint not null, "amount_refunded" bigint not null, "channel" text check ("channel" in ('CARD', 'ALIPAY', 'WECHAT_PAY')) not null, "capture_method" text check ("capture_method" in ('AUTOMATIC', 'MANUAL')) not null, "status" text check ("status" in ('REQUIRES_CONFIRMATION', 'REQUIRES_ACTION', 'PROCESSING', 'REQUIRES_CAPTURE', 'SUCCEEDED', 'FAILED', 'CANCELED')) not null, "next_action" jsonb null, "failure_code" varchar(255) null, "failure_message" varchar(255) null, "description" text null, "metadata" jsonb null, "card" jsonb null, "cancellation_reason" text null, "provider_reference" varchar(255) null, "created_at" timestamptz(3) not null, "updated_at" timestamptz(3) not null, "event_sequence" int not null default 0, "version" int not null default 1, constraint "payments_pkey" primary key ("id"));`);
    this.addSql(`create index "payments_merchant_id_created_at_id_index" on "payment"."payments" ("merchant_id", "created_at", "id");`);
    this.addSql(`create index "payments_created_at_id_index" on "payment"."payments" ("created_at", "id");`);

    this.addSql(`create table "payment"."refunds" ("id" varchar(255) not null, "payment_id" varchar(255) not null, "merchant_id" varchar(255) not null, "currency" varchar(3) not null, "amount" bigint not null, "status" text check ("status" in ('PENDING', 'SUCCEEDED', 'FAILED')) not null, "reason" text null, "failure_code" varchar(255) null, "provider_reference" varchar(255) null, "created_at" timestamptz(3) not null, "updated_at" timestamptz(3) not null, constraint "refunds_pkey" primary key ("id"));`);
    this.addSql(`create index "refunds_payment_id_index" on "payment"."refunds" ("payment_id");`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "payment"."api_keys" cascade;`);

    this.addSql(`drop table if exists "payment"."idempotency_keys" cascade;`);

    this.addSql(`drop table if exists "payment"."merchants" cascade;`);

    this.addSql(`drop table if exists "payment"."outbox" cascade;`);

    this.addSql(`drop table if exists "payment"."payments" cascade;`);

    this.addSql(`drop table if exists "payment"."refunds" cascade;`);

    this.addSql(`drop schema if exists "payment";`);
  }

}
