// Written by scripts/codegen.ts from schema.graphql: do not edit.
/* eslint-disable */
import type { GraphQLResolveInfo, GraphQLScalarType, GraphQLScalarTypeConfig } from 'graphql';
import type { Money as MoneyModel } from '../../../lib/money.js';
import type { Merchant as MerchantModel } from '../entities/Merchant.js';
import type { Payment as PaymentModel } from '../entities/Payment.js';
import type { Refund as RefundModel } from '../entities/Refund.js';
import type { PaymentStatusEventRecord as PaymentStatusEventRecordModel } from '../services/status-events.js';
import type { PartnerEventRecord as PartnerEventRecordModel } from '../services/event-log.js';
import type { Principal as PrincipalModel } from '../../../lib/principal.js';
import type { ApiKey as ApiKeyModel } from '../entities/ApiKey.js';
import type { Context } from '../context.js';
export type Maybe<T> = T | null;
export type InputMaybe<T> = T | null | undefined;
export type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
export type MakeOptional<T, K extends keyof T> = Omit<T, K> & { [SubKey in K]?: Maybe<T[SubKey]> };
export type MakeMaybe<T, K extends keyof T> = Omit<T, K> & { [SubKey in K]: Maybe<T[SubKey]> };
export type MakeEmpty<T extends { [key: string]: unknown }, K extends keyof T> = { [_ in K]?: never };
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
export type Omit<T, K extends keyof T> = Pick<T, Exclude<keyof T, K>>;
export type RequireFields<T, K extends keyof T> = Omit<T, K> & { [P in K]-?: NonNullable<T[P]> };
/** All built-in and custom scalars, mapped to their actual values */
export type Scalars = {
  ID: { input: string; output: string; }
  String: { input: string; output: string; }
  Boolean: { input: boolean; output: boolean; }
  Int: { input: number; output: number; }
  Float: { input: number; output: number; }
  /** ISO-8601 UTC timestamp, e.g. 2026-11-22T03:19:58.123Z */
  DateTime: { input: Date; output: Date; }
  /** An exact decimal number written as a string, e.g. "10.00". Never a float. */
  Decimal: { input: string; output: string; }
  /** A JSON object with string keys. */
  JSONObject: { input: Record<string, unknown>; output: Record<string, unknown>; }
};

/** Money: an exact decimal amount in the currency's major unit with its ISO 4217 code. */
export type Money = {
  __typename?: 'Money';
  /** e.g. "10.00" USD, "1000" JPY, "1.250" KWD: exactly the currency's number of decimals */
  amount: Scalars['Decimal']['output'];
  /** ISO 4217 code, upper case */
  currency: Scalars['String']['output'];
  /** the same amount as an integer count of the currency's smallest unit, as a string ("1000" for 10.00 USD) */
  minorUnits: Scalars['String']['output'];
};

/** An amount in input: more decimals than the currency has, a negative or zero amount, or an unknown currency is BAD_USER_INPUT. */
export type MoneyInput = {
  amount: Scalars['Decimal']['input'];
  currency: Scalars['String']['input'];
};

export type PageInfo = {
  __typename?: 'PageInfo';
  hasNextPage: Scalars['Boolean']['output'];
  endCursor: Maybe<Scalars['String']['output']>;
};

export type Merchant = {
  __typename?: 'Merchant';
  id: Scalars['ID']['output'];
  name: Scalars['String']['output'];
  createdAt: Scalars['DateTime']['output'];
};

export type ApiKeyRole =
  | 'MERCHANT'
  | 'ANALYST';

export type Viewer = {
  __typename?: 'Viewer';
  /** ADMIN, MERCHANT or ANALYST */
  role: Scalars['String']['output'];
  /** the merchant the key belongs to; null for ADMIN and platform-wide ANALYST keys */
  merchant: Maybe<Merchant>;
};

export type PaymentChannel =
  | 'CARD'
  | 'ALIPAY'
  | 'WECHAT_PAY';

export type CaptureMethod =
  | 'AUTOMATIC'
  | 'MANUAL';

export type PaymentStatus =
  | 'REQUIRES_CONFIRMATION'
  | 'REQUIRES_ACTION'
  | 'PROCESSING'
  | 'REQUIRES_CAPTURE'
  | 'SUCCEEDED'
  | 'FAILED'
  | 'CANCELED';

export type NextActionType =
  /** url is the content of the QR code the payer scans (Alipay qr_code, WeChat Pay code_url) */
  | 'QR_CODE'
  /** url is a page the payer must visit, e.g. 3-D Secure */
  | 'REDIRECT';

export type NextAction = {
  __typename?: 'NextAction';
  type: NextActionType;
  url: Scalars['String']['output'];
};

/** What may be shown of a card: never its number or CVC. */
export type CardSummary = {
  __typename?: 'CardSummary';
  brand: Scalars['String']['output'];
  last4: Scalars['String']['output'];
  expMonth: Scalars['Int']['output'];
  expYear: Scalars['Int']['output'];
};

export type Payment = {
  __typename?: 'Payment';
  id: Scalars['ID']['output'];
  merchant: Merchant;
  amount: Money;
  /** what a capture may still take (zero unless REQUIRES_CAPTURE) */
  amountCapturable: Money;
  /** what was captured */
  amountReceived: Money;
  /** sum of SUCCEEDED and PENDING refunds */
  amountRefunded: Money;
  channel: PaymentChannel;
  captureMethod: CaptureMethod;
  status: PaymentStatus;
  nextAction: Maybe<NextAction>;
  /** e.g. CARD_DECLINED, EXPIRED_CARD, PAYER_DECLINED */
  failureCode: Maybe<Scalars['String']['output']>;
  failureMessage: Maybe<Scalars['String']['output']>;
  description: Maybe<Scalars['String']['output']>;
  metadata: Maybe<Scalars['JSONObject']['output']>;
  card: Maybe<CardSummary>;
  /** the reason given when the payment was canceled */
  cancellationReason: Maybe<Scalars['String']['output']>;
  refunds: Array<Refund>;
  createdAt: Scalars['DateTime']['output'];
  updatedAt: Scalars['DateTime']['output'];
};

export type RefundStatus =
  | 'PENDING'
  | 'SUCCEEDED'
  | 'FAILED';

export type Refund = {
  __typename?: 'Refund';
  id: Scalars['ID']['output'];
  payment: Payment;
  amount: Money;
  status: RefundStatus;
  reason: Maybe<Scalars['String']['output']>;
  failureCode: Maybe<Scalars['String']['output']>;
  createdAt: Scalars['DateTime']['output'];
  updatedAt: Scalars['DateTime']['output'];
};

export type PaymentEdge = {
  __typename?: 'PaymentEdge';
  cursor: Scalars['String']['output'];
  node: Payment;
};

export type PaymentConnection = {
  __typename?: 'PaymentConnection';
  edges: Array<PaymentEdge>;
  pageInfo: PageInfo;
};

export type PaymentFilter = {
  status?: InputMaybe<Array<PaymentStatus>>;
  channel?: InputMaybe<Array<PaymentChannel>>;
  createdAfter?: InputMaybe<Scalars['DateTime']['input']>;
  createdBefore?: InputMaybe<Scalars['DateTime']['input']>;
};

export type CreatePaymentInput = {
  amount: MoneyInput;
  channel: PaymentChannel;
  captureMethod?: InputMaybe<CaptureMethod>;
  description?: InputMaybe<Scalars['String']['input']>;
  metadata?: InputMaybe<Scalars['JSONObject']['input']>;
  /** 1 to 255 characters; scoped to the caller */
  idempotencyKey: Scalars['String']['input'];
};

/** Test cards in sandbox: 4242424242424242 succeeds, 4000000000000002 is declined (CARD_DECLINED), 4000000000003220 asks for 3-D Secure (REQUIRES_ACTION, REDIRECT). */
export type CardInput = {
  number: Scalars['String']['input'];
  expMonth: Scalars['Int']['input'];
  expYear: Scalars['Int']['input'];
  cvc: Scalars['String']['input'];
};

export type ConfirmPaymentInput = {
  paymentId: Scalars['ID']['input'];
  /** required for CARD, refused for other channels */
  card?: InputMaybe<CardInput>;
  idempotencyKey: Scalars['String']['input'];
};

export type CapturePaymentInput = {
  paymentId: Scalars['ID']['input'];
  /** default: all that is capturable; less captures partially and releases the rest */
  amount?: InputMaybe<MoneyInput>;
  idempotencyKey: Scalars['String']['input'];
};

export type CancelPaymentInput = {
  paymentId: Scalars['ID']['input'];
  reason?: InputMaybe<Scalars['String']['input']>;
  idempotencyKey: Scalars['String']['input'];
};

export type RefundPaymentInput = {
  paymentId: Scalars['ID']['input'];
  /** default: all that remains refundable */
  amount?: InputMaybe<MoneyInput>;
  reason?: InputMaybe<Scalars['String']['input']>;
  idempotencyKey: Scalars['String']['input'];
};

export type SandboxOutcome =
  | 'APPROVE'
  | 'DECLINE';

export type CreateMerchantInput = {
  name: Scalars['String']['input'];
};

export type MerchantCredentials = {
  __typename?: 'MerchantCredentials';
  merchant: Merchant;
  /** shown once; only a hash is stored */
  apiKey: Scalars['String']['output'];
};

export type CreateApiKeyInput = {
  role: ApiKeyRole;
  /** required for MERCHANT; for ANALYST, absent means platform-wide */
  merchantId?: InputMaybe<Scalars['ID']['input']>;
};

export type ApiKeyCredentials = {
  __typename?: 'ApiKeyCredentials';
  apiKey: Scalars['String']['output'];
  role: ApiKeyRole;
  merchant: Maybe<Merchant>;
};

export type Query = {
  __typename?: 'Query';
  viewer: Viewer;
  payment: Maybe<Payment>;
  /** newest first; at most 100 a page */
  payments: PaymentConnection;
  merchant: Maybe<Merchant>;
  /** The caller's events, oldest first, after `after` (a cursor of this log or of paymentStatusChanged), kept EVENT_RETENTION long. MERCHANT and merchant-bound ANALYST keys: their merchant's; ADMIN and platform-wide ANALYST: every merchant's. 1 to 100 a page. */
  events: EventConnection;
  /** ADMIN: every key, or one merchant's; MERCHANT: its own merchant's keys */
  apiKeys: Array<ApiKey>;
};


export type QueryPaymentArgs = {
  id: Scalars['ID']['input'];
};


export type QueryPaymentsArgs = {
  first?: InputMaybe<Scalars['Int']['input']>;
  after?: InputMaybe<Scalars['String']['input']>;
  filter?: InputMaybe<PaymentFilter>;
};


export type QueryMerchantArgs = {
  id: Scalars['ID']['input'];
};


export type QueryEventsArgs = {
  first?: InputMaybe<Scalars['Int']['input']>;
  after?: InputMaybe<Scalars['String']['input']>;
  filter?: InputMaybe<EventFilter>;
};


export type QueryApiKeysArgs = {
  merchantId?: InputMaybe<Scalars['ID']['input']>;
};

/** One change of a payment's status, as a subscription delivers it. */
export type PaymentStatusEvent = {
  __typename?: 'PaymentStatusEvent';
  /** opaque, totally ordered per subscription; pass it as `after` to resume */
  cursor: Scalars['String']['output'];
  paymentId: Scalars['ID']['output'];
  previousStatus: Maybe<PaymentStatus>;
  status: PaymentStatus;
  occurredAt: Scalars['DateTime']['output'];
  /** the payment as it is now; any field of any subgraph may be selected */
  payment: Payment;
};

export type Subscription = {
  __typename?: 'Subscription';
  /** The caller's payments' status changes (one payment's when paymentId is given). With `after`, every change after that cursor is replayed first, then the stream goes live: no change skipped, none repeated. */
  paymentStatusChanged: PaymentStatusEvent;
};


export type SubscriptionPaymentStatusChangedArgs = {
  paymentId?: InputMaybe<Scalars['ID']['input']>;
  after?: InputMaybe<Scalars['String']['input']>;
};

export type Mutation = {
  __typename?: 'Mutation';
  createPayment: Payment;
  confirmPayment: Payment;
  capturePayment: Payment;
  cancelPayment: Payment;
  refundPayment: Refund;
  /** Sandbox only (refused in production mode): the channel's simulator acts as the payer on a payment in REQUIRES_ACTION, and the provider's result reaches the payment service the way the real provider sends it: a signed notification over HTTP. */
  sandboxPayerAction: Payment;
  /** ADMIN only */
  createMerchant: MerchantCredentials;
  /** ADMIN only */
  createApiKey: ApiKeyCredentials;
  /** ADMIN, or MERCHANT for its own merchant's keys; a revoked key is UNAUTHENTICATED at once, on every gateway, and its open subscriptions end */
  revokeApiKey: ApiKey;
  /** a new key with the same role and merchant; the old one expires as asked */
  rollApiKey: ApiKeyCredentials;
};


export type MutationCreatePaymentArgs = {
  input: CreatePaymentInput;
};


export type MutationConfirmPaymentArgs = {
  input: ConfirmPaymentInput;
};


export type MutationCapturePaymentArgs = {
  input: CapturePaymentInput;
};


export type MutationCancelPaymentArgs = {
  input: CancelPaymentInput;
};


export type MutationRefundPaymentArgs = {
  input: RefundPaymentInput;
};


export type MutationSandboxPayerActionArgs = {
  paymentId: Scalars['ID']['input'];
  outcome: SandboxOutcome;
};


export type MutationCreateMerchantArgs = {
  input: CreateMerchantInput;
};


export type MutationCreateApiKeyArgs = {
  input: CreateApiKeyInput;
};


export type MutationRevokeApiKeyArgs = {
  id: Scalars['ID']['input'];
};


export type MutationRollApiKeyArgs = {
  input: RollApiKeyInput;
};

/** One entry of a merchant's ordered event log: the log that paymentStatusChanged streams and webhooks deliver. */
export type Event = {
  __typename?: 'Event';
  id: Scalars['ID']['output'];
  /** the same opaque cursor as PaymentStatusEvent.cursor: one position, whichever way the event was received */
  cursor: Scalars['String']['output'];
  /** payment.created, payment.status_changed, refund.created, refund.status_changed */
  type: Scalars['String']['output'];
  payment: Maybe<Payment>;
  refund: Maybe<Refund>;
  /** the data object a webhook delivery of this event carries */
  data: Scalars['JSONObject']['output'];
  createdAt: Scalars['DateTime']['output'];
};

export type EventEdge = {
  __typename?: 'EventEdge';
  cursor: Scalars['String']['output'];
  node: Event;
};

export type EventConnection = {
  __typename?: 'EventConnection';
  edges: Array<EventEdge>;
  pageInfo: PageInfo;
};

export type EventFilter = {
  /** public event types; an unknown one is BAD_USER_INPUT */
  types?: InputMaybe<Array<Scalars['String']['input']>>;
  paymentId?: InputMaybe<Scalars['ID']['input']>;
};

export type ApiKey = {
  __typename?: 'ApiKey';
  id: Scalars['ID']['output'];
  /** the key's first characters, to recognise it; never the key */
  prefix: Scalars['String']['output'];
  role: ApiKeyRole;
  merchant: Maybe<Merchant>;
  createdAt: Scalars['DateTime']['output'];
  lastUsedAt: Maybe<Scalars['DateTime']['output']>;
  /** after this the key no longer works; null: no expiry */
  expiresAt: Maybe<Scalars['DateTime']['output']>;
  revokedAt: Maybe<Scalars['DateTime']['output']>;
};

export type RollApiKeyInput = {
  id: Scalars['ID']['input'];
  /** how long the old key keeps working, 0 to 604800 (7 days); default 0: it stops now */
  expiresInSeconds?: InputMaybe<Scalars['Int']['input']>;
};



export type ResolverTypeWrapper<T> = Promise<T> | T;

export type ReferenceResolver<TResult, TReference, TContext> = (
      reference: TReference,
      context: TContext,
      info: GraphQLResolveInfo
    ) => Promise<TResult> | TResult;

      type ScalarCheck<T, S> = S extends true ? T : NullableCheck<T, S>;
      type NullableCheck<T, S> = Maybe<T> extends T ? Maybe<ListCheck<NonNullable<T>, S>> : ListCheck<T, S>;
      type ListCheck<T, S> = T extends (infer U)[] ? NullableCheck<U, S>[] : GraphQLRecursivePick<T, S>;
      export type GraphQLRecursivePick<T, S> = { [K in keyof T & keyof S]: ScalarCheck<T[K], S[K]> };
    

export type ResolverWithResolve<TResult, TParent, TContext, TArgs> = {
  resolve: ResolverFn<TResult, TParent, TContext, TArgs>;
};
export type Resolver<TResult, TParent = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>, TArgs = Record<PropertyKey, never>> = ResolverFn<TResult, TParent, TContext, TArgs> | ResolverWithResolve<TResult, TParent, TContext, TArgs>;

export type ResolverFn<TResult, TParent, TContext, TArgs> = (
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => Promise<TResult> | TResult;

export type SubscriptionSubscribeFn<TResult, TParent, TContext, TArgs> = (
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => AsyncIterable<TResult> | Promise<AsyncIterable<TResult>>;

export type SubscriptionResolveFn<TResult, TParent, TContext, TArgs> = (
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => TResult | Promise<TResult>;

export interface SubscriptionSubscriberObject<TResult, TKey extends string, TParent, TContext, TArgs> {
  subscribe: SubscriptionSubscribeFn<{ [key in TKey]: TResult }, TParent, TContext, TArgs>;
  resolve?: SubscriptionResolveFn<TResult, { [key in TKey]: TResult }, TContext, TArgs>;
}

export interface SubscriptionResolverObject<TResult, TParent, TContext, TArgs> {
  subscribe: SubscriptionSubscribeFn<any, TParent, TContext, TArgs>;
  resolve: SubscriptionResolveFn<TResult, any, TContext, TArgs>;
}

export type SubscriptionObject<TResult, TKey extends string, TParent, TContext, TArgs> =
  | SubscriptionSubscriberObject<TResult, TKey, TParent, TContext, TArgs>
  | SubscriptionResolverObject<TResult, TParent, TContext, TArgs>;

export type SubscriptionResolver<TResult, TKey extends string, TParent = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>, TArgs = Record<PropertyKey, never>> =
  | ((...args: any[]) => SubscriptionObject<TResult, TKey, TParent, TContext, TArgs>)
  | SubscriptionObject<TResult, TKey, TParent, TContext, TArgs>;

export type TypeResolveFn<TTypes, TParent = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>> = (
  parent: TParent,
  context: TContext,
  info: GraphQLResolveInfo
) => Maybe<TTypes> | Promise<Maybe<TTypes>>;

export type IsTypeOfResolverFn<T = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>> = (obj: T, context: TContext, info: GraphQLResolveInfo) => boolean | Promise<boolean>;

export type NextResolverFn<T> = () => Promise<T>;

export type DirectiveResolverFn<TResult = Record<PropertyKey, never>, TParent = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>, TArgs = Record<PropertyKey, never>> = (
  next: NextResolverFn<TResult>,
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => TResult | Promise<TResult>;

/** Mapping of federation types */
export type FederationTypes = {
  Merchant: Merchant;
  Payment: Payment;
  Refund: Refund;
  Event: Event;
};

/** Mapping of federation reference types */
export type FederationReferenceTypes = {
  Merchant:
    ( { __typename: 'Merchant' }
    & GraphQLRecursivePick<FederationTypes['Merchant'], {"id":true}> );
  Payment:
    ( { __typename: 'Payment' }
    & GraphQLRecursivePick<FederationTypes['Payment'], {"id":true}> );
  Refund:
    ( { __typename: 'Refund' }
    & GraphQLRecursivePick<FederationTypes['Refund'], {"id":true}> );
  Event:
    ( { __typename: 'Event' }
    & GraphQLRecursivePick<FederationTypes['Event'], {"id":true}> );
};



/** Mapping between all available schema types and the resolvers types */
export type ResolversTypes = {
  DateTime: ResolverTypeWrapper<Scalars['DateTime']['output']>;
  Decimal: ResolverTypeWrapper<Scalars['Decimal']['output']>;
  JSONObject: ResolverTypeWrapper<Scalars['JSONObject']['output']>;
  Money: ResolverTypeWrapper<MoneyModel>;
  MoneyInput: MoneyInput;
  PageInfo: ResolverTypeWrapper<PageInfo>;
  Merchant: ResolverTypeWrapper<MerchantModel>;
  ID: ResolverTypeWrapper<Scalars['ID']['output']>;
  ApiKeyRole: ApiKeyRole;
  Viewer: ResolverTypeWrapper<PrincipalModel>;
  PaymentChannel: PaymentChannel;
  CaptureMethod: CaptureMethod;
  PaymentStatus: PaymentStatus;
  NextActionType: NextActionType;
  NextAction: ResolverTypeWrapper<NextAction>;
  CardSummary: ResolverTypeWrapper<CardSummary>;
  Int: ResolverTypeWrapper<Scalars['Int']['output']>;
  Payment: ResolverTypeWrapper<PaymentModel>;
  RefundStatus: RefundStatus;
  Refund: ResolverTypeWrapper<RefundModel>;
  PaymentEdge: ResolverTypeWrapper<Omit<PaymentEdge, 'node'> & { node: ResolversTypes['Payment'] }>;
  PaymentConnection: ResolverTypeWrapper<Omit<PaymentConnection, 'edges'> & { edges: Array<ResolversTypes['PaymentEdge']> }>;
  PaymentFilter: PaymentFilter;
  CreatePaymentInput: CreatePaymentInput;
  CardInput: CardInput;
  ConfirmPaymentInput: ConfirmPaymentInput;
  CapturePaymentInput: CapturePaymentInput;
  CancelPaymentInput: CancelPaymentInput;
  RefundPaymentInput: RefundPaymentInput;
  SandboxOutcome: SandboxOutcome;
  CreateMerchantInput: CreateMerchantInput;
  MerchantCredentials: ResolverTypeWrapper<Omit<MerchantCredentials, 'merchant'> & { merchant: ResolversTypes['Merchant'] }>;
  CreateApiKeyInput: CreateApiKeyInput;
  ApiKeyCredentials: ResolverTypeWrapper<Omit<ApiKeyCredentials, 'merchant'> & { merchant?: Maybe<ResolversTypes['Merchant']> }>;
  Query: ResolverTypeWrapper<Record<PropertyKey, never>>;
  PaymentStatusEvent: ResolverTypeWrapper<PaymentStatusEventRecordModel>;
  Subscription: ResolverTypeWrapper<Record<PropertyKey, never>>;
  Mutation: ResolverTypeWrapper<Record<PropertyKey, never>>;
  Event: ResolverTypeWrapper<PartnerEventRecordModel>;
  EventEdge: ResolverTypeWrapper<Omit<EventEdge, 'node'> & { node: ResolversTypes['Event'] }>;
  EventConnection: ResolverTypeWrapper<Omit<EventConnection, 'edges'> & { edges: Array<ResolversTypes['EventEdge']> }>;
  EventFilter: EventFilter;
  ApiKey: ResolverTypeWrapper<ApiKeyModel>;
  RollApiKeyInput: RollApiKeyInput;
  String: ResolverTypeWrapper<Scalars['String']['output']>;
  Boolean: ResolverTypeWrapper<Scalars['Boolean']['output']>;
};

/** Mapping between all available schema types and the resolvers parents */
export type ResolversParentTypes = {
  DateTime: Scalars['DateTime']['output'];
  Decimal: Scalars['Decimal']['output'];
  JSONObject: Scalars['JSONObject']['output'];
  Money: MoneyModel;
  MoneyInput: MoneyInput;
  PageInfo: PageInfo;
  Merchant: MerchantModel;
  ID: Scalars['ID']['output'];
  Viewer: PrincipalModel;
  NextAction: NextAction;
  CardSummary: CardSummary;
  Int: Scalars['Int']['output'];
  Payment: PaymentModel;
  Refund: RefundModel;
  PaymentEdge: Omit<PaymentEdge, 'node'> & { node: ResolversParentTypes['Payment'] };
  PaymentConnection: Omit<PaymentConnection, 'edges'> & { edges: Array<ResolversParentTypes['PaymentEdge']> };
  PaymentFilter: PaymentFilter;
  CreatePaymentInput: CreatePaymentInput;
  CardInput: CardInput;
  ConfirmPaymentInput: ConfirmPaymentInput;
  CapturePaymentInput: CapturePaymentInput;
  CancelPaymentInput: CancelPaymentInput;
  RefundPaymentInput: RefundPaymentInput;
  CreateMerchantInput: CreateMerchantInput;
  MerchantCredentials: Omit<MerchantCredentials, 'merchant'> & { merchant: ResolversParentTypes['Merchant'] };
  CreateApiKeyInput: CreateApiKeyInput;
  ApiKeyCredentials: Omit<ApiKeyCredentials, 'merchant'> & { merchant?: Maybe<ResolversParentTypes['Merchant']> };
  Query: Record<PropertyKey, never>;
  PaymentStatusEvent: PaymentStatusEventRecordModel;
  Subscription: Record<PropertyKey, never>;
  Mutation: Record<PropertyKey, never>;
  Event: PartnerEventRecordModel;
  EventEdge: Omit<EventEdge, 'node'> & { node: ResolversParentTypes['Event'] };
  EventConnection: Omit<EventConnection, 'edges'> & { edges: Array<ResolversParentTypes['EventEdge']> };
  EventFilter: EventFilter;
  ApiKey: ApiKeyModel;
  RollApiKeyInput: RollApiKeyInput;
  String: Scalars['String']['output'];
  Boolean: Scalars['Boolean']['output'];
};

export type ShareableDirectiveArgs = { };

export type ShareableDirectiveResolver<Result, Parent, ContextType = Context, Args = ShareableDirectiveArgs> = DirectiveResolverFn<Result, Parent, ContextType, Args>;

export interface DateTimeScalarConfig extends GraphQLScalarTypeConfig<ResolversTypes['DateTime'], any> {
  name: 'DateTime';
}

export interface DecimalScalarConfig extends GraphQLScalarTypeConfig<ResolversTypes['Decimal'], any> {
  name: 'Decimal';
}

export interface JsonObjectScalarConfig extends GraphQLScalarTypeConfig<ResolversTypes['JSONObject'], any> {
  name: 'JSONObject';
}

export type MoneyResolvers<ContextType = Context, ParentType extends ResolversParentTypes['Money'] = ResolversParentTypes['Money']> = {
  amount?: Resolver<ResolversTypes['Decimal'], ParentType, ContextType>;
  currency?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  minorUnits?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
};

export type PageInfoResolvers<ContextType = Context, ParentType extends ResolversParentTypes['PageInfo'] = ResolversParentTypes['PageInfo']> = {
  hasNextPage?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  endCursor?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
};

export type MerchantResolvers<ContextType = Context, ParentType extends ResolversParentTypes['Merchant'] = ResolversParentTypes['Merchant'], FederationReferenceType extends FederationReferenceTypes['Merchant'] = FederationReferenceTypes['Merchant']> = {
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['Merchant']> | FederationReferenceType, FederationReferenceType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  name?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  createdAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
};

export type ViewerResolvers<ContextType = Context, ParentType extends ResolversParentTypes['Viewer'] = ResolversParentTypes['Viewer']> = {
  role?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  merchant?: Resolver<Maybe<ResolversTypes['Merchant']>, ParentType, ContextType>;
};

export type NextActionResolvers<ContextType = Context, ParentType extends ResolversParentTypes['NextAction'] = ResolversParentTypes['NextAction']> = {
  type?: Resolver<ResolversTypes['NextActionType'], ParentType, ContextType>;
  url?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
};

export type CardSummaryResolvers<ContextType = Context, ParentType extends ResolversParentTypes['CardSummary'] = ResolversParentTypes['CardSummary']> = {
  brand?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  last4?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  expMonth?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  expYear?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
};

export type PaymentResolvers<ContextType = Context, ParentType extends ResolversParentTypes['Payment'] = ResolversParentTypes['Payment'], FederationReferenceType extends FederationReferenceTypes['Payment'] = FederationReferenceTypes['Payment']> = {
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['Payment']> | FederationReferenceType, FederationReferenceType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  merchant?: Resolver<ResolversTypes['Merchant'], ParentType, ContextType>;
  amount?: Resolver<ResolversTypes['Money'], ParentType, ContextType>;
  amountCapturable?: Resolver<ResolversTypes['Money'], ParentType, ContextType>;
  amountReceived?: Resolver<ResolversTypes['Money'], ParentType, ContextType>;
  amountRefunded?: Resolver<ResolversTypes['Money'], ParentType, ContextType>;
  channel?: Resolver<ResolversTypes['PaymentChannel'], ParentType, ContextType>;
  captureMethod?: Resolver<ResolversTypes['CaptureMethod'], ParentType, ContextType>;
  status?: Resolver<ResolversTypes['PaymentStatus'], ParentType, ContextType>;
  nextAction?: Resolver<Maybe<ResolversTypes['NextAction']>, ParentType, ContextType>;
  failureCode?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  failureMessage?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  description?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  metadata?: Resolver<Maybe<ResolversTypes['JSONObject']>, ParentType, ContextType>;
  card?: Resolver<Maybe<ResolversTypes['CardSummary']>, ParentType, ContextType>;
  cancellationReason?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  refunds?: Resolver<Array<ResolversTypes['Refund']>, ParentType, ContextType>;
  createdAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  updatedAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
};

export type RefundResolvers<ContextType = Context, ParentType extends ResolversParentTypes['Refund'] = ResolversParentTypes['Refund'], FederationReferenceType extends FederationReferenceTypes['Refund'] = FederationReferenceTypes['Refund']> = {
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['Refund']> | FederationReferenceType, FederationReferenceType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  payment?: Resolver<ResolversTypes['Payment'], ParentType, ContextType>;
  amount?: Resolver<ResolversTypes['Money'], ParentType, ContextType>;
  status?: Resolver<ResolversTypes['RefundStatus'], ParentType, ContextType>;
  reason?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  failureCode?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  createdAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  updatedAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
};

export type PaymentEdgeResolvers<ContextType = Context, ParentType extends ResolversParentTypes['PaymentEdge'] = ResolversParentTypes['PaymentEdge']> = {
  cursor?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  node?: Resolver<ResolversTypes['Payment'], ParentType, ContextType>;
};

export type PaymentConnectionResolvers<ContextType = Context, ParentType extends ResolversParentTypes['PaymentConnection'] = ResolversParentTypes['PaymentConnection']> = {
  edges?: Resolver<Array<ResolversTypes['PaymentEdge']>, ParentType, ContextType>;
  pageInfo?: Resolver<ResolversTypes['PageInfo'], ParentType, ContextType>;
};

export type MerchantCredentialsResolvers<ContextType = Context, ParentType extends ResolversParentTypes['MerchantCredentials'] = ResolversParentTypes['MerchantCredentials']> = {
  merchant?: Resolver<ResolversTypes['Merchant'], ParentType, ContextType>;
  apiKey?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
};

export type ApiKeyCredentialsResolvers<ContextType = Context, ParentType extends ResolversParentTypes['ApiKeyCredentials'] = ResolversParentTypes['ApiKeyCredentials']> = {
  apiKey?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  role?: Resolver<ResolversTypes['ApiKeyRole'], ParentType, ContextType>;
  merchant?: Resolver<Maybe<ResolversTypes['Merchant']>, ParentType, ContextType>;
};

export type QueryResolvers<ContextType = Context, ParentType extends ResolversParentTypes['Query'] = ResolversParentTypes['Query']> = {
  viewer?: Resolver<ResolversTypes['Viewer'], ParentType, ContextType>;
  payment?: Resolver<Maybe<ResolversTypes['Payment']>, ParentType, ContextType, RequireFields<QueryPaymentArgs, 'id'>>;
  payments?: Resolver<ResolversTypes['PaymentConnection'], ParentType, ContextType, RequireFields<QueryPaymentsArgs, 'first'>>;
  merchant?: Resolver<Maybe<ResolversTypes['Merchant']>, ParentType, ContextType, RequireFields<QueryMerchantArgs, 'id'>>;
  events?: Resolver<ResolversTypes['EventConnection'], ParentType, ContextType, RequireFields<QueryEventsArgs, 'first'>>;
  apiKeys?: Resolver<Array<ResolversTypes['ApiKey']>, ParentType, ContextType, Partial<QueryApiKeysArgs>>;
};

export type PaymentStatusEventResolvers<ContextType = Context, ParentType extends ResolversParentTypes['PaymentStatusEvent'] = ResolversParentTypes['PaymentStatusEvent']> = {
  cursor?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  paymentId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  previousStatus?: Resolver<Maybe<ResolversTypes['PaymentStatus']>, ParentType, ContextType>;
  status?: Resolver<ResolversTypes['PaymentStatus'], ParentType, ContextType>;
  occurredAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  payment?: Resolver<ResolversTypes['Payment'], ParentType, ContextType>;
};

export type SubscriptionResolvers<ContextType = Context, ParentType extends ResolversParentTypes['Subscription'] = ResolversParentTypes['Subscription']> = {
  paymentStatusChanged?: SubscriptionResolver<ResolversTypes['PaymentStatusEvent'], "paymentStatusChanged", ParentType, ContextType, Partial<SubscriptionPaymentStatusChangedArgs>>;
};

export type MutationResolvers<ContextType = Context, ParentType extends ResolversParentTypes['Mutation'] = ResolversParentTypes['Mutation']> = {
  createPayment?: Resolver<ResolversTypes['Payment'], ParentType, ContextType, RequireFields<MutationCreatePaymentArgs, 'input'>>;
  confirmPayment?: Resolver<ResolversTypes['Payment'], ParentType, ContextType, RequireFields<MutationConfirmPaymentArgs, 'input'>>;
  capturePayment?: Resolver<ResolversTypes['Payment'], ParentType, ContextType, RequireFields<MutationCapturePaymentArgs, 'input'>>;
  cancelPayment?: Resolver<ResolversTypes['Payment'], ParentType, ContextType, RequireFields<MutationCancelPaymentArgs, 'input'>>;
  refundPayment?: Resolver<ResolversTypes['Refund'], ParentType, ContextType, RequireFields<MutationRefundPaymentArgs, 'input'>>;
  sandboxPayerAction?: Resolver<ResolversTypes['Payment'], ParentType, ContextType, RequireFields<MutationSandboxPayerActionArgs, 'paymentId' | 'outcome'>>;
  createMerchant?: Resolver<ResolversTypes['MerchantCredentials'], ParentType, ContextType, RequireFields<MutationCreateMerchantArgs, 'input'>>;
  createApiKey?: Resolver<ResolversTypes['ApiKeyCredentials'], ParentType, ContextType, RequireFields<MutationCreateApiKeyArgs, 'input'>>;
  revokeApiKey?: Resolver<ResolversTypes['ApiKey'], ParentType, ContextType, RequireFields<MutationRevokeApiKeyArgs, 'id'>>;
  rollApiKey?: Resolver<ResolversTypes['ApiKeyCredentials'], ParentType, ContextType, RequireFields<MutationRollApiKeyArgs, 'input'>>;
};

export type EventResolvers<ContextType = Context, ParentType extends ResolversParentTypes['Event'] = ResolversParentTypes['Event'], FederationReferenceType extends FederationReferenceTypes['Event'] = FederationReferenceTypes['Event']> = {
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['Event']> | FederationReferenceType, FederationReferenceType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  cursor?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  type?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  payment?: Resolver<Maybe<ResolversTypes['Payment']>, ParentType, ContextType>;
  refund?: Resolver<Maybe<ResolversTypes['Refund']>, ParentType, ContextType>;
  data?: Resolver<ResolversTypes['JSONObject'], ParentType, ContextType>;
  createdAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
};

export type EventEdgeResolvers<ContextType = Context, ParentType extends ResolversParentTypes['EventEdge'] = ResolversParentTypes['EventEdge']> = {
  cursor?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  node?: Resolver<ResolversTypes['Event'], ParentType, ContextType>;
};

export type EventConnectionResolvers<ContextType = Context, ParentType extends ResolversParentTypes['EventConnection'] = ResolversParentTypes['EventConnection']> = {
  edges?: Resolver<Array<ResolversTypes['EventEdge']>, ParentType, ContextType>;
  pageInfo?: Resolver<ResolversTypes['PageInfo'], ParentType, ContextType>;
};

export type ApiKeyResolvers<ContextType = Context, ParentType extends ResolversParentTypes['ApiKey'] = ResolversParentTypes['ApiKey']> = {
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  prefix?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  role?: Resolver<ResolversTypes['ApiKeyRole'], ParentType, ContextType>;
  merchant?: Resolver<Maybe<ResolversTypes['Merchant']>, ParentType, ContextType>;
  createdAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  lastUsedAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  expiresAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  revokedAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
};

export type Resolvers<ContextType = Context> = {
  DateTime?: GraphQLScalarType;
  Decimal?: GraphQLScalarType;
  JSONObject?: GraphQLScalarType;
  Money?: MoneyResolvers<ContextType>;
  PageInfo?: PageInfoResolvers<ContextType>;
  Merchant?: MerchantResolvers<ContextType>;
  Viewer?: ViewerResolvers<ContextType>;
  NextAction?: NextActionResolvers<ContextType>;
  CardSummary?: CardSummaryResolvers<ContextType>;
  Payment?: PaymentResolvers<ContextType>;
  Refund?: RefundResolvers<ContextType>;
  PaymentEdge?: PaymentEdgeResolvers<ContextType>;
  PaymentConnection?: PaymentConnectionResolvers<ContextType>;
  MerchantCredentials?: MerchantCredentialsResolvers<ContextType>;
  ApiKeyCredentials?: ApiKeyCredentialsResolvers<ContextType>;
  Query?: QueryResolvers<ContextType>;
  PaymentStatusEvent?: PaymentStatusEventResolvers<ContextType>;
  Subscription?: SubscriptionResolvers<ContextType>;
  Mutation?: MutationResolvers<ContextType>;
  Event?: EventResolvers<ContextType>;
  EventEdge?: EventEdgeResolvers<ContextType>;
  EventConnection?: EventConnectionResolvers<ContextType>;
  ApiKey?: ApiKeyResolvers<ContextType>;
};

export type DirectiveResolvers<ContextType = Context> = {
  shareable?: ShareableDirectiveResolver<any, any, ContextType>;
};
