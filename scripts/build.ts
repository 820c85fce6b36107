/**
 * `npm run build`: the services compiled to JavaScript in dist/ (tsc -p tsconfig.build.json), with the
 * files they read at run time beside the code that reads them (each subgraph's schema.graphql,
 * schema/supergraph.graphql, the explorer's page and static files), so that production runs
 * `node dist/scripts/start-gateway.js` without tsx. dist/ is emptied first: nothing stale survives.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const outDir = join(root, 'dist');
/** the folders tsconfig.build.json compiles, and schema/ (SDL only) */
const sourceDirs = ['lib', 'system', 'gateway', 'subgraphs', 'simulators', 'scripts', 'tools', 'schema'];

/** What the code reads at run time: anything but TypeScript, tests and their fixtures. */
export function isRuntimeAsset(path: string): boolean {
  return !/\.(ts|tsx|mts|cts)$/.test(path) && !/\.test\.[^/]+$/.test(path);
}

function* filesUnder(dir: string): Generator<string> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* filesUnder(path);
    else if (entry.isFile()) yield path;
  }
}

/** Copies the run-time assets of the source folders into dist/, keeping their relative paths; returns them. */
export function copyAssets(from: string, to: string): string[] {
  const copied: string[] = [];
  for (const dir of sourceDirs) {
    for (const file of filesUnder(join(from, dir))) {
      const path = relative(from, file);
      if (!isRuntimeAsset(path)) continue;
      mkdirSync(dirname(join(to, path)), { recursive: true });
      copyFileSync(file, join(to, path));
      copied.push(path);
    }
  }
  return copied;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const started = Date.now();
  rmSync(outDir, { recursive: true, force: true });
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  const result = spawnSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json')], { stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
  const assets = copyAssets(root, outDir);
  console.log(`built dist/ in ${((Date.now() - started) / 1000).toFixed(1)} s (${assets.length} assets: ${assets.join(', ')})`);
}
