import { ErrorCode } from '../../lib/errors.js';

/** What came back for one request, as far as the checks read it. */
export interface Answer {
  status: number;
  contentType: string;
  body: string;
}

/** A request that had no answer within this time counts as a frozen gateway (generous: the machine is loaded). */
export const ANSWER_TIMEOUT_MS = 30_000;

const contractCodes = new Set<string>(Object.values(ErrorCode));

/** What must never appear in anything a client receives: stack frames, dependency paths, files of this machine. */
const leaks: [string, RegExp][] = [
  ['a stack frame', /\bat (?:[\w$.<>\s[\]]+ )?\(?(?:file:\/\/|node:|\/)[^)\s]*:\d+:\d+\)?/],
  ['a stack trace', /stacktrace/i],
  ['node_modules', /node_modules/],
  ['a source file position', /\.(?:ts|js|mjs|cjs):\d+(?::\d+)?\b/],
  ['a file path', /(?:^|[\s"'(=])(?:file:\/\/)?\/(?:home|work|usr|tmp|var|opt|root|srv|app|proc|etc)\/[\w.-]+\/[\w./-]*/],
  ['this checkout', new RegExp(process.cwd().replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))],
];

/** Codes Apollo and graphql-js use that the contract does not: they must have been mapped before leaving. */
function errorCodesOf(json: unknown): unknown[] {
  const answers = Array.isArray(json) ? json : [json];
  return answers.flatMap((answer) => {
    const errors = (answer as { errors?: unknown } | null)?.errors;
    return Array.isArray(errors) ? errors.map((error: { extensions?: { code?: unknown } } | null) => error?.extensions?.code) : [];
  });
}

/**
 * What is wrong with an answer, as short descriptions (none: it is fine). `graphql`: the answer came from /graphql,
 * where every refusal is JSON with contract codes; elsewhere only the status and leaks are checked.
 */
export function answerProblems(answer: Answer, options: { graphql: boolean }): string[] {
  const problems: string[] = [];
  if (answer.status >= 500) problems.push(`HTTP ${answer.status}`);
  const found = leaks.flatMap(([what, pattern]) => {
    const match = pattern.exec(answer.body);
    return match ? [{ what, at: match.index }] : [];
  });
  if (found.length > 0) {
    const at = found[0]!.at;
    problems.push(`a leak (${found.map((leak) => leak.what).join(', ')}) in the body: ${JSON.stringify(answer.body.slice(Math.max(0, at - 60), at + 100))}`);
  }
  // markup, not the content type: express labels a plain string text/html, which says nothing of what a client sees
  if (/<!DOCTYPE html|<html|<body|<pre>|<br>/i.test(answer.body)) problems.push(`an HTML page: ${answer.body.slice(0, 120)}`);
  if (!options.graphql) return problems;
  let json: unknown;
  try {
    json = JSON.parse(answer.body);
  } catch {
    // 431: Node's HTTP parser refuses oversized headers before any handler runs (an empty answer, nothing leaked)
    if (answer.status >= 400 && !(answer.status === 431 && answer.body === '')) problems.push(`a refusal that is not JSON: HTTP ${answer.status} ${answer.contentType} ${JSON.stringify(answer.body.slice(0, 120))}`);
    return problems;
  }
  for (const code of errorCodesOf(json)) {
    if (code === ErrorCode.INTERNAL_SERVER_ERROR) problems.push('an INTERNAL_SERVER_ERROR');
    else if (typeof code !== 'string' || !contractCodes.has(code)) problems.push(`an error code outside the contract: ${JSON.stringify(code)}`);
  }
  if (answer.status >= 400 && errorCodesOf(json).length === 0) problems.push(`HTTP ${answer.status} without an error code: ${answer.body.slice(0, 120)}`);
  return problems;
}

/** One raw HTTP request; an answer that does not come in time is reported as HTTP 0 with what happened. */
export async function send(url: string, init: RequestInit): Promise<Answer> {
  try {
    const response = await fetch(url, { ...init, redirect: 'manual', signal: AbortSignal.timeout(ANSWER_TIMEOUT_MS) });
    return { status: response.status, contentType: response.headers.get('content-type') ?? '', body: await response.text() };
  } catch (error) {
    return { status: 0, contentType: '', body: `no answer: ${error instanceof Error ? error.message : String(error)}` };
  }
}

/** The problems of an answer that did not come at all, besides those of its body. */
export function noAnswer(answer: Answer): string[] {
  return answer.status === 0 ? [answer.body] : [];
}

/**
 * Findings by kind and where they happened, one example each, for a survey run (FUZZ_SURVEY=1) that goes on after a
 * failure and lists every kind of problem the seed finds instead of the first counterexample; and the slowest answers
 * (not a failure: a loaded machine is slow, but a frozen gateway shows here first).
 */
export class FindingLog {
  readonly byKind = new Map<string, { count: number; example: string }>();
  readonly slowest: { ms: number; example: string }[] = [];
  /** how answers ended: 'data' or the first error's code, so that a survey shows how many runs reached resolvers */
  readonly outcomes = new Map<string, number>();

  outcome(body: string): void {
    let kind = 'not JSON';
    try {
      const json = JSON.parse(body) as { data?: unknown; errors?: { extensions?: { code?: string } }[] } | null;
      kind = json?.errors?.[0]?.extensions?.code ?? (json?.data ? 'data' : 'neither');
    } catch {
      // not JSON: counted as such
    }
    this.outcomes.set(kind, (this.outcomes.get(kind) ?? 0) + 1);
  }

  record(problems: string[], where: string, example: string, ms: number): void {
    for (const problem of problems) {
      const kind = `${problem.replace(/:.*$/s, '')} (${where})`;
      const seen = this.byKind.get(kind);
      if (seen) seen.count++;
      else this.byKind.set(kind, { count: 1, example: `${problem.slice(0, 400)}\n    request: ${example.slice(0, 600)}` });
    }
    this.slowest.push({ ms, example: example.slice(0, 300) });
    this.slowest.sort((a, b) => b.ms - a.ms).splice(3);
  }

  findings(title: string): string {
    if (this.byKind.size === 0) return `${title}: no findings`;
    return [`${title}:`, ...[...this.byKind].map(([kind, { count, example }]) => `- ${kind} ${count}x\n    ${example}`)].join('\n');
  }

  summary(title: string): string {
    const slow = this.slowest.map(({ ms, example }) => `  ${Math.round(ms)} ms: ${example}`);
    const outcomes = [...this.outcomes].map(([kind, count]) => `${kind} ${count}`).join(', ');
    return [this.findings(title), `outcomes: ${outcomes}`, 'slowest answers:', ...slow].join('\n');
  }
}
