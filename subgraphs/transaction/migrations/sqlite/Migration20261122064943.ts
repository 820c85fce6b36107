import { Migration } from '@mikro-orm/migrations';

export class Migration20261122064943 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table \`inbox\` (\`consumer\` text not null, \`aggregate_id\` text not null, \`last_sequence\` integer not null, \`updated_at\` datetime not null, primary key (\`consumer\`, \`aggregate_id\`));`);

    this.addSql(`create table \`refund_bookings\` (\`refund_id\` text not null, \`payment_id\` text not null, \`currency\` text null, \`amount\` text null, \`fee\` text null, \`net\` text null, \`booked_at\` datetime null, primary key (\`refund_id\`));`);

    this.addSql(`create table \`trade_no_counters\` (\`day\` text not null, \`last\` bigint not null, primary key (\`day\`));`);

    this.addSql(`create table \`transactions\` (\`id\` text not null, \`trade_no\` text not null, \`type\` text check (\`type\` in ('PAYMENT', 'REFUND')) not null, \`direction\` text check (\`direction\` in ('INCOME', 'EXPENSE')) not null, \`movement_id\` text not null, \`merchant_id\` text not null, \`payment_id\` text not null, \`refund_id\` text null, \`channel\` text check (\`channel\` in ('CARD', 'ALIPAY', 'WECHAT_PAY')) not null, \`currency\` text not null, \`amount\` text not null, \`fee\` text not null, \`net\` text not null, \`status\` text check (\`status\` in ('PENDING', 'SUCCEEDED', 'FAILED')) not null, \`occurred_at\` datetime not null, \`created_at\` datetime not null, \`updated_at\` datetime not null, primary key (\`id\`));`);
    this.addSql(`create unique index \`transactions_trade_no_unique\` on \`transactions\` (\`trade_no\`);`);
    this.addSql(`create unique index \`transactions_movement_id_unique\` on \`transactions\` (\`movement_id\`);`);
    this.addSql(`create index \`transactions_merchant_id_occurred_at_id_index\` on \`transactions\` (\`merchant_id\`, \`occurred_at\`, \`id\`);`);
    this.addSql(`create index \`transactions_merchant_id_type_occurred_at_id_index\` on \`transactions\` (\`merchant_id\`, \`type\`, \`occurred_at\`, \`id\`);`);
    this.addSql(`create index \`transactions_merchant_id_status_occurred_at_id_index\` on \`transactions\` (\`merchant_id\`, \`status\`, \`occurred_at\`, \`id\`);`);
    this.addSql(`create index \`transactions_occurred_at_id_index\` on \`transactions\` (\`occurred_at\`, \`id\`);`);
    this.addSql(`create index \`transactions_payment_id_occurred_at_id_index\` on \`transactions\` (\`payment_id\`, \`occurred_at\`, \`id\`);`);
  }

}
