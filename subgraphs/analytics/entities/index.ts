import { DeadLetter } from '../../../lib/events/dead-letters.js';
import { InboxPosition } from '../../../lib/events/inbox.js';
import { EventWatermark } from '../../../lib/events/watermark.js';
import { DailyRollup } from './DailyRollup.js';
import { HourlyRollup } from './HourlyRollup.js';
import { PaymentFact } from './PaymentFact.js';

export const entities = [PaymentFact, HourlyRollup, DailyRollup, InboxPosition, DeadLetter, EventWatermark];
