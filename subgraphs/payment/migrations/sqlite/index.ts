// Written by scripts/migration-create.ts: the migrations of this database, in order.
import type { MigrationObject } from '@mikro-orm/core';
import { Migration20261122045509 } from './Migration20261122045509.js';
import { Migration20261122061129 } from './Migration20261122061129.js';
import { Migration20261122061504 } from './Migration20261122061504.js';
import { Migration20261202004900 } from './Migration20261202004900.js';
import { Migration20261202182750 } from './Migration20261202182750.js';
import { Migration20261202182810 } from './Migration20261202182810.js';

export const migrations: MigrationObject[] = [
  { name: 'Migration20261122045509', class: Migration20261122045509 },
  { name: 'Migration20261122061129', class: Migration20261122061129 },
  { name: 'Migration20261122061504', class: Migration20261122061504 },
  { name: 'Migration20261202004900', class: Migration20261202004900 },
  { name: 'Migration20261202182750', class: Migration20261202182750 },
  { name: 'Migration20261202182810', class: Migration20261202182810 },
];
