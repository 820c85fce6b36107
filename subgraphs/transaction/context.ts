import type { Em } from '../../lib/database.js';
import type { Principal } from '../../lib/principal.js';
import type { Loaders } from './loaders.js';

/** What every resolver of one request gets: who asks, and request-scoped loaders. */
export interface Context {
  principal: Principal;
  em: Em;
  loaders: Loaders;
}
