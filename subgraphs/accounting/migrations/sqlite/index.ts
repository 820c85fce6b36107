// Written by scripts/migration-create.ts: the migrations of this database, in order.
import type { MigrationObject } from '@mikro-orm/core';
import { Migration20261122050207 } from './Migration20261122050207.js';
import { Migration20261122061821 } from './Migration20261122061821.js';
import { Migration20261122065505 } from './Migration20261122065505.js';
import { Migration20261202010512 } from './Migration20261202010512.js';
import { Migration20261202182758 } from './Migration20261202182758.js';

export const migrations: MigrationObject[] = [
  { name: 'Migration20261122050207', class: Migration20261122050207 },
  { name: 'Migration20261122061821', class: Migration20261122061821 },
  { name: 'Migration20261122065505', class: Migration20261122065505 },
  { name: 'Migration20261202010512', class: Migration20261202010512 },
  { name: 'Migration20261202182758', class: Migration20261202182758 },
];
