// Written by scripts/codegen.ts from schema.graphql: do not edit.
/* eslint-disable */
import type { GraphQLResolveInfo, GraphQLScalarType, GraphQLScalarTypeConfig } from 'graphql';
import type { MerchantModel as MerchantModelModel } from '../mappers.js';
import type { MetricsRow as MetricsRowModel } from '../services/metrics.js';
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
};

export type PaymentChannel =
  | 'CARD'
  | 'ALIPAY'
  | 'WECHAT_PAY';

export type PaymentStatus =
  | 'REQUIRES_CONFIRMATION'
  | 'REQUIRES_ACTION'
  | 'PROCESSING'
  | 'REQUIRES_CAPTURE'
  | 'SUCCEEDED'
  | 'FAILED'
  | 'CANCELED';

/** A merchant, resolved by the payment subgraph: analytics only names it. */
export type Merchant = {
  __typename?: 'Merchant';
  id: Scalars['ID']['output'];
};

export type Measure =
  /** captured amount */
  | 'GMV'
  | 'PAYMENT_COUNT'
  | 'SUCCEEDED_COUNT'
  | 'FAILED_COUNT'
  /** SUCCEEDED_COUNT / (SUCCEEDED_COUNT + FAILED_COUNT) */
  | 'SUCCESS_RATE'
  | 'REFUNDED_AMOUNT'
  /** REFUNDED_AMOUNT / GMV */
  | 'REFUND_RATE'
  | 'FEE_REVENUE'
  /** GMV / SUCCEEDED_COUNT */
  | 'AVERAGE_TICKET';

export type Dimension =
  | 'CHANNEL'
  | 'MERCHANT'
  | 'CURRENCY'
  | 'STATUS';

export type TimeGranularity =
  | 'HOUR'
  | 'DAY'
  | 'WEEK'
  | 'MONTH';

export type MetricsFilter = {
  merchantIds?: InputMaybe<Array<Scalars['ID']['input']>>;
  channels?: InputMaybe<Array<PaymentChannel>>;
  currencies?: InputMaybe<Array<Scalars['String']['input']>>;
};

/** Half-open time range [from, to) on the payment's creation time. Amount measures are always split by currency, even when CURRENCY is not asked for: amounts of different currencies are never added. */
export type MetricsQuery = {
  measures: Array<Measure>;
  dimensions?: InputMaybe<Array<Dimension>>;
  granularity?: InputMaybe<TimeGranularity>;
  from: Scalars['DateTime']['input'];
  to: Scalars['DateTime']['input'];
  filter?: InputMaybe<MetricsFilter>;
};

export type MeasureValue = {
  __typename?: 'MeasureValue';
  measure: Measure;
  /** exact decimal; rates as a fraction between 0 and 1 */
  value: Scalars['Decimal']['output'];
};

export type MetricsRow = {
  __typename?: 'MetricsRow';
  /** start of the time bucket, when a granularity was asked for */
  bucket: Maybe<Scalars['DateTime']['output']>;
  channel: Maybe<PaymentChannel>;
  merchant: Maybe<Merchant>;
  currency: Maybe<Scalars['String']['output']>;
  status: Maybe<PaymentStatus>;
  values: Array<MeasureValue>;
};

export type MetricsResult = {
  __typename?: 'MetricsResult';
  rows: Array<MetricsRow>;
};

export type Query = {
  __typename?: 'Query';
  /**
   * Counts and sums of the payments created in [from, to), grouped by the dimensions asked for and the
   * time bucket of the granularity (UTC; WEEK is the ISO week from Monday 00:00). Only groups with
   * payments are answered, ordered by bucket, channel, merchant, currency and status.
   * Amount measures (GMV, REFUNDED_AMOUNT, FEE_REVENUE, AVERAGE_TICKET) and REFUND_RATE are per currency:
   * when one is asked for, rows are split by currency (and carry it) even without CURRENCY, and every
   * measure of such a row counts that currency's payments only.
   * Amounts have exactly their currency's decimals; AVERAGE_TICKET is rounded half up to the currency's
   * minor unit. SUCCESS_RATE and REFUND_RATE have exactly 6 decimals, rounded half up. A rate or average
   * whose denominator is zero in a row (no SUCCEEDED or FAILED payment, no GMV, no SUCCEEDED payment) is
   * left out of that row's values.
   * An empty filter list restricts nothing. A MERCHANT key or a merchant-bound ANALYST key counts only its
   * own merchant, whatever filter.merchantIds says (naming only other merchants answers no rows). BAD_USER_INPUT: no measure, `to` not after `from`, a currency that is not ISO 4217, HOUR over more
   * than 31 days.
   */
  metrics: MetricsResult;
};


export type QueryMetricsArgs = {
  query: MetricsQuery;
};



export type ResolverTypeWrapper<T> = Promise<T> | T;


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





/** Mapping between all available schema types and the resolvers types */
export type ResolversTypes = {
  DateTime: ResolverTypeWrapper<Scalars['DateTime']['output']>;
  Decimal: ResolverTypeWrapper<Scalars['Decimal']['output']>;
  PaymentChannel: PaymentChannel;
  PaymentStatus: PaymentStatus;
  Merchant: ResolverTypeWrapper<MerchantModelModel>;
  ID: ResolverTypeWrapper<Scalars['ID']['output']>;
  Measure: Measure;
  Dimension: Dimension;
  TimeGranularity: TimeGranularity;
  MetricsFilter: MetricsFilter;
  MetricsQuery: MetricsQuery;
  MeasureValue: ResolverTypeWrapper<MeasureValue>;
  MetricsRow: ResolverTypeWrapper<MetricsRowModel>;
  MetricsResult: ResolverTypeWrapper<Omit<MetricsResult, 'rows'> & { rows: Array<ResolversTypes['MetricsRow']> }>;
  Query: ResolverTypeWrapper<Record<PropertyKey, never>>;
  String: ResolverTypeWrapper<Scalars['String']['output']>;
  Boolean: ResolverTypeWrapper<Scalars['Boolean']['output']>;
};

/** Mapping between all available schema types and the resolvers parents */
export type ResolversParentTypes = {
  DateTime: Scalars['DateTime']['output'];
  Decimal: Scalars['Decimal']['output'];
  Merchant: MerchantModelModel;
  ID: Scalars['ID']['output'];
  MetricsFilter: MetricsFilter;
  MetricsQuery: MetricsQuery;
  MeasureValue: MeasureValue;
  MetricsRow: MetricsRowModel;
  MetricsResult: Omit<MetricsResult, 'rows'> & { rows: Array<ResolversParentTypes['MetricsRow']> };
  Query: Record<PropertyKey, never>;
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

export type MerchantResolvers<ContextType = Context, ParentType extends ResolversParentTypes['Merchant'] = ResolversParentTypes['Merchant']> = {
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
};

export type MeasureValueResolvers<ContextType = Context, ParentType extends ResolversParentTypes['MeasureValue'] = ResolversParentTypes['MeasureValue']> = {
  measure?: Resolver<ResolversTypes['Measure'], ParentType, ContextType>;
  value?: Resolver<ResolversTypes['Decimal'], ParentType, ContextType>;
};

export type MetricsRowResolvers<ContextType = Context, ParentType extends ResolversParentTypes['MetricsRow'] = ResolversParentTypes['MetricsRow']> = {
  bucket?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  channel?: Resolver<Maybe<ResolversTypes['PaymentChannel']>, ParentType, ContextType>;
  merchant?: Resolver<Maybe<ResolversTypes['Merchant']>, ParentType, ContextType>;
  currency?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  status?: Resolver<Maybe<ResolversTypes['PaymentStatus']>, ParentType, ContextType>;
  values?: Resolver<Array<ResolversTypes['MeasureValue']>, ParentType, ContextType>;
};

export type MetricsResultResolvers<ContextType = Context, ParentType extends ResolversParentTypes['MetricsResult'] = ResolversParentTypes['MetricsResult']> = {
  rows?: Resolver<Array<ResolversTypes['MetricsRow']>, ParentType, ContextType>;
};

export type QueryResolvers<ContextType = Context, ParentType extends ResolversParentTypes['Query'] = ResolversParentTypes['Query']> = {
  metrics?: Resolver<ResolversTypes['MetricsResult'], ParentType, ContextType, RequireFields<QueryMetricsArgs, 'query'>>;
};

export type Resolvers<ContextType = Context> = {
  DateTime?: GraphQLScalarType;
  Decimal?: GraphQLScalarType;
  Merchant?: MerchantResolvers<ContextType>;
  MeasureValue?: MeasureValueResolvers<ContextType>;
  MetricsRow?: MetricsRowResolvers<ContextType>;
  MetricsResult?: MetricsResultResolvers<ContextType>;
  Query?: QueryResolvers<ContextType>;
};

export type DirectiveResolvers<ContextType = Context> = {
  shareable?: ShareableDirectiveResolver<any, any, ContextType>;
};
