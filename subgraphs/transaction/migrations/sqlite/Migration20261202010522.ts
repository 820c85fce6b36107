import { Migration } from '@mikro-orm/migrations';

export class Migration20261202010522 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table \`dead_letters\` (\`id\` integer not null primary key autoincrement, \`consumer\` text not null, \`event_id\` text not null, \`source\` text not null, \`position\` bigint not null, \`aggregate_id\` text not null, \`sequence\` integer not null, \`type\` text not null, \`envelope\` json not null, \`reason\` text check (\`reason\` in ('failed', 'follows-dead-letter', 'predecessors-pruned')) not null, \`error\` text not null, \`dead_at\` datetime not null, \`replay_requested_at\` datetime null);`);
    this.addSql(`create index \`dead_letters_consumer_aggregate_id_sequence_index\` on \`dead_letters\` (\`consumer\`, \`aggregate_id\`, \`sequence\`);`);
    this.addSql(`create unique index \`dead_letters_consumer_event_id_unique\` on \`dead_letters\` (\`consumer\`, \`event_id\`);`);

    this.addSql(`create table \`event_watermarks\` (\`consumer\` text not null, \`source\` text not null, \`position\` bigint not null, \`updated_at\` datetime not null, primary key (\`consumer\`, \`source\`));`);
  }

}
