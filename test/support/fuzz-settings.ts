/**
 * The fuzz tests' parameters: a fixed seed, so that CI runs the same cases every time, and a bounded number of runs;
 * FUZZ_SEED and FUZZ_RUNS (runs of every property) override them to explore
 * further. FUZZ_SURVEY=1 keeps going after a failure and prints every kind of finding with an example.
 */
export interface FuzzSettings {
  seed: number;
  /** runs of a property, `defaultRuns` unless FUZZ_RUNS says otherwise */
  runs: (defaultRuns: number) => number;
  survey: boolean;
}

const DEFAULT_SEED = 20_261_202;

function integerSetting(name: string): number | undefined {
  const text = process.env[name];
  if (text === undefined || text === '') return undefined;
  const value = Number(text);
  if (!Number.isSafeInteger(value)) throw new Error(`${name} must be an integer, not ${JSON.stringify(text)}`);
  return value;
}

export function fuzzSettings(): FuzzSettings {
  const seed = integerSetting('FUZZ_SEED') ?? DEFAULT_SEED;
  const runs = integerSetting('FUZZ_RUNS');
  return { seed, runs: (defaultRuns) => runs ?? defaultRuns, survey: process.env['FUZZ_SURVEY'] === '1' };
}
