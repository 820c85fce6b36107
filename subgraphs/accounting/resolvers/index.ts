import { DateTime, Decimal } from '../../../lib/scalars.js';
import type { Resolvers } from '../generated/resolvers-types.js';
import { LedgerEntry } from './LedgerEntry.js';
import { Merchant } from './Merchant.js';
import { Money } from '../../../lib/money-resolvers.js';
import { Payment } from './Payment.js';
import { Query } from './Query.js';
import { Mutation } from './Mutation/index.js';
import { ReconciliationReport } from './ReconciliationReport.js';
import { Discrepancy } from './Discrepancy.js';

export const resolvers: Resolvers = { DateTime, Decimal, Query, Mutation, Money, Payment, Merchant, LedgerEntry, ReconciliationReport, Discrepancy };
