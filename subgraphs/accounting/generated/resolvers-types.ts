// Written by scripts/codegen.ts from schema.graphql: do not edit.
/* eslint-disable */
import type { GraphQLResolveInfo, GraphQLScalarType, GraphQLScalarTypeConfig } from 'graphql';
import type { Money as MoneyModel } from '../../../lib/money.js';
import type { PaymentModel as PaymentModelModel, MerchantModel as MerchantModelModel } from '../mappers.js';
import type { LedgerEntry as LedgerEntryModel } from '../entities/LedgerEntry.js';
import type { MerchantBalance as MerchantBalanceModel } from '../services/balances.js';
import type { LedgerVerification as LedgerVerificationModel } from '../services/verification.js';
import type { ReconciliationReport as ReconciliationReportModel } from '../entities/ReconciliationReport.js';
import type { ReconciliationDiscrepancy as ReconciliationDiscrepancyModel } from '../entities/ReconciliationDiscrepancy.js';
import type { Context } from '../context.js';
export type Maybe<T> = T | null;
export type InputMaybe<T> = T | null | undefined;
export type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
export type MakeOptional<T, K extends keyof T> = Omit<T, K> & { [SubKey in K]?: Maybe<T[SubKey]> };
export type MakeMaybe<T, K extends keyof T> = Omit<T, K> & { [SubKey in K]: Maybe<T[SubKey]> };
export type MakeEmpty<T extends { [key: string]: unknown }, K extends keyof T> = { [_ in K]?: never };
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
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

export type EntrySide =
  | 'DEBIT'
  | 'CREDIT';

export type LedgerEntry = {
  __typename?: 'LedgerEntry';
  id: Scalars['ID']['output'];
  journalId: Scalars['ID']['output'];
  /** e.g. merchant:<id>:pending, provider:ALIPAY:clearing, platform:fees */
  account: Scalars['String']['output'];
  side: EntrySide;
  amount: Money;
  postedAt: Scalars['DateTime']['output'];
};

/** One Money per currency held. */
export type Balance = {
  __typename?: 'Balance';
  available: Array<Money>;
  pending: Array<Money>;
};

export type Payment = {
  __typename?: 'Payment';
  id: Scalars['ID']['output'];
  /** the journals' entries of this payment in posting order: capture, refunds, settlement */
  ledgerEntries: Array<LedgerEntry>;
  /** null until captured */
  fee: Maybe<Money>;
  /** amountReceived minus fee; null until captured */
  net: Maybe<Money>;
};

export type Merchant = {
  __typename?: 'Merchant';
  id: Scalars['ID']['output'];
  balance: Balance;
};

export type LedgerVerification = {
  __typename?: 'LedgerVerification';
  ok: Scalars['Boolean']['output'];
  /** ledger entries checked, up to the first invalid journal when there is one */
  entriesChecked: Scalars['Int']['output'];
  /** the first entry of the first journal whose sequence or hash does not match */
  firstInvalidEntryId: Maybe<Scalars['ID']['output']>;
  /** the chain's hash recomputed up to the last journal that verified */
  headHash: Scalars['String']['output'];
};

export type PaymentChannel =
  | 'CARD'
  | 'ALIPAY'
  | 'WECHAT_PAY';

export type DiscrepancyType =
  | 'MISSING_INTERNAL'
  | 'MISSING_PROVIDER'
  | 'AMOUNT_MISMATCH'
  | 'STATUS_MISMATCH'
  | 'DUPLICATE';

export type Discrepancy = {
  __typename?: 'Discrepancy';
  type: DiscrepancyType;
  paymentId: Maybe<Scalars['ID']['output']>;
  providerReference: Maybe<Scalars['String']['output']>;
  expected: Maybe<Money>;
  actual: Maybe<Money>;
  detail: Scalars['String']['output'];
};

export type ReconciliationReport = {
  __typename?: 'ReconciliationReport';
  id: Scalars['ID']['output'];
  channel: PaymentChannel;
  /** YYYY-MM-DD, the provider's statement day */
  date: Scalars['String']['output'];
  matched: Scalars['Int']['output'];
  discrepancies: Array<Discrepancy>;
};

export type RunReconciliationInput = {
  channel: PaymentChannel;
  date: Scalars['String']['input'];
};

export type Query = {
  __typename?: 'Query';
  /** ADMIN only: recomputes the ledger's hash chain */
  verifyLedger: LedgerVerification;
  reconciliationReport: Maybe<ReconciliationReport>;
};


export type QueryReconciliationReportArgs = {
  id: Scalars['ID']['input'];
};

export type Mutation = {
  __typename?: 'Mutation';
  /** ADMIN only: fetches the channel's statement for that day, the way the provider offers it, and matches it against the ledger */
  runReconciliation: ReconciliationReport;
};


export type MutationRunReconciliationArgs = {
  input: RunReconciliationInput;
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
  Payment: Payment;
  Merchant: Merchant;
};

/** Mapping of federation reference types */
export type FederationReferenceTypes = {
  Payment:
    ( { __typename: 'Payment' }
    & GraphQLRecursivePick<FederationTypes['Payment'], {"id":true}> );
  Merchant:
    ( { __typename: 'Merchant' }
    & GraphQLRecursivePick<FederationTypes['Merchant'], {"id":true}> );
};



/** Mapping between all available schema types and the resolvers types */
export type ResolversTypes = {
  DateTime: ResolverTypeWrapper<Scalars['DateTime']['output']>;
  Decimal: ResolverTypeWrapper<Scalars['Decimal']['output']>;
  Money: ResolverTypeWrapper<MoneyModel>;
  EntrySide: EntrySide;
  LedgerEntry: ResolverTypeWrapper<LedgerEntryModel>;
  ID: ResolverTypeWrapper<Scalars['ID']['output']>;
  Balance: ResolverTypeWrapper<MerchantBalanceModel>;
  Payment: ResolverTypeWrapper<PaymentModelModel>;
  Merchant: ResolverTypeWrapper<MerchantModelModel>;
  LedgerVerification: ResolverTypeWrapper<LedgerVerificationModel>;
  Int: ResolverTypeWrapper<Scalars['Int']['output']>;
  PaymentChannel: PaymentChannel;
  DiscrepancyType: DiscrepancyType;
  Discrepancy: ResolverTypeWrapper<ReconciliationDiscrepancyModel>;
  ReconciliationReport: ResolverTypeWrapper<ReconciliationReportModel>;
  RunReconciliationInput: RunReconciliationInput;
  Query: ResolverTypeWrapper<Record<PropertyKey, never>>;
  Mutation: ResolverTypeWrapper<Record<PropertyKey, never>>;
  String: ResolverTypeWrapper<Scalars['String']['output']>;
  Boolean: ResolverTypeWrapper<Scalars['Boolean']['output']>;
};

/** Mapping between all available schema types and the resolvers parents */
export type ResolversParentTypes = {
  DateTime: Scalars['DateTime']['output'];
  Decimal: Scalars['Decimal']['output'];
  Money: MoneyModel;
  LedgerEntry: LedgerEntryModel;
  ID: Scalars['ID']['output'];
  Balance: MerchantBalanceModel;
  Payment: PaymentModelModel;
  Merchant: MerchantModelModel;
  LedgerVerification: LedgerVerificationModel;
  Int: Scalars['Int']['output'];
  Discrepancy: ReconciliationDiscrepancyModel;
  ReconciliationReport: ReconciliationReportModel;
  RunReconciliationInput: RunReconciliationInput;
  Query: Record<PropertyKey, never>;
  Mutation: Record<PropertyKey, never>;
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

export type MoneyResolvers<ContextType = Context, ParentType extends ResolversParentTypes['Money'] = ResolversParentTypes['Money']> = {
  amount?: Resolver<ResolversTypes['Decimal'], ParentType, ContextType>;
  currency?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  minorUnits?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
};

export type LedgerEntryResolvers<ContextType = Context, ParentType extends ResolversParentTypes['LedgerEntry'] = ResolversParentTypes['LedgerEntry']> = {
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  journalId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  account?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  side?: Resolver<ResolversTypes['EntrySide'], ParentType, ContextType>;
  amount?: Resolver<ResolversTypes['Money'], ParentType, ContextType>;
  postedAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
};

export type BalanceResolvers<ContextType = Context, ParentType extends ResolversParentTypes['Balance'] = ResolversParentTypes['Balance']> = {
  available?: Resolver<Array<ResolversTypes['Money']>, ParentType, ContextType>;
  pending?: Resolver<Array<ResolversTypes['Money']>, ParentType, ContextType>;
};

export type PaymentResolvers<ContextType = Context, ParentType extends ResolversParentTypes['Payment'] = ResolversParentTypes['Payment'], FederationReferenceType extends FederationReferenceTypes['Payment'] = FederationReferenceTypes['Payment']> = {
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['Payment']> | FederationReferenceType, FederationReferenceType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  ledgerEntries?: Resolver<Array<ResolversTypes['LedgerEntry']>, ParentType, ContextType>;
  fee?: Resolver<Maybe<ResolversTypes['Money']>, ParentType, ContextType>;
  net?: Resolver<Maybe<ResolversTypes['Money']>, ParentType, ContextType>;
};

export type MerchantResolvers<ContextType = Context, ParentType extends ResolversParentTypes['Merchant'] = ResolversParentTypes['Merchant'], FederationReferenceType extends FederationReferenceTypes['Merchant'] = FederationReferenceTypes['Merchant']> = {
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['Merchant']> | FederationReferenceType, FederationReferenceType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  balance?: Resolver<ResolversTypes['Balance'], ParentType, ContextType>;
};

export type LedgerVerificationResolvers<ContextType = Context, ParentType extends ResolversParentTypes['LedgerVerification'] = ResolversParentTypes['LedgerVerification']> = {
  ok?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  entriesChecked?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  firstInvalidEntryId?: Resolver<Maybe<ResolversTypes['ID']>, ParentType, ContextType>;
  headHash?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
};

export type DiscrepancyResolvers<ContextType = Context, ParentType extends ResolversParentTypes['Discrepancy'] = ResolversParentTypes['Discrepancy']> = {
  type?: Resolver<ResolversTypes['DiscrepancyType'], ParentType, ContextType>;
  paymentId?: Resolver<Maybe<ResolversTypes['ID']>, ParentType, ContextType>;
  providerReference?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  expected?: Resolver<Maybe<ResolversTypes['Money']>, ParentType, ContextType>;
  actual?: Resolver<Maybe<ResolversTypes['Money']>, ParentType, ContextType>;
  detail?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
};

export type ReconciliationReportResolvers<ContextType = Context, ParentType extends ResolversParentTypes['ReconciliationReport'] = ResolversParentTypes['ReconciliationReport']> = {
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  channel?: Resolver<ResolversTypes['PaymentChannel'], ParentType, ContextType>;
  date?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  matched?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  discrepancies?: Resolver<Array<ResolversTypes['Discrepancy']>, ParentType, ContextType>;
};

export type QueryResolvers<ContextType = Context, ParentType extends ResolversParentTypes['Query'] = ResolversParentTypes['Query']> = {
  verifyLedger?: Resolver<ResolversTypes['LedgerVerification'], ParentType, ContextType>;
  reconciliationReport?: Resolver<Maybe<ResolversTypes['ReconciliationReport']>, ParentType, ContextType, RequireFields<QueryReconciliationReportArgs, 'id'>>;
};

export type MutationResolvers<ContextType = Context, ParentType extends ResolversParentTypes['Mutation'] = ResolversParentTypes['Mutation']> = {
  runReconciliation?: Resolver<ResolversTypes['ReconciliationReport'], ParentType, ContextType, RequireFields<MutationRunReconciliationArgs, 'input'>>;
};

export type Resolvers<ContextType = Context> = {
  DateTime?: GraphQLScalarType;
  Decimal?: GraphQLScalarType;
  Money?: MoneyResolvers<ContextType>;
  LedgerEntry?: LedgerEntryResolvers<ContextType>;
  Balance?: BalanceResolvers<ContextType>;
  Payment?: PaymentResolvers<ContextType>;
  Merchant?: MerchantResolvers<ContextType>;
  LedgerVerification?: LedgerVerificationResolvers<ContextType>;
  Discrepancy?: DiscrepancyResolvers<ContextType>;
  ReconciliationReport?: ReconciliationReportResolvers<ContextType>;
  Query?: QueryResolvers<ContextType>;
  Mutation?: MutationResolvers<ContextType>;
};

export type DirectiveResolvers<ContextType = Context> = {
  shareable?: ShareableDirectiveResolver<any, any, ContextType>;
};
