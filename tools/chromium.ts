import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

/** Debian's chromium (playwright-core drives it; the test tools' own browser download does not work here). */
export function findChromium(): string | null {
  const fromPath = spawnSync('sh', ['-c', 'command -v chromium || command -v chromium-browser'], { encoding: 'utf8' }).stdout.trim();
  if (fromPath) return fromPath.split('\n')[0]!;
  return ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((path) => existsSync(path)) ?? null;
}
