import { Migration } from '@mikro-orm/migrations';

export class Migration20261122061129 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table \`outbox\` add column \`position\` bigint null;`);
    this.addSql(`create unique index \`outbox_position_unique\` on \`outbox\` (\`position\`);`);
  }

}
