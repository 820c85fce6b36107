import { Migration } from '@mikro-orm/migrations';

/** A merchant's event log in position order: each outbox event names its merchant, indexed with the position. */
export class Migration20261202182759 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table "accounting"."outbox" add column "merchant_id" varchar(255) null;`);
    this.addSql(`update "accounting"."outbox" set "merchant_id" = "payload"->>'merchantId';`);
    this.addSql(`create index "outbox_merchant_id_position_index" on "accounting"."outbox" ("merchant_id", "position");`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop index "accounting"."outbox_merchant_id_position_index";`);
    this.addSql(`alter table "accounting"."outbox" drop column "merchant_id";`);
  }

}
