import { Migration } from '@mikro-orm/migrations';

/** API keys that can be revoked, rolled (expire) and show when they were last used. */
export class Migration20261202182812 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table "payment"."api_keys" add column "last_used_at" timestamptz(3) null, add column "expires_at" timestamptz(3) null, add column "revoked_at" timestamptz(3) null, add column "event_sequence" int not null default 0;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "payment"."api_keys" drop column "last_used_at", drop column "expires_at", drop column "revoked_at", drop column "event_sequence";`);
  }

}
