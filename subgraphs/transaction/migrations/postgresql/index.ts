// Written by scripts/migration-create.ts: the migrations of this database, in order.
import type { MigrationObject } from '@mikro-orm/core';
import { Migration20261122064944 } from './Migration20261122064944.js';
import { Migration20261202010526 } from './Migration20261202010526.js';

export const migrations: MigrationObject[] = [
  { name: 'Migration20261122064944', class: Migration20261122064944 },
  { name: 'Migration20261202010526', class: Migration20261202010526 },
];
