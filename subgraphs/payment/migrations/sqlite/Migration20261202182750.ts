import { Migration } from '@mikro-orm/migrations';

/** A merchant's event log in position order: each outbox event names its merchant, indexed with the position. */
export class Migration20261202182750 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table \`outbox\` add column \`merchant_id\` text null;`);
    this.addSql(`update \`outbox\` set \`merchant_id\` = json_extract(\`payload\`, '$.merchantId');`);
    this.addSql(`create index \`outbox_merchant_id_position_index\` on \`outbox\` (\`merchant_id\`, \`position\`);`);
  }

}
