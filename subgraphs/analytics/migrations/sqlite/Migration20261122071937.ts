import { Migration } from '@mikro-orm/migrations';

export class Migration20261122071937 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table \`daily_rollups\` (\`day_start\` datetime not null, \`channel\` text not null, \`currency\` text not null, \`status\` text not null, \`week_start\` datetime not null, \`month_start\` datetime not null, \`payments\` integer not null, \`captured\` text not null, \`refunded\` text not null, \`fee\` text not null, primary key (\`day_start\`, \`channel\`, \`currency\`, \`status\`));`);
    // The payments counted so far: the hourly rows summed per day, over every merchant.
    this.addSql(`insert into \`daily_rollups\` (\`day_start\`, \`channel\`, \`currency\`, \`status\`, \`week_start\`, \`month_start\`, \`payments\`, \`captured\`, \`refunded\`, \`fee\`) select \`day_start\`, \`channel\`, \`currency\`, \`status\`, \`week_start\`, \`month_start\`, sum(\`payments\`), cast(sum(\`captured\`) as text), cast(sum(\`refunded\`) as text), cast(sum(\`fee\`) as text) from \`hourly_rollups\` group by \`day_start\`, \`channel\`, \`currency\`, \`status\`, \`week_start\`, \`month_start\`;`);
  }

}
