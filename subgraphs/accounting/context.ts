import type { Dialect, Em } from '../../lib/database.js';
import type { Principal } from '../../lib/principal.js';
import type { Loaders } from './loaders.js';
import type { ReconciliationService } from './services/reconciliation.js';

/** What every resolver of one request gets: who asks, and request-scoped loaders. */
export interface Context {
  principal: Principal;
  em: Em;
  dialect: Dialect;
  loaders: Loaders;
  reconciliation: ReconciliationService;
}
