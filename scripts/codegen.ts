/**
 * Writes each subgraph's resolver types from its SDL (subgraphs/<name>/generated/resolvers-types.ts),
 * so resolver signatures cannot drift from the schema. CI fails when the output is stale.
 */
import { readFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { codegen } from '@graphql-codegen/core';
import * as typescriptPlugin from '@graphql-codegen/typescript';
import * as resolversPlugin from '@graphql-codegen/typescript-resolvers';
import { buildASTSchema, parse } from 'graphql';

interface SubgraphCodegen {
  mappers: Record<string, string>;
}

// The federation directives the subgraph SDL uses, declared so that graphql-js can build it; the
// resolvers plugin (federation: true) adds __resolveReference for @key types.
const federationDirectives = `
directive @key(fields: String!, resolvable: Boolean = true) repeatable on OBJECT | INTERFACE
directive @shareable repeatable on OBJECT | FIELD_DEFINITION
directive @external on OBJECT | FIELD_DEFINITION
directive @requires(fields: String!) on FIELD_DEFINITION
directive @provides(fields: String!) on FIELD_DEFINITION
`;

const scalars = { DateTime: 'Date', Decimal: 'string', JSONObject: 'Record<string, unknown>' };

const subgraphs: Record<string, SubgraphCodegen> = {
  payment: {
    mappers: {
      Money: '../../../lib/money.js#Money',
      Merchant: '../entities/Merchant.js#Merchant',
      Payment: '../entities/Payment.js#Payment',
      Refund: '../entities/Refund.js#Refund',
      PaymentStatusEvent: '../services/status-events.js#PaymentStatusEventRecord',
      Event: '../services/event-log.js#PartnerEventRecord',
      Viewer: '../../../lib/principal.js#Principal',
      ApiKey: '../entities/ApiKey.js#ApiKey',
    },
  },
  accounting: {
    mappers: {
      Money: '../../../lib/money.js#Money',
      Payment: '../mappers.js#PaymentModel',
      Merchant: '../mappers.js#MerchantModel',
      LedgerEntry: '../entities/LedgerEntry.js#LedgerEntry',
      Balance: '../services/balances.js#MerchantBalance',
      LedgerVerification: '../services/verification.js#LedgerVerification',
      ReconciliationReport: '../entities/ReconciliationReport.js#ReconciliationReport',
      Discrepancy: '../entities/ReconciliationDiscrepancy.js#ReconciliationDiscrepancy',
    },
  },
  transaction: {
    mappers: {
      Money: '../../../lib/money.js#Money',
      Transaction: '../entities/TransactionRecord.js#TransactionRecord',
      Payment: '../mappers.js#PaymentModel',
      Refund: '../mappers.js#RefundModel',
    },
  },
  analytics: {
    mappers: {
      Merchant: '../mappers.js#MerchantModel',
      MetricsRow: '../services/metrics.js#MetricsRow',
    },
  },
};

for (const [name, options] of Object.entries(subgraphs)) {
  const dir = join('subgraphs', name);
  const sdl = readFileSync(join(dir, 'schema.graphql'), 'utf8').replace(/^extend schema @link[^\n]*\n/m, '');
  const schema = parse(federationDirectives + sdl);
  buildASTSchema(schema);
  const result = await codegen({
    filename: 'resolvers-types.ts',
    schema,
    documents: [],
    config: {
      federation: true,
      useTypeImports: true,
      enumsAsTypes: true,
      scalars,
      contextType: '../context.js#Context',
      mappers: options.mappers,
      mapperTypeSuffix: 'Model',
      avoidOptionals: { field: true, inputValue: false, object: false, defaultValue: false },
      maybeValue: 'T | null',
      inputMaybeValue: 'T | null | undefined',
    },
    plugins: [{ typescript: {} }, { typescriptResolvers: {} }],
    pluginMap: { typescript: typescriptPlugin, typescriptResolvers: resolversPlugin },
    pluginContext: {},
  });
  mkdirSync(join(dir, 'generated'), { recursive: true });
  writeFileSync(
    join(dir, 'generated', 'resolvers-types.ts'),
    `// Written by scripts/codegen.ts from schema.graphql: do not edit.\n/* eslint-disable */\n${result}`,
  );
  console.log(`codegen: ${name}`);
}
