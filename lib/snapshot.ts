/** JSON that keeps bigint and Date values, for responses stored and replayed later. */
export function encodeSnapshot(value: unknown): string {
  return JSON.stringify(value, function (this: Record<string, unknown>, key, raw: unknown) {
    const original = this[key];
    if (typeof original === 'bigint') return { $bigint: original.toString() };
    if (original instanceof Date) return { $date: original.toISOString() };
    return raw;
  });
}

export function decodeSnapshot<T>(text: string): T {
  return JSON.parse(text, (_key, value: unknown) => {
    if (value && typeof value === 'object' && !Array.isArray(value)) {
      const tagged = value as Record<string, unknown>;
      if (typeof tagged['$bigint'] === 'string') return BigInt(tagged['$bigint']);
      if (typeof tagged['$date'] === 'string') return new Date(tagged['$date']);
    }
    return value;
  }) as T;
}
