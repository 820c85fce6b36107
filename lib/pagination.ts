import { fail } from './errors.js';

export const MAX_PAGE_SIZE = 100;
/** the page size when `first` is null (the schema's own default is the same) */
export const DEFAULT_PAGE_SIZE = 20;

/** Position of a row in a newest-first list: its time and id (the id breaks ties). */
export interface CursorPosition {
  at: Date;
  id: string;
}

export function encodeCursor(position: CursorPosition): string {
  return Buffer.from(`${position.at.getTime()}:${position.id}`).toString('base64url');
}

export function decodeCursor(cursor: string, field = 'after'): CursorPosition {
  const match = /^(\d{1,15}):([A-Za-z0-9_]{1,64})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!match) throw fail.badInput(field, 'is not a cursor returned by this API');
  return { at: new Date(Number(match[1])), id: match[2]! };
}

/** `min`: 1 for a log read page after page, where an empty page would say nothing */
export function validatePageSize(first: number | null | undefined, fallback = DEFAULT_PAGE_SIZE, min = 0): number {
  const size = first ?? fallback;
  if (!Number.isInteger(size) || size < min || size > MAX_PAGE_SIZE) {
    throw fail.badInput('first', `must be between ${min} and ${MAX_PAGE_SIZE}`);
  }
  return size;
}

export interface Page<T> {
  edges: { cursor: string; node: T }[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

/** Builds a page from rows fetched with limit size + 1 (the extra row only says there is a next page). */
export function toPage<T>(rows: T[], size: number, position: (row: T) => CursorPosition): Page<T> {
  const nodes = rows.slice(0, size);
  const edges = nodes.map((node) => ({ cursor: encodeCursor(position(node)), node }));
  return { edges, pageInfo: { hasNextPage: rows.length > size, endCursor: edges.at(-1)?.cursor ?? null } };
}
