/**
 * Logs an unexpected error: its type, message and stack only. Request inputs (card numbers among
 * them) are never logged.
 */
export function logInternalError(service: string, error: unknown): void {
  const detail = error instanceof Error ? (error.stack ?? `${error.name}: ${error.message}`) : String(error);
  console.error(`[${service}] internal error: ${detail}`);
}
