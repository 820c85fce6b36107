import { Migration } from '@mikro-orm/migrations';

export class Migration20261122045509 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table \`api_keys\` (\`id\` text not null, \`key_hash\` text not null, \`key_prefix\` text not null, \`role\` text check (\`role\` in ('MERCHANT', 'ANALYST')) not null, \`merchant_id\` text null, \`created_at\` datetime not null, primary key (\`id\`));`);
    this.addSql(`create unique index \`api_keys_key_hash_unique\` on \`api_keys\` (\`key_hash\`);`);
    this.addSql(`create index \`api_keys_merchant_id_index\` on \`api_keys\` (\`merchant_id\`);`);

    this.addSql(`create table \`idempotency_keys\` (\`id\` text not null, \`scope\` text not null, \`key\` text not null, \`fingerprint\` text not null, \`state\` text check (\`state\` in ('IN_PROGRESS', 'COMPLETED')) not null, \`response\` text null, \`locked_at\` datetime not null, \`created_at\` datetime not null, \`expires_at\` datetime not null, primary key (\`id\`));`);
    this.addSql(`create index \`idempotency_keys_expires_at_index\` on \`idempotency_keys\` (\`expires_at\`);`);
    this.addSql(`create unique index \`idempotency_keys_scope_key_unique\` on \`idempotency_keys\` (\`scope\`, \`key\`);`);

    this.addSql(`create table \`merchants\` (\`id\` text not null, \`name\` text not null, \`created_at\` datetime not null, primary key (\`id\`));`);

    this.addSql(`create table \`outbox\` (\`id\` integer not null primary key autoincrement, \`aggregate_type\` text not null, \`aggregate_id\` text not null, \`sequence\` integer not null, \`type\` text not null, \`payload\` json not null, \`occurred_at\` datetime not null, \`published_at\` datetime null);`);
    this.addSql(`create index \`outbox_aggregate_id_index\` on \`outbox\` (\`aggregate_id\`);`);
    this.addSql(`create index \`outbox_published_at_id_index\` on \`outbox\` (\`published_at\`, \`id\`);`);

    this.addSql(`create table \`payments\` (\`id\` text not null, \`merchant_id\` text not null, \`currency\` text not null, \`amount\` text not null, \`amount_capturable\` text not null, \`amount_received\` text not null, \`amount_refunded\` text not null, \`channel\` text check (\`channel\` in ('CARD', 'ALIPAY', 'WECHAT_PAY')) not null, \`capture_method\` text check (\`capture_method\` in ('AUTOMATIC', 'MANUAL')) not null, \`status\` text check (\`status\` in ('REQUIRES_CONFIRMATION', 'REQUIRES_ACTION', 'PROCESSING', 'REQUIRES_CAPTURE', 'SUCCEEDED', 'FAILED', 'CANCELED')) not null, \`next_action\` json null, \`failure_code\` text null, \`failure_message\` text null, \`description\` text null, \`metadata\` json null, \`card\` json null, \`cancellation_reason\` text null, \`provider_reference\` text null, \`created_at\` datetime not null, \`updated_at\` datetime not null, \`event_sequence\` integer not null default 0, \`version\` integer not null default 1, primary key (\`id\`));`);
    this.addSql(`create index \`payments_merchant_id_created_at_id_index\` on \`payments\` (\`merchant_id\`, \`created_at\`, \`id\`);`);
    this.addSql(`create index \`payments_created_at_id_index\` on \`payments\` (\`created_at\`, \`id\`);`);

    this.addSql(`create table \`refunds\` (\`id\` text not null, \`payment_id\` text not null, \`merchant_id\` text not null, \`currency\` text not null, \`amount\` text not null, \`status\` text check (\`status\` in ('PENDING', 'SUCCEEDED', 'FAILED')) not null, \`reason\` text null, \`failure_code\` text null, \`provider_reference\` text null, \`created_at\` datetime not null, \`updated_at\` datetime not null, primary key (\`id\`));`);
    this.addSql(`create index \`refunds_payment_id_index\` on \`refunds\` (\`payment_id\`);`);
  }

}
