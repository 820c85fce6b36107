/**
 * `npm run persisted-operations -- <dir> <out.json>`: Apollo's persisted query manifest of every named
 * operation in the .graphql files under <dir> (fragments may be in any of them), for
 * PERSISTED_OPERATIONS_FILE. Clients send an operation's id (or exactly its body).
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildManifest } from '../gateway/persisted-operations/build-manifest.js';
import { registeredOperations } from '../gateway/persisted-operations/manifest.js';
import { failStart } from './run-until-signal.js';

const [dir, out] = process.argv.slice(2);
if (!dir || !out) failStart('usage: npm run persisted-operations -- <folder of .graphql files> <manifest.json>');
try {
  const paths = readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((path) => path.endsWith('.graphql')).sort();
  const manifest = buildManifest(new Map(paths.map((path) => [path, readFileSync(join(dir, path), 'utf8')])));
  registeredOperations(manifest, out);
  writeFileSync(out, `${JSON.stringify(manifest, null, 2)}\n`);
  console.log(`${manifest.operations.length} operations from ${paths.length} files written to ${out}`);
} catch (error) {
  failStart(error);
}
