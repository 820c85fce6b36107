import { closeSync, mkdirSync, openSync } from 'node:fs';

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
