/**
 * Keeps services running until SIGINT or SIGTERM, then closes them in reverse order (each lets its
 * requests in flight finish within SHUTDOWN_GRACE) and exits; a second signal exits at once.
 */
export function closeOnSignal(closers: (() => Promise<void>)[]): void {
  let closing = false;
  const shutdown = (signal: string) => {
    if (closing) {
      console.error(`${signal} again: exiting without waiting for requests in flight`);
      process.exit(1);
    }
    closing = true;
    console.log(`\n${signal}: shutting down`);
    void (async () => {
      for (const close of [...closers].reverse()) await close().catch((error: unknown) => console.error(error));
      process.exit(0);
    })();
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
}

export function failStart(error: unknown): never {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
}
