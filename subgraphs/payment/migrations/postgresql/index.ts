// Written by scripts/migration-create.ts: the migrations of this database, in order.
import type { MigrationObject } from '@mikro-orm/core';
import { Migration20261122045511 } from './Migration20261122045511.js';
import { Migration20261122061130 } from './Migration20261122061130.js';
import { Migration20261122061505 } from './Migration20261122061505.js';
import { Migration20261202004902 } from './Migration20261202004902.js';
import { Migration20261202074000 } from './Migration20261202074000.js';
import { Migration20261202182752 } from './Migration20261202182752.js';
import { Migration20261202182812 } from './Migration20261202182812.js';

export const migrations: MigrationObject[] = [
  { name: 'Migration20261122045511', class: Migration20261122045511 },
  { name: 'Migration20261122061130', class: Migration20261122061130 },
  { name: 'Migration20261122061505', class: Migration20261122061505 },
  { name: 'Migration20261202004902', class: Migration20261202004902 },
  { name: 'Migration20261202074000', class: Migration20261202074000 },
  { name: 'Migration20261202182752', class: Migration20261202182752 },
  { name: 'Migration20261202182812', class: Migration20261202182812 },
];
