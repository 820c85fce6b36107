import { Migration } from '@mikro-orm/migrations';

export class Migration20261202010516 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "accounting"."dead_letters" ("id" bigserial primary key, "consumer" varchar(255) not null, "event_id" varchar(255) not null, "source" varchar(255) not null, "position" bigint not null, "aggregate_id" varchar(255) not null, "sequence" int not null, "type" varchar(255) not null, "envelope" jsonb not null, "reason" text check ("reason" in ('failed', 'follows-dead-letter', 'predecessors-pruned')) not null, "error" text not null, "dead_at" timestamptz(3) not null, "replay_requested_at" timestamptz(3) null);`);
    this.addSql(`create index "dead_letters_consumer_aggregate_id_sequence_index" on "accounting"."dead_letters" ("consumer", "aggregate_id", "sequence");`);
    this.addSql(`alter table "accounting"."dead_letters" add constraint "dead_letters_consumer_event_id_unique" unique ("consumer", "event_id");`);

    this.addSql(`create table "accounting"."event_watermarks" ("consumer" varchar(255) not null, "source" varchar(255) not null, "position" bigint not null, "updated_at" timestamptz(3) not null, constraint "event_watermarks_pkey" primary key ("consumer", "source"));`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "accounting"."dead_letters" cascade;`);

    this.addSql(`drop table if exists "accounting"."event_watermarks" cascade;`);
  }

}
