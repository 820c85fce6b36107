import { Migration } from '@mikro-orm/migrations';

export class Migration20261122061257 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table \`hourly_rollups\` (\`hour_start\` datetime not null, \`merchant_id\` text not null, \`channel\` text not null, \`currency\` text not null, \`status\` text not null, \`day_start\` datetime not null, \`week_start\` datetime not null, \`month_start\` datetime not null, \`payments\` integer not null, \`captured\` text not null, \`refunded\` text not null, \`fee\` text not null, primary key (\`hour_start\`, \`merchant_id\`, \`channel\`, \`currency\`, \`status\`));`);
    this.addSql(`create index \`hourly_rollups_merchant_id_hour_start_index\` on \`hourly_rollups\` (\`merchant_id\`, \`hour_start\`);`);

    this.addSql(`create table \`inbox\` (\`consumer\` text not null, \`aggregate_id\` text not null, \`last_sequence\` integer not null, \`updated_at\` datetime not null, primary key (\`consumer\`, \`aggregate_id\`));`);

    this.addSql(`create table \`payment_facts\` (\`payment_id\` text not null, \`merchant_id\` text not null, \`channel\` text not null, \`currency\` text not null, \`status\` text null, \`created_at\` datetime null, \`amount\` text not null, \`captured\` text not null, \`refunded\` text not null, \`fee\` text not null, \`updated_at\` datetime not null, primary key (\`payment_id\`));`);
    this.addSql(`create index \`payment_facts_created_at_index\` on \`payment_facts\` (\`created_at\`);`);
    this.addSql(`create index \`payment_facts_merchant_id_created_at_index\` on \`payment_facts\` (\`merchant_id\`, \`created_at\`);`);
  }

}
