const NAME = /^[_A-Za-z][_0-9A-Za-z]{0,63}$/;

/**
 * Label values from what clients choose (operation names, codes a subgraph answers): the first `max`
 * distinct valid names keep theirs, every other becomes "other", so series stay bounded.
 */
export function boundedLabel(max: number): (value: string | null | undefined, fallback: string) => string {
  const seen = new Set<string>();
  return (value, fallback) => {
    if (!value) return fallback;
    if (seen.has(value)) return value;
    if (seen.size >= max || !NAME.test(value)) return 'other';
    seen.add(value);
    return value;
  };
}
