/** Result types of the operations the integration tests share, as the selections in payments.ts ask for them. */

export interface MoneyResult {
  amount: string;
  currency: string;
  minorUnits: string;
}

/** What PAYMENT_FIELDS selects. */
export interface PaymentResult {
  id: string;
  status: string;
  channel: string;
  captureMethod: string;
  failureCode: string | null;
  failureMessage: string | null;
  amount: MoneyResult;
  amountCapturable: MoneyResult;
  amountReceived: MoneyResult;
  amountRefunded: MoneyResult;
  nextAction: { type: string; url: string } | null;
  card: { brand: string; last4: string; expMonth: number; expYear: number } | null;
  merchant: { id: string };
  refunds: { id: string; status: string; amount: { amount: string } }[];
  createdAt: string;
  updatedAt: string;
}

/** What refund() selects. */
export interface RefundResult {
  id: string;
  status: string;
  amount: MoneyResult;
  payment: PaymentResult;
}

export interface CreatePaymentResult {
  createPayment: PaymentResult;
}
export interface ConfirmPaymentResult {
  confirmPayment: PaymentResult;
}
export interface CapturePaymentResult {
  capturePayment: PaymentResult;
}
export interface CancelPaymentResult {
  cancelPayment: PaymentResult;
}
export interface RefundPaymentResult {
  refundPayment: RefundResult;
}
export interface SandboxPayerActionResult {
  sandboxPayerAction: PaymentResult;
}
export interface PaymentQueryResult {
  payment: PaymentResult | null;
}
export interface CreateApiKeyResult {
  createApiKey: { apiKey: string };
}
export interface CreateMerchantResult {
  createMerchant: { merchant: { id: string }; apiKey: string };
}
export interface PaymentsPageResult {
  payments: { edges: { node: { id: string } }[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } };
}

/** What REPORT_FIELDS selects. */
export interface ReconciliationReportResult {
  id: string;
  channel: string;
  date: string;
  matched: number;
  discrepancies: {
    type: string;
    paymentId: string | null;
    providerReference: string | null;
    expected: MoneyResult | null;
    actual: MoneyResult | null;
    detail: string | null;
  }[];
}

/** A row of `metrics`, as far as the tests select it. */
export interface MetricsRowResult {
  bucket?: string | null;
  merchant?: { id: string; name?: string } | null;
  channel?: string | null;
  status?: string | null;
  currency: string;
  values: { measure?: string; value: string }[];
}
export interface MetricsResult {
  metrics: { rows: MetricsRowResult[] };
}

/** What TRANSACTION_FIELDS selects. */
export interface TransactionResult {
  id: string;
  tradeNo: string;
  type: string;
  direction: string;
  channel: string;
  status: string;
  occurredAt: string;
  amount: MoneyResult;
  fee: MoneyResult;
  net: MoneyResult;
  payment: { id: string } | null;
  refund: { id: string } | null;
}
export interface TransactionsPageResult {
  transactions: { edges: { cursor: string; node: TransactionResult }[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } };
}

/** What balanceQuery (accounting.ts) selects. */
export interface BalanceResult {
  merchant: { id: string; balance: { available: { amount: string; currency: string }[]; pending: { amount: string; currency: string }[] } } | null;
}

/** What LEDGER_FIELDS (accounting.ts) selects. */
export interface LedgerPaymentResult {
  id: string;
  status: string;
  amountReceived: { amount: string; currency: string };
  fee: MoneyResult | null;
  net: MoneyResult | null;
  ledgerEntries: { id: string; journalId: string; account: string; side: string; amount: MoneyResult; postedAt: string }[];
}
