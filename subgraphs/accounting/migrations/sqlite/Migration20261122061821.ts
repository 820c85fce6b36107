import { Migration } from '@mikro-orm/migrations';

export class Migration20261122061821 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table \`outbox\` (\`id\` integer not null primary key autoincrement, \`aggregate_type\` text not null, \`aggregate_id\` text not null, \`sequence\` integer not null, \`type\` text not null, \`payload\` json not null, \`occurred_at\` datetime not null, \`position\` bigint null, \`published_at\` datetime null);`);
    this.addSql(`create index \`outbox_aggregate_id_index\` on \`outbox\` (\`aggregate_id\`);`);
    this.addSql(`create unique index \`outbox_position_unique\` on \`outbox\` (\`position\`);`);
    this.addSql(`create index \`outbox_published_at_id_index\` on \`outbox\` (\`published_at\`, \`id\`);`);

    this.addSql(`alter table \`payment_figures\` add column \`event_sequence\` integer not null default 0;`);
  }

}
