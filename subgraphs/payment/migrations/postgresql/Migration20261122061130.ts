import { Migration } from '@mikro-orm/migrations';

export class Migration20261122061130 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table "payment"."outbox" add column "position" bigint null;`);
    this.addSql(`alter table "payment"."outbox" add constraint "outbox_position_unique" unique ("position");`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "payment"."outbox" drop constraint "outbox_position_unique";`);
    this.addSql(`alter table "payment"."outbox" drop column "position";`);
  }

}
