/**
 * Identical work in flight at the same time, done once: the first caller of a key starts it, every
 * caller of that key until it settles awaits the same promise (its value or its error), and the key
 * is free again once it has settled. What is shared must be immutable: callers copy what they change.
 */
export class InFlight<T> {
  private readonly running = new Map<string, Promise<T>>();

  share(key: string, start: () => Promise<T>): Promise<T> {
    const running = this.running.get(key);
    if (running) return running;
    const started = start().finally(() => this.running.delete(key));
    this.running.set(key, started);
    return started;
  }

  get size(): number {
    return this.running.size;
  }
}
