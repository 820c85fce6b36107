/**
 * What no string input may carry on its way to storage: C0 control characters (NUL among them,
 * which PostgreSQL refuses in text) and lone UTF-16 surrogates (not encodable as UTF-8, silently
 * replaced on the way to the database). Free text (a description, a reason, a metadata value) may
 * keep TAB, LF and CR; identifiers, keys and names keep none.
 */
export type TextKind = 'identifier' | 'free';

const controlIn: Record<TextKind, RegExp> = {
  // eslint-disable-next-line no-control-regex -- finding control characters is the point
  identifier: /[\u0000-\u001f]/,
  // eslint-disable-next-line no-control-regex -- finding control characters is the point
  free: /[\u0000-\u0008\u000b\u000c\u000e-\u001f]/,
};
const loneSurrogate = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** Why `text` is refused as input of this kind, or null when it is acceptable. */
export function textFault(text: string, kind: TextKind): string | null {
  const control = controlIn[kind].exec(text);
  if (control) return `must not contain control characters (found U+${control[0].charCodeAt(0).toString(16).padStart(4, '0').toUpperCase()})`;
  if (loneSurrogate.test(text)) return 'must be valid Unicode (found a lone surrogate)';
  return null;
}

/** A Decimal's text: far more than any amount of 64-bit minor units needs, far less than costs time to look at. */
export const MAX_DECIMAL_LENGTH = 40;

/** JSONObject values: nesting (the object itself is level 1) and size (characters of keys and strings, plus one per value). */
export const JSON_LIMITS = { maxDepth: 10, maxSize: 64 * 1024 };

export interface InputFault {
  /** where, below the value checked: e.g. ".order.lines[3]" */
  at: string;
  reason: string;
}

/**
 * The first fault of a JSON value given as input: nested beyond JSON_LIMITS.maxDepth, larger than
 * JSON_LIMITS.maxSize, a key that is not identifier text or a string that is not free text. Walks
 * with its own stack, so a value nested thousands deep is refused at the limit without recursing.
 */
export function jsonFault(value: unknown): InputFault | null {
  const pending: { value: unknown; at: string; depth: number }[] = [{ value, at: '', depth: 0 }];
  let size = 0;
  while (pending.length > 0) {
    const { value: current, at, depth } = pending.pop()!;
    size += 1;
    if (typeof current === 'string') {
      size += current.length;
      const reason = textFault(current, 'free');
      if (reason) return { at, reason };
    } else if (current !== null && typeof current === 'object') {
      if (depth + 1 > JSON_LIMITS.maxDepth) return { at, reason: `must be nested at most ${JSON_LIMITS.maxDepth} levels deep` };
      if (Array.isArray(current)) {
        for (let index = current.length - 1; index >= 0; index -= 1) pending.push({ value: current[index], at: `${at}[${index}]`, depth: depth + 1 });
      } else {
        const entries = Object.entries(current);
        for (let index = entries.length - 1; index >= 0; index -= 1) {
          const [key, inner] = entries[index]!;
          size += key.length;
          const reason = textFault(key, 'identifier');
          if (reason) return { at, reason: `key ${index + 1} ${reason}` };
          pending.push({ value: inner, at: `${at}.${key}`, depth: depth + 1 });
        }
      }
    }
    if (size > JSON_LIMITS.maxSize) return { at: '', reason: `must be at most ${JSON_LIMITS.maxSize} characters of keys and strings` };
  }
  return null;
}

/** Our identifiers' shape (lib/ids.ts: a lower-case prefix, `_`, base32), loose enough for fixed test ids such as `mer_bulk`. */
const idShape = /^[a-z]{1,16}_[0-9a-z]{1,64}$/;

export function isIdText(text: string): boolean {
  return idShape.test(text);
}
