import { InboxPosition } from '../../../lib/events/inbox.js';
import { OutboxEvent } from '../../../lib/outbox.js';
import { AccountBalance } from './AccountBalance.js';
import { ChainHead } from './ChainHead.js';
import { Journal } from './Journal.js';
import { LedgerEntry } from './LedgerEntry.js';
import { PaymentFigures } from './PaymentFigures.js';
import { Settlement } from './Settlement.js';

export const entities = [Journal, LedgerEntry, AccountBalance, ChainHead, PaymentFigures, Settlement, InboxPosition, OutboxEvent];
