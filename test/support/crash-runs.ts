import { expect } from 'vitest';
import type { CrashPoint } from '../../lib/faults/crash-points.js';
import type { ProcessExit } from '../../system/processes.js';
import { consumerCaughtUp, reconcileCardToday, retryUntilAnswered, verifyLedger, type CardEffect } from './crash-client.js';
import type { CrashSystem, RestartableSubgraph } from './crash-harness.js';
import type { GraphQLResponse } from './graphql.js';

/** How long a process armed with a crash point may take to reach it and die, on a loaded machine. */
const DEATH_TIMEOUT_MS = 60_000;

/** Waits for the process's exit, failing with its log when it lives on past the deadline. */
export async function deathOf(subgraph: RestartableSubgraph, point: string): Promise<ProcessExit> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`${subgraph.name} did not die at ${point} within ${DEATH_TIMEOUT_MS} ms:\n${subgraph.log()}`)), DEATH_TIMEOUT_MS);
  });
  try {
    return await Promise.race([subgraph.exited(), deadline]);
  } finally {
    clearTimeout(timer);
  }
}

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
  const exit = await deathOf(subgraph, point);
  await subgraph.start();
  const answer = await retryUntilAnswered(send, `the retry after ${point}`);
  const again = await send();
  return { first, exit, answer, again };
}

/** The effect of `kind` the acquirer made for a reference: exactly one, of that amount; no effect of another kind. */
export function expectOneEffect(effects: CardEffect[], kind: string, amount: { amount: string; currency: string }): void {
  expect(effects.map((effect) => effect.kind)).toEqual([kind]);
  expect(effects[0]).toMatchObject(amount);
}

/** After every event has been booked: the ledger verifies and today's card settlement report reconciles without a discrepancy. */
export async function expectBooksAgree(system: CrashSystem): Promise<void> {
  await consumerCaughtUp(system, 'accounting');
  expect(await verifyLedger(system)).toMatchObject({ ok: true, firstInvalidEntryId: null });
  const report = await reconcileCardToday(system);
  expect(report.discrepancies).toEqual([]);
}
