import { DateTime, Decimal } from '../../../lib/scalars.js';
import type { Resolvers } from '../generated/resolvers-types.js';
import { MetricsRow } from './MetricsRow.js';
import { Query } from './Query.js';

export const resolvers: Resolvers = { DateTime, Decimal, Query, MetricsRow };
