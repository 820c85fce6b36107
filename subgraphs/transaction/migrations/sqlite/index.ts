// Written by scripts/migration-create.ts: the migrations of this database, in order.
import type { MigrationObject } from '@mikro-orm/core';
import { Migration20261122064943 } from './Migration20261122064943.js';
import { Migration20261202010522 } from './Migration20261202010522.js';

export const migrations: MigrationObject[] = [
  { name: 'Migration20261122064943', class: Migration20261122064943 },
  { name: 'Migration20261202010522', class: Migration20261202010522 },
];
