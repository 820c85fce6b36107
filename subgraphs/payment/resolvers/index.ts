import { scalarResolvers } from '../../../lib/scalars.js';
import type { Resolvers } from '../generated/resolvers-types.js';
import { Event } from './Event.js';
import { ApiKey } from './ApiKey.js';
import { Merchant } from './Merchant.js';
import { Money } from '../../../lib/money-resolvers.js';
import { Mutation } from './Mutation/index.js';
import { Payment } from './Payment.js';
import { Query } from './Query.js';
import { Refund } from './Refund.js';
import { PaymentStatusEvent, Subscription } from './Subscription.js';
import { Viewer } from './Viewer.js';

export const resolvers: Resolvers = { ...scalarResolvers, Query, Mutation, Viewer, Money, Merchant, Payment, Refund, Subscription, PaymentStatusEvent, Event, ApiKey };
