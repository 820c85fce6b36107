// Written by scripts/migration-create.ts: the migrations of this database, in order.
import type { MigrationObject } from '@mikro-orm/core';
import { Migration20261122061257 } from './Migration20261122061257.js';
import { Migration20261122071937 } from './Migration20261122071937.js';
import { Migration20261202010531 } from './Migration20261202010531.js';

export const migrations: MigrationObject[] = [
  { name: 'Migration20261122061257', class: Migration20261122061257 },
  { name: 'Migration20261122071937', class: Migration20261122071937 },
  { name: 'Migration20261202010531', class: Migration20261202010531 },
];
