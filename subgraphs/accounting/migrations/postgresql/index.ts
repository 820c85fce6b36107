// Written by scripts/migration-create.ts: the migrations of this database, in order.
import type { MigrationObject } from '@mikro-orm/core';
import { Migration20261122050208 } from './Migration20261122050208.js';
import { Migration20261122061823 } from './Migration20261122061823.js';
import { Migration20261122065506 } from './Migration20261122065506.js';
import { Migration20261202010516 } from './Migration20261202010516.js';
import { Migration20261202074001 } from './Migration20261202074001.js';
import { Migration20261202182759 } from './Migration20261202182759.js';

export const migrations: MigrationObject[] = [
  { name: 'Migration20261122050208', class: Migration20261122050208 },
  { name: 'Migration20261122061823', class: Migration20261122061823 },
  { name: 'Migration20261122065506', class: Migration20261122065506 },
  { name: 'Migration20261202010516', class: Migration20261202010516 },
  { name: 'Migration20261202074001', class: Migration20261202074001 },
  { name: 'Migration20261202182759', class: Migration20261202182759 },
];
