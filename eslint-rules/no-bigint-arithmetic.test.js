// The rule must keep finding raw bigint arithmetic: linted snippets, type-checked as the project is.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';
import { afterAll, describe, expect, it } from 'vitest';
import amounts from './no-bigint-arithmetic.js';

const dir = mkdtempSync(join(tmpdir(), 'no-bigint-arithmetic-'));
writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions: { target: 'ES2023', lib: ['ES2023'], strict: true, types: [] }, include: ['*.ts'] }));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const eslint = new ESLint({
  cwd: dir,
  overrideConfigFile: true,
  overrideConfig: [
    {
      files: ['**/*.ts'],
      languageOptions: { parser: tseslint.parser, parserOptions: { projectService: true, tsconfigRootDir: dir } },
      plugins: { amounts },
      rules: { 'amounts/no-bigint-arithmetic': 'error' },
    },
  ],
});

let fixtures = 0;
/** The operators the rule reports in `code`. */
async function reported(code) {
  const file = join(dir, `fixture${(fixtures += 1)}.ts`);
  writeFileSync(file, `export {};\n${code}\n`);
  const [result] = await eslint.lintFiles([file]);
  const fatal = result.messages.find((m) => m.fatal);
  if (fatal) throw new Error(fatal.message);
  return result.messages.map((m) => m.message.match(/\('(.+?)'\)/)?.[1]);
}

// the first lint builds a TypeScript program: seconds on a busy machine
describe('no-bigint-arithmetic', { timeout: 60_000 }, () => {
  it.each([
    ['a sum of two bigint values', 'declare const a: bigint, b: bigint; a + b;', ['+']],
    ['each binary operator', 'declare const a: bigint; a - 1n; a * 2n; a / 2n; a % 2n; a ** 2n;', ['-', '*', '/', '%', '**']],
    ['a literal on one side only', 'declare const a: bigint; 0n + a;', ['+']],
    ['compound assignments', 'let a = 0n; declare const b: bigint; a += b; a -= b; a *= 2n;', ['+=', '-=', '*=']],
    ['increments and decrements', 'let a = 0n; a++; --a;', ['++', '--']],
    ['negation of a value', 'declare const a: bigint; -a;', ['-']],
    ['a bigint property (an entity column)', 'declare const p: { amountRefunded: bigint }; p.amountRefunded += 5n;', ['+=']],
    ['a function returning bigint', 'declare function fee(): bigint; fee() - 1n;', ['-']],
    ['a union with bigint', 'declare const a: bigint | null; declare const b: bigint; (a ?? 0n) + b;', ['+']],
    ['a reduce over amounts', 'declare const xs: { amount: bigint }[]; xs.reduce((s, x) => s + x.amount, 0n);', ['+']],
  ])('reports %s', async (_name, code, operators) => {
    expect(await reported(code)).toEqual(operators);
  });

  it.each([
    ['number arithmetic', 'declare const n: number; n + 1; n * 2; let i = 0; i++; i += 2; -n;'],
    ['string concatenation', "declare const s: string; s + 'x';"],
    ['comparisons of bigint values', 'declare const a: bigint, b: bigint; a < b; a === 0n; a >= b;'],
    ['a negative bigint literal', 'const a = -1n; a;'],
    ['BigInt of text', "BigInt('12');"],
  ])('leaves %s alone', async (_name, code) => {
    expect(await reported(code)).toEqual([]);
  });
});
