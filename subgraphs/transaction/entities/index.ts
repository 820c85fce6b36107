import { DeadLetter } from '../../../lib/events/dead-letters.js';
import { InboxPosition } from '../../../lib/events/inbox.js';
import { EventWatermark } from '../../../lib/events/watermark.js';
import { RefundBooking } from './RefundBooking.js';
import { TradeNoCounter } from './TradeNoCounter.js';
import { TransactionRecord } from './TransactionRecord.js';

export const entities = [TransactionRecord, TradeNoCounter, RefundBooking, InboxPosition, DeadLetter, EventWatermark];
