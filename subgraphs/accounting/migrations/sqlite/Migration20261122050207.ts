import { Migration } from '@mikro-orm/migrations';

export class Migration20261122050207 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table \`account_balances\` (\`account\` text not null, \`currency\` text not null, \`debit_total\` text not null, \`credit_total\` text not null, \`updated_at\` datetime not null, primary key (\`account\`, \`currency\`));`);

    this.addSql(`create table \`chain_heads\` (\`chain\` text not null, \`sequence\` integer not null, \`hash\` text not null, primary key (\`chain\`));`);

    this.addSql(`create table \`inbox\` (\`consumer\` text not null, \`aggregate_id\` text not null, \`last_sequence\` integer not null, \`updated_at\` datetime not null, primary key (\`consumer\`, \`aggregate_id\`));`);

    this.addSql(`create table \`journals\` (\`id\` text not null, \`chain\` text not null, \`sequence\` integer not null, \`type\` text check (\`type\` in ('capture', 'refund', 'settlement')) not null, \`payment_id\` text not null, \`merchant_id\` text not null, \`currency\` text not null, \`event_id\` text null, \`occurred_at\` datetime not null, \`posted_at\` datetime not null, \`previous_hash\` text not null, \`hash\` text not null, primary key (\`id\`));`);
    this.addSql(`create index \`journals_payment_id_index\` on \`journals\` (\`payment_id\`);`);
    this.addSql(`create unique index \`journals_event_id_unique\` on \`journals\` (\`event_id\`);`);
    this.addSql(`create unique index \`journals_chain_sequence_unique\` on \`journals\` (\`chain\`, \`sequence\`);`);

    this.addSql(`create table \`ledger_entries\` (\`id\` text not null, \`journal_id\` text not null, \`journal_sequence\` integer not null, \`line\` integer not null, \`payment_id\` text not null, \`account\` text not null, \`side\` text check (\`side\` in ('DEBIT', 'CREDIT')) not null, \`currency\` text not null, \`amount\` text not null, \`posted_at\` datetime not null, primary key (\`id\`));`);
    this.addSql(`create index \`ledger_entries_journal_id_index\` on \`ledger_entries\` (\`journal_id\`);`);
    this.addSql(`create index \`ledger_entries_payment_id_journal_sequence_line_index\` on \`ledger_entries\` (\`payment_id\`, \`journal_sequence\`, \`line\`);`);

    this.addSql(`create table \`payment_figures\` (\`payment_id\` text not null, \`merchant_id\` text not null, \`channel\` text not null, \`currency\` text not null, \`captured\` text not null, \`fee\` text not null, \`refunded\` text not null, \`captured_at\` datetime not null, primary key (\`payment_id\`));`);

    this.addSql(`create table \`settlements\` (\`payment_id\` text not null, \`merchant_id\` text not null, \`currency\` text not null, \`amount\` text not null, \`settle_at\` datetime not null, \`settled_at\` datetime null, primary key (\`payment_id\`));`);
    this.addSql(`create index \`settlements_settled_at_settle_at_index\` on \`settlements\` (\`settled_at\`, \`settle_at\`);`);
  }

}
