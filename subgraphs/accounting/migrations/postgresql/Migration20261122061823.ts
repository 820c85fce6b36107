import { Migration } from '@mikro-orm/migrations';

export class Migration20261122061823 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "accounting"."outbox" ("id" bigserial primary key, "aggregate_type" varchar(255) not null, "aggregate_id" varchar(255) not null, "sequence" int not null, "type" varchar(255) not null, "payload" jsonb not null, "occurred_at" timestamptz(3) not null, "position" bigint null, "published_at" timestamptz(3) null);`);
    this.addSql(`create index "outbox_aggregate_id_index" on "accounting"."outbox" ("aggregate_id");`);
    this.addSql(`alter table "accounting"."outbox" add constraint "outbox_position_unique" unique ("position");`);
    this.addSql(`create index "outbox_published_at_id_index" on "accounting"."outbox" ("published_at", "id");`);

    this.addSql(`alter table "accounting"."payment_figures" add column "event_sequence" int not null default 0;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "accounting"."outbox" cascade;`);

    this.addSql(`alter table "accounting"."payment_figures" drop column "event_sequence";`);
  }

}
