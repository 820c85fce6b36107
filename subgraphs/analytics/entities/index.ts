import { InboxPosition } from '../../../lib/events/inbox.js';
import { DailyRollup } from './DailyRollup.js';
import { HourlyRollup } from './HourlyRollup.js';
import { PaymentFact } from './PaymentFact.js';

export const entities = [PaymentFact, HourlyRollup, DailyRollup, InboxPosition];
