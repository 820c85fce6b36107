import { Money } from '../../../lib/money-resolvers.js';
import { DateTime, Decimal } from '../../../lib/scalars.js';
import type { Resolvers } from '../generated/resolvers-types.js';
import { Payment } from './Payment.js';
import { Query } from './Query.js';
import { Transaction } from './Transaction.js';

export const resolvers: Resolvers = { DateTime, Decimal, Query, Money, Payment, Transaction };
