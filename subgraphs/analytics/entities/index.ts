import { InboxPosition } from '../../../lib/events/inbox.js';
import { HourlyRollup } from './HourlyRollup.js';
import { PaymentFact } from './PaymentFact.js';

export const entities = [PaymentFact, HourlyRollup, InboxPosition];
