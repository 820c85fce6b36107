import { Migration } from '@mikro-orm/migrations';

export class Migration20261122061505 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "payment"."provider_notifications" ("channel" varchar(255) not null, "notification_id" varchar(255) not null, "payment_id" varchar(255) not null, "received_at" timestamptz(3) not null, constraint "provider_notifications_pkey" primary key ("channel", "notification_id"));`);

    this.addSql(`alter table "payment"."payments" add column "expires_at" timestamptz(3) null, add column "provider_checked_at" timestamptz(3) null;`);
    this.addSql(`create index "payments_status_updated_at_index" on "payment"."payments" ("status", "updated_at");`);

    this.addSql(`alter table "payment"."refunds" add column "provider_checked_at" timestamptz(3) null;`);
    this.addSql(`create index "refunds_status_updated_at_index" on "payment"."refunds" ("status", "updated_at");`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "payment"."provider_notifications" cascade;`);

    this.addSql(`drop index "payment"."payments_status_updated_at_index";`);
    this.addSql(`alter table "payment"."payments" drop column "expires_at", drop column "provider_checked_at";`);

    this.addSql(`drop index "payment"."refunds_status_updated_at_index";`);
    this.addSql(`alter table "payment"."refunds" drop column "provider_checked_at";`);
  }

}
