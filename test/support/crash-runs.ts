import { afterAll, beforeAll, expect } from 'vitest';
import type { CrashPoint } from '../../lib/faults/crash-points.js';
import type { ProcessExit } from '../../system/processes.js';
import { consumerCaughtUp, reconcileCardToday, retryUntilAnswered, verifyLedger } from './crash-client.js';
import { dyingWithin, startCrashSystem, type CrashSystem, type CrashSystemOptions, type RestartableSubgraph } from './crash-harness.js';
import type { GraphQLResponse } from './graphql.js';
import { cardEffects } from './simulator-effects.js';

/** Restarts the subgraph (stopping the process running now, if any), armed with `point` or not. */
export async function restart(subgraph: RestartableSubgraph, point?: CrashPoint): Promise<void> {
  await subgraph.stop();
  await subgraph.start({ crashAt: point });
}

export interface CrashedRun<T> {
  /** what the client got from the request during which the process died */
  first: GraphQLResponse<T>;
  exit: ProcessExit;
  /** the first definitive answer to the retries with the same key, after the restart */
  answer: GraphQLResponse<T>;
  /** one more retry with that key, after the answer */
  again: GraphQLResponse<T>;
}

/**
 * The client's side of a crash: sends the request to the process armed with `point`, which dies on it
 * (SIGKILL at the point, so no answer comes); the process is started again without the point, and the
 * client retries with its idempotency key until it gets an answer, then once more.
 */
export async function crashThenRetry<T>(subgraph: RestartableSubgraph, point: CrashPoint, send: () => Promise<GraphQLResponse<T>>): Promise<CrashedRun<T>> {
  const first = await send();
  if (first.data) throw new Error(`the request was answered: ${subgraph.name} did not die at ${point}: ${JSON.stringify(first)}`);
  const exit = await dyingWithin(subgraph.exited(), `${subgraph.name} did not die at ${point}`, subgraph.log);
  await subgraph.start();
  const answer = await retryUntilAnswered(send, `the retry after ${point}`);
  const again = await send();
  return { first, exit, answer, again };
}

/** What the card acquirer did for a payment, counted: its authorizations' statuses, captures and refunds (our refund id, amount) in minor units, voids. */
export async function acquirerDid(system: CrashSystem, paymentId: string) {
  const effects = await cardEffects(system.simulatorUrl, paymentId);
  return {
    authorizations: effects.authorizations.map((authorization) => authorization.status),
    captures: effects.captures.map((capture) => capture.amount),
    voids: effects.voids.length,
    refunds: effects.refunds.map((refund) => [refund.reference, refund.amount]),
  };
}

/** After every event has been booked: the ledger verifies and today's card settlement report reconciles without a discrepancy. */
export async function expectBooksAgree(system: CrashSystem): Promise<void> {
  await consumerCaughtUp(system, 'accounting');
  expect(await verifyLedger(system)).toMatchObject({ ok: true, firstInvalidEntryId: null });
  const report = await reconcileCardToday(system);
  expect(report.discrepancies).toEqual([]);
}

export interface CrashSuite {
  readonly system: CrashSystem;
  /** the key of the file's merchant */
  readonly apiKey: string;
}

/** A test file's crash system and merchant, started before its tests and stopped after them. */
export function crashSuite(options: CrashSystemOptions, merchantName: string): CrashSuite {
  let system: CrashSystem | undefined;
  let apiKey = '';
  beforeAll(async () => {
    system = await startCrashSystem(options);
    apiKey = (await system.seedMerchant(merchantName)).apiKey;
  });
  afterAll(async () => system?.stop());
  return {
    get system() {
      if (!system) throw new Error('the crash system has not started');
      return system;
    },
    get apiKey() {
      return apiKey;
    },
  };
}
