import { Migration } from '@mikro-orm/migrations';

/**
 * Recovery points: an idempotency claim's lease and the resource its committed intent works on; a payment's
 * operation in flight. A claim left IN_PROGRESS by the code before is LEGACY (its resource is unknown: it is
 * never taken over, recovery settles the payment or refund it was about); a PROCESSING payment is a confirmation
 * in flight, or a capture of what was capturable.
 */
export class Migration20261202004900 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table \`idempotency_keys\` add column \`error\` text null;`);
    this.addSql(`alter table \`idempotency_keys\` add column \`lease_owner\` text null;`);
    this.addSql(`alter table \`idempotency_keys\` add column \`lease_expires_at\` datetime not null default 0;`);
    this.addSql(`alter table \`idempotency_keys\` add column \`resource_type\` text check (\`resource_type\` in ('PAYMENT', 'REFUND')) null;`);
    this.addSql(`alter table \`idempotency_keys\` add column \`resource_id\` text null;`);
    this.addSql(`alter table \`idempotency_keys\` add column \`operation\` text check (\`operation\` in ('CONFIRM', 'CAPTURE', 'CANCEL', 'REFUND', 'LEGACY')) null;`);
    this.addSql(`create index \`idempotency_keys_resource_id_operation_index\` on \`idempotency_keys\` (\`resource_id\`, \`operation\`);`);
    this.addSql(`update \`idempotency_keys\` set \`lease_expires_at\` = \`locked_at\`;`);
    this.addSql(`update \`idempotency_keys\` set \`operation\` = 'LEGACY' where \`state\` = 'IN_PROGRESS';`);

    this.addSql(`alter table \`payments\` add column \`pending_operation\` text check (\`pending_operation\` in ('CONFIRM', 'CAPTURE', 'CANCEL')) null;`);
    this.addSql(`alter table \`payments\` add column \`pending_amount\` text null;`);
    this.addSql(`update \`payments\` set \`pending_operation\` = case when \`amount_capturable\` = '0' then 'CONFIRM' else 'CAPTURE' end, \`pending_amount\` = case when \`amount_capturable\` = '0' then null else \`amount_capturable\` end where \`status\` = 'PROCESSING';`);
  }

}
