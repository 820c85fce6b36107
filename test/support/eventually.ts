/** How long a poll may take, and what it waits for (named in the error when it times out). */
export interface Deadline {
  /** what the poll waits for; defaults to the source text of the condition */
  what?: string;
  timeoutMs?: number;
  intervalMs?: number;
}

/** Sized for a loaded 2-core machine: a condition that holds at all holds well within this. */
export const POLL_TIMEOUT_MS = 30_000;

function describeValue(value: unknown): string {
  try {
    return JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v)) ?? String(value);
  } catch {
    return String(value);
  }
}

/**
 * Reads until `holds` accepts the value read, and returns that value; after the deadline, fails
 * naming what it waited for and the last value read. A read that throws fails the poll at once.
 */
export async function eventually<T>(read: () => T | Promise<T>, holds: (value: T) => boolean, deadline: Deadline = {}): Promise<T> {
  const { timeoutMs = POLL_TIMEOUT_MS, intervalMs = 20 } = deadline;
  const stopAt = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (holds(value)) return value;
    if (Date.now() > stopAt) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${deadline.what ?? holds.toString()}; last read: ${describeValue(value)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/** Polls until `condition` holds (see eventually). */
export async function pollUntil(condition: () => boolean | Promise<boolean>, deadline: Deadline = {}): Promise<void> {
  await eventually(condition, (held) => held, { what: condition.toString(), ...deadline });
}
