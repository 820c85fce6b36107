import { randomBytes, randomInt } from 'node:crypto';

export type TradeState = 'NOTPAY' | 'SUCCESS' | 'REFUND' | 'CLOSED' | 'PAYERROR';
export type RefundStatus = 'PROCESSING' | 'SUCCESS' | 'CLOSED';

/** A Native order; amounts are fen. */
export interface OrderRecord {
  outTradeNo: string;
  appid: string;
  description: string;
  notifyUrl: string;
  total: bigint;
  currency: string;
  codeUrl: string;
  /** the merchant's time_expire: the payer cannot pay after it */
  timeExpire: Date | null;
  tradeState: TradeState;
  tradeStateDesc: string;
  transactionId: string | null;
  openid: string | null;
  createdAt: Date;
  successAt: Date | null;
}

export interface RefundRecord {
  refundId: string;
  outRefundNo: string;
  outTradeNo: string;
  amount: bigint;
  status: RefundStatus;
  notifyUrl: string | null;
  createdAt: Date;
  successAt: Date | null;
}

/** An order closed by the close API (not by expiry); closing a closed order again closes nothing. */
export interface CloseRecord {
  outTradeNo: string;
  at: Date;
}

/** The sandbox's ways of making a day's trade bill wrong, as a provider's own statement can be. */
export type BillCorruption =
  | { kind: 'DROP' | 'DUPLICATE'; reference: string }
  | { kind: 'CHANGE_AMOUNT'; reference: string; amount?: bigint }
  | { kind: 'CHANGE_STATUS'; reference: string; status?: string }
  | { kind: 'ADD'; amount?: bigint };

export interface IssuedBill {
  date: string;
  file: Buffer;
  /** sandbox: the download differs from the announced hash, as a file altered on its way would */
  tampered: boolean;
  expiresAt: number;
}

/** A notification as WeChat Pay signed and sent it (or lost it), kept for the sandbox's log. */
export interface NotificationRecord {
  id: string;
  eventType: string;
  outTradeNo: string;
  outRefundNo: string | null;
  /** the body as sent: signed again at each attempt */
  body: string;
  attempts: number;
  delivered: boolean;
  lost: boolean;
}

/** What WeChat Pay holds: its own private key, the merchant's public key, the shared APIv3 key. */
export interface SimulatorKeys {
  mchid: string;
  appid: string;
  merchant: { serial: string; publicKey: string };
  platform: { serial: string; privateKey: string };
  apiV3Key: string;
}

export interface SimulatorOptions {
  keys: SimulatorKeys;
  /** waits between notification attempts (the first is immediate); default: WeChat Pay's schedule in milliseconds for seconds */
  notifyRetryDelaysMs?: readonly number[];
  /** how long a refund stays PROCESSING; default 100 ms */
  refundSettleMs?: number;
}

/** Everything the simulator remembers, in memory, for as long as it runs. */
export interface SimulatorState {
  baseUrl: string;
  keys: SimulatorKeys;
  notifyRetryDelaysMs: readonly number[];
  refundSettleMs: number;
  orders: Map<string, OrderRecord>;
  refunds: Map<string, RefundRecord>;
  closes: CloseRecord[];
  bills: Map<string, IssuedBill>;
  corruptions: Map<string, BillCorruption[]>;
  tamperedDates: Set<string>;
  /** every notification, sent or lost, oldest first */
  notifications: NotificationRecord[];
  /** sandbox: this many coming notifications are lost (never sent) */
  notificationsToLose: number;
  /** aborted on close: pending notification retries and refund settlements stop */
  shutdown: AbortController;
}

/**
 * WeChat Pay's documented schedule, 15s/15s/30s/3m/10m/20m/30m/30m/30m/60m/3h/3h/3h/6h/6h, compressed 1000
 * times (a second becomes a millisecond): 16 attempts over about 87 s instead of a day.
 */
export const compressedNotifySchedule = [15, 15, 30, 180, 600, 1200, 1800, 1800, 1800, 3600, 10_800, 10_800, 10_800, 21_600, 21_600];

export function createSimulatorState(options: SimulatorOptions): SimulatorState {
  return {
    baseUrl: '',
    keys: options.keys,
    notifyRetryDelaysMs: options.notifyRetryDelaysMs ?? compressedNotifySchedule,
    refundSettleMs: options.refundSettleMs ?? 100,
    orders: new Map(),
    refunds: new Map(),
    closes: [],
    bills: new Map(),
    corruptions: new Map(),
    tamperedDates: new Set(),
    notifications: [],
    notificationsToLose: 0,
    shutdown: new AbortController(),
  };
}

export function randomDigits(count: number): string {
  return Array.from({ length: count }, () => randomInt(10)).join('');
}

const base62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

export function randomBase62(count: number): string {
  return Array.from(randomBytes(count), (byte) => base62[byte % 62]).join('');
}

/** RFC 3339 in China Standard Time, as the API writes times: 2024-05-20T13:29:35+08:00. */
export function chinaTime(date: Date): string {
  return `${new Date(date.getTime() + 8 * 3_600_000).toISOString().slice(0, 19)}+08:00`;
}

/** The YYYY-MM-DD a moment falls on in China, the day a trade bill covers. */
export function chinaDate(date: Date): string {
  return chinaTime(date).slice(0, 10);
}
