/** Things held at once per key on this gateway instance (subscriptions or connections per API key, connections per address, requests in flight), at most `max` each. */
export interface KeySlots {
  /** a release function, or null when the key already holds `max` subscriptions */
  take: (key: string) => (() => void) | null;
  count: (key: string) => number;
}

export function keySlots(max: number): KeySlots {
  const open = new Map<string, number>();
  return {
    take(key) {
      const held = open.get(key) ?? 0;
      if (held >= max) return null;
      open.set(key, held + 1);
      let released = false;
      return () => {
        if (released) return;
        released = true;
        const left = (open.get(key) ?? 1) - 1;
        if (left > 0) open.set(key, left);
        else open.delete(key);
      };
    },
    count: (key) => open.get(key) ?? 0,
  };
}
