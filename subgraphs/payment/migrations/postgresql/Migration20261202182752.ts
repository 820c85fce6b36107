import { Migration } from '@mikro-orm/migrations';

/** A merchant's event log in position order: each outbox event names its merchant, indexed with the position. */
export class Migration20261202182752 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table "payment"."outbox" add column "merchant_id" varchar(255) null;`);
    this.addSql(`update "payment"."outbox" set "merchant_id" = "payload"->>'merchantId';`);
    this.addSql(`create index "outbox_merchant_id_position_index" on "payment"."outbox" ("merchant_id", "position");`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop index "payment"."outbox_merchant_id_position_index";`);
    this.addSql(`alter table "payment"."outbox" drop column "merchant_id";`);
  }

}
