import { Migration } from '@mikro-orm/migrations';

/**
 * Recovery points: an idempotency claim's lease and the resource its committed intent works on; a payment's
 * operation in flight. A claim left IN_PROGRESS by the code before is LEGACY (its resource is unknown: it is
 * never taken over, recovery settles the payment or refund it was about); a PROCESSING payment is a confirmation
 * in flight, or a capture of what was capturable.
 */
export class Migration20261202004902 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table "payment"."idempotency_keys" add column "error" text null, add column "lease_owner" varchar(255) null, add column "lease_expires_at" timestamptz(3) null, add column "resource_type" text check ("resource_type" in ('PAYMENT', 'REFUND')) null, add column "resource_id" varchar(255) null, add column "operation" text check ("operation" in ('CONFIRM', 'CAPTURE', 'CANCEL', 'REFUND', 'LEGACY')) null;`);
    this.addSql(`update "payment"."idempotency_keys" set "lease_expires_at" = "locked_at";`);
    this.addSql(`update "payment"."idempotency_keys" set "operation" = 'LEGACY' where "state" = 'IN_PROGRESS';`);
    this.addSql(`alter table "payment"."idempotency_keys" alter column "lease_expires_at" set not null;`);
    this.addSql(`create index "idempotency_keys_resource_id_operation_index" on "payment"."idempotency_keys" ("resource_id", "operation");`);

    this.addSql(`alter table "payment"."payments" add column "pending_operation" text check ("pending_operation" in ('CONFIRM', 'CAPTURE', 'CANCEL')) null, add column "pending_amount" bigint null;`);
    this.addSql(`update "payment"."payments" set "pending_operation" = case when "amount_capturable" = 0 then 'CONFIRM' else 'CAPTURE' end, "pending_amount" = case when "amount_capturable" = 0 then null else "amount_capturable" end where "status" = 'PROCESSING';`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop index "payment"."idempotency_keys_resource_id_operation_index";`);
    this.addSql(`alter table "payment"."idempotency_keys" drop column "error", drop column "lease_owner", drop column "lease_expires_at", drop column "resource_type", drop column "resource_id", drop column "operation";`);

    this.addSql(`alter table "payment"."payments" drop column "pending_operation", drop column "pending_amount";`);
  }

}
