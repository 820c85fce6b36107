import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../lib/http-server.js';
import { runGraphqlCop, type CopCheck } from '../support/graphql-cop.js';
import { startSystem, type System } from '../support/system.js';

// graphql-cop (a security auditor for GraphQL) must report nothing against a production gateway, except what the
// README documents as a choice. Its checks are reproduced in test/support/graphql-cop.ts.

/** What graphql-cop reports by design, with the README's reason. */
const DOCUMENTED_CHOICES: Record<string, string> = {
  Introspection: 'analysts\' tools and the explorer read the schema; every request, introspection included, needs a key',
};

let system: System;
let gateway: RunningServer;
let merchantKey: string;

beforeAll(async () => {
  system = await startSystem();
  merchantKey = (await system.seedMerchant('Audited merchant')).apiKey;
  // The system's ADMIN_API_KEY and INTERNAL_SECRET are random (production refuses weak ones); no sandbox in production.
  gateway = await system.startGateway({ NODE_ENV: 'production', SANDBOX: 'false' }, null);
});
afterAll(async () => {
  await gateway?.close();
  await system?.stop();
});

const listed = (checks: CopCheck[]) => checks.map((check) => `${check.title}: ${check.evidence}`);

describe('graphql-cop against a gateway in production mode', () => {
  it('with a valid merchant key (its -H header) reports nothing but the documented choices', async () => {
    const checks = await runGraphqlCop(`${gateway.url}/graphql`, { authorization: `Bearer ${merchantKey}` });
    expect(checks).toHaveLength(14);
    expect(listed(checks.filter((check) => check.reported && !(check.title in DOCUMENTED_CHOICES)))).toEqual([]);
    // The documented choices hold as documented (the README says introspection is open to every key).
    const choices = checks.filter((check) => check.title in DOCUMENTED_CHOICES);
    expect(Object.fromEntries(choices.map((check) => [check.title, check.reported]))).toEqual(Object.fromEntries(Object.keys(DOCUMENTED_CHOICES).map((title) => [title, true])));
  });

  it('without a key reports nothing at all', async () => {
    const checks = await runGraphqlCop(`${gateway.url}/graphql`, {});
    expect(listed(checks.filter((check) => check.reported))).toEqual([]);
  });

  it('with a bad key reports nothing at all', async () => {
    const checks = await runGraphqlCop(`${gateway.url}/graphql`, { authorization: 'Bearer pgk_not_a_key_of_this_platform_at_all_000' });
    expect(listed(checks.filter((check) => check.reported))).toEqual([]);
  });
});
