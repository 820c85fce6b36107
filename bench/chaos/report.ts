/** The run's closing print: the figures, then the table of invariants. */
import type { InvariantResult } from './checks.js';

/** A plain-text table; numbers (`numeric`) are right-aligned, text left. */
export function table(headers: string[], rows: string[][], numeric = true): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) => cells.map((cell, i) => (i === 0 || !numeric ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join(' | ').trimEnd();
  return [line(headers), widths.map((w) => '-'.repeat(w)).join('-|-'), ...rows.map(line)].join('\n');
}

export function invariantTable(results: InvariantResult[]): string {
  return table(['invariant', 'checked', 'violations'], results.map((r) => [r.invariant, String(r.checked), String(r.violations)]));
}

export function violationExamples(results: InvariantResult[]): string[] {
  return results.filter((r) => r.violations > 0).flatMap((r) => [`${r.invariant}:`, ...r.examples.map((e) => `  ${e}`)]);
}

export const seconds = (ms: number | null) => (ms === null ? 'never' : `${(ms / 1000).toFixed(1)} s`);
