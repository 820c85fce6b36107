import { Migration } from '@mikro-orm/migrations';

export class Migration20261122071938 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "analytics"."daily_rollups" ("day_start" timestamptz(3) not null, "channel" varchar(255) not null, "currency" varchar(3) not null, "status" varchar(255) not null, "week_start" timestamptz(3) not null, "month_start" timestamptz(3) not null, "payments" int not null, "captured" bigint not null, "refunded" bigint not null, "fee" bigint not null, constraint "daily_rollups_pkey" primary key ("day_start", "channel", "currency", "status"));`);
    // The payments counted so far: the hourly rows summed per day, over every merchant.
    this.addSql(`insert into "analytics"."daily_rollups" ("day_start", "channel", "currency", "status", "week_start", "month_start", "payments", "captured", "refunded", "fee") select "day_start", "channel", "currency", "status", "week_start", "month_start", sum("payments"), sum("captured"), sum("refunded"), sum("fee") from "analytics"."hourly_rollups" group by "day_start", "channel", "currency", "status", "week_start", "month_start";`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "analytics"."daily_rollups" cascade;`);
  }

}
