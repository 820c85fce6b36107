import { Migration } from '@mikro-orm/migrations';

/** API keys that can be revoked, rolled (expire) and show when they were last used. */
export class Migration20261202182810 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table \`api_keys\` add column \`last_used_at\` datetime null;`);
    this.addSql(`alter table \`api_keys\` add column \`expires_at\` datetime null;`);
    this.addSql(`alter table \`api_keys\` add column \`revoked_at\` datetime null;`);
    this.addSql(`alter table \`api_keys\` add column \`event_sequence\` integer not null default 0;`);
  }

}
