import { Migration } from '@mikro-orm/migrations';

/**
 * The outbox wakes its relays: a statement that inserts outbox rows notifies channel
 * `paygraph_outbox_payment` with the highest id it wrote, delivered to the listeners when its transaction
 * commits (lib/events/outbox-listener.ts), and never if it rolls back.
 */
export class Migration20261202074000 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create function "payment"."outbox_notify"() returns trigger language plpgsql as $$
begin
  perform pg_notify('paygraph_outbox_' || tg_table_schema, (select max("id")::text from inserted));
  return null;
end
$$;`);
    this.addSql(`create trigger "outbox_notify" after insert on "payment"."outbox" referencing new table as inserted for each statement execute function "payment"."outbox_notify"();`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop trigger "outbox_notify" on "payment"."outbox";`);
    this.addSql(`drop function "payment"."outbox_notify"();`);
  }

}
