// Written by scripts/migration-create.ts: the migrations of this database, in order.
import type { MigrationObject } from '@mikro-orm/core';
import { Migration20261122061258 } from './Migration20261122061258.js';
import { Migration20261122071938 } from './Migration20261122071938.js';
import { Migration20261202010536 } from './Migration20261202010536.js';

export const migrations: MigrationObject[] = [
  { name: 'Migration20261122061258', class: Migration20261122061258 },
  { name: 'Migration20261122071938', class: Migration20261122071938 },
  { name: 'Migration20261202010536', class: Migration20261202010536 },
];
