import { Migration } from '@mikro-orm/migrations';

export class Migration20261122061504 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table \`provider_notifications\` (\`channel\` text not null, \`notification_id\` text not null, \`payment_id\` text not null, \`received_at\` datetime not null, primary key (\`channel\`, \`notification_id\`));`);

    this.addSql(`alter table \`payments\` add column \`expires_at\` datetime null;`);
    this.addSql(`alter table \`payments\` add column \`provider_checked_at\` datetime null;`);
    this.addSql(`create index \`payments_status_updated_at_index\` on \`payments\` (\`status\`, \`updated_at\`);`);

    this.addSql(`alter table \`refunds\` add column \`provider_checked_at\` datetime null;`);
    this.addSql(`create index \`refunds_status_updated_at_index\` on \`refunds\` (\`status\`, \`updated_at\`);`);
  }

}
