// Written by scripts/migration-create.ts: the migrations of this database, in order.
import type { MigrationObject } from '@mikro-orm/core';
import { Migration20261122061524 } from './Migration20261122061524.js';

export const migrations: MigrationObject[] = [
  { name: 'Migration20261122061524', class: Migration20261122061524 },
];
