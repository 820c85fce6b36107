import { randomBytes, randomInt } from 'node:crypto';

export type TradeStatus = 'WAIT_BUYER_PAY' | 'TRADE_SUCCESS' | 'TRADE_CLOSED' | 'TRADE_FINISHED';

export interface RefundRecord {
  outRequestNo: string;
  /** fen */
  amount: bigint;
  refundedAt: Date;
}

/** An order from precreate; it becomes a trade (with a trade_no) when the payer scans its QR code. */
export interface TradeRecord {
  outTradeNo: string;
  tradeNo: string | null;
  /** fen */
  totalAmount: bigint;
  subject: string;
  status: TradeStatus;
  qrCode: string;
  notifyUrl: string | null;
  timeExpire: Date | null;
  createdAt: Date;
  paidAt: Date | null;
  closedAt: Date | null;
  buyerId: string | null;
  refunds: Map<string, RefundRecord>;
  /** fen refunded so far */
  refunded: bigint;
}

/** A trade closed by alipay.trade.close (not by expiry or the payer). */
export interface CloseRecord {
  outTradeNo: string;
  tradeNo: string | null;
  at: Date;
}

export interface NotificationRecord {
  notifyId: string;
  outTradeNo: string;
  /** the form body exactly as sent (or as it would have been, when lost) */
  body: string;
  attempts: number;
  delivered: boolean;
  lost: boolean;
}

export type BillCorruptionKind = 'DROP' | 'ADD' | 'AMOUNT' | 'STATUS' | 'DUPLICATE';

export interface BillCorruption {
  kind: BillCorruptionKind;
  /** the row it applies to (the day's first row, or for STATUS its first closed trade, when absent) */
  outTradeNo: string | null;
  /** a refund's row (退款批次号/请求号) rather than its trade's */
  outRequestNo: string | null;
  /** ADD: the trade nobody made, named when the control is set so that every download of the bill lists the same one */
  added?: { tradeNo: string; outTradeNo: string };
}

/** Everything the simulator remembers, in memory, for as long as it runs. */
export interface SimulatorState {
  baseUrl: string;
  appId: string;
  /** our merchant's public key: verifies the requests */
  appPublicKey: string;
  /** the simulated Alipay's private key: signs answers and notifications */
  privateKey: string;
  /** the merchant's Alipay account (PID), as bills name it */
  pid: string;
  trades: Map<string, TradeRecord>;
  closes: CloseRecord[];
  notifications: NotificationRecord[];
  /**
   * Sandbox switches that make Alipay misbehave the ways tests need: notifications lost on the way;
   * refunds made but answered "unknown"; refund requests lost before Alipay saw them (answered "unknown").
   */
  faults: { loseNotifications: boolean; uncertainRefunds: boolean; lostRefundRequests: boolean };
  /** per bill date (YYYY-MM-DD) */
  billCorruptions: Map<string, BillCorruption[]>;
  /** signs bill download URLs, which are valid for 30 seconds */
  downloadSecret: Buffer;
  notifyRetryDelaysMs: number[];
  /** notifications still being retried, so that close() can stop them */
  background: Set<Promise<unknown>>;
  stopping: AbortController;
}

export function createSimulatorState(options: { appId: string; appPublicKey: string; privateKey: string; notifyRetryDelaysMs: number[] }): SimulatorState {
  return {
    baseUrl: '',
    ...options,
    pid: `2088${digits(12)}`,
    trades: new Map(),
    closes: [],
    notifications: [],
    faults: { loseNotifications: false, uncertainRefunds: false, lostRefundRequests: false },
    billCorruptions: new Map(),
    downloadSecret: randomBytes(32),
    background: new Set(),
    stopping: new AbortController(),
  };
}

export function digits(count: number): string {
  let text = '';
  while (text.length < count) text += randomInt(0, 1_000_000_000).toString().padStart(9, '0');
  return text.slice(0, count);
}

/** Trade numbers look like Alipay's: the day, a channel code, a serial. */
export function newTradeNo(chinaDate: string): string {
  return `${chinaDate.replace(/-/g, '')}22001${digits(15)}`;
}

export function findTrade(state: SimulatorState, biz: Record<string, unknown>): TradeRecord | undefined {
  if (typeof biz['out_trade_no'] === 'string') return state.trades.get(biz['out_trade_no']);
  if (typeof biz['trade_no'] === 'string') return [...state.trades.values()].find((trade) => trade.tradeNo === biz['trade_no']);
  return undefined;
}
