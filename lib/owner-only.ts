import { randomBytes } from 'node:crypto';
import { closeSync, linkSync, mkdirSync, openSync, unlinkSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

// Data and secrets are the service user's only. A mode given at creation is narrowed by the umask,
// never widened, so these hold whatever the umask; what exists already keeps its mode (the operator's choice).

/** Creates a folder, and those above it that are missing, readable by their owner only (0700). */
export function ownerOnlyDirectory(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
}

/** Creates an empty file readable by its owner only (0600) unless it exists, e.g. a database before SQLite opens it. */
export function ownerOnlyFile(file: string): void {
  closeSync(openSync(file, 'a', 0o600));
}

/**
 * Writes a file readable by its owner only (0600) whole or not at all, unless it exists: link() publishes
 * it at once, or fails when another process was first, whose file then stays (two services starting at once agree).
 */
export function publishOwnerOnlyFile(file: string, content: string): void {
  ownerOnlyDirectory(dirname(file));
  const draft = join(dirname(file), `.${basename(file)}.${randomBytes(6).toString('hex')}`);
  writeFileSync(draft, content, { mode: 0o600 });
  try {
    linkSync(draft, file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  } finally {
    unlinkSync(draft);
  }
}
