import { fail } from '../../../lib/errors.js';

const MAX_TEXT = 1000;
const MAX_METADATA_KEYS = 50;
const MAX_METADATA_BYTES = 8 * 1024;

export function validateDescription(value: string | null | undefined, field = 'input.description'): string | null {
  if (value === null || value === undefined) return null;
  if (value.length > MAX_TEXT) throw fail.badInput(field, `must be at most ${MAX_TEXT} characters`);
  return value;
}

/** Metadata: a flat-ish JSON object of at most 50 keys and 8 KiB, stored as given. */
export function validateMetadata(value: Record<string, unknown> | null | undefined): Record<string, unknown> | null {
  if (value === null || value === undefined) return null;
  if (typeof value !== 'object' || Array.isArray(value)) throw fail.badInput('input.metadata', 'must be a JSON object');
  if (Object.keys(value).length > MAX_METADATA_KEYS) {
    throw fail.badInput('input.metadata', `must have at most ${MAX_METADATA_KEYS} keys`);
  }
  if (Buffer.byteLength(JSON.stringify(value)) > MAX_METADATA_BYTES) {
    throw fail.badInput('input.metadata', `must be at most ${MAX_METADATA_BYTES} bytes of JSON`);
  }
  return value;
}
