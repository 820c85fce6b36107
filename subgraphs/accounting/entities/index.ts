import { DeadLetter } from '../../../lib/events/dead-letters.js';
import { InboxPosition } from '../../../lib/events/inbox.js';
import { EventWatermark } from '../../../lib/events/watermark.js';
import { OutboxEvent } from '../../../lib/events/outbox.js';
import { AccountBalance } from './AccountBalance.js';
import { ChainHead } from './ChainHead.js';
import { FailedPayment } from './FailedPayment.js';
import { Journal } from './Journal.js';
import { LedgerEntry } from './LedgerEntry.js';
import { PaymentFigures } from './PaymentFigures.js';
import { ReconciliationDiscrepancy } from './ReconciliationDiscrepancy.js';
import { ReconciliationReport } from './ReconciliationReport.js';
import { RefundRecord } from './RefundRecord.js';
import { Settlement } from './Settlement.js';

export const entities = [
  Journal,
  LedgerEntry,
  AccountBalance,
  ChainHead,
  PaymentFigures,
  Settlement,
  InboxPosition,
  DeadLetter,
  EventWatermark,
  OutboxEvent,
  RefundRecord,
  FailedPayment,
  ReconciliationReport,
  ReconciliationDiscrepancy,
];
