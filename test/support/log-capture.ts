import type { DestinationStream } from 'pino';
import { configureLogging } from '../../lib/logger.js';
import { loadLogConfig, type LogLevel } from '../../lib/logging/config.js';

/** A log line as the services write it (JSON). */
export type LogLine = Record<string, unknown> & { level: string; msg?: string; service?: string };

export interface LogCapture {
  /** where the services write: give it to startSystem({ logs }) */
  destination: DestinationStream;
  /** every line so far, as written */
  text: () => string;
  lines: () => LogLine[];
}

/** Collects log lines in memory. */
export function logCapture(): LogCapture {
  const written: string[] = [];
  return {
    destination: { write: (line: string) => void written.push(line) },
    text: () => written.join(''),
    lines: () => written.map((line) => JSON.parse(line) as LogLine),
  };
}

/** This process's lines at `level` and above go to a capture until `stop` (back to the test default, silent). */
export function captureLogs(level: LogLevel = 'info'): LogCapture & { stop: () => void } {
  const capture = logCapture();
  configureLogging({ ...loadLogConfig(), level, format: 'json' }, capture.destination);
  return { ...capture, stop: () => configureLogging(loadLogConfig()) };
}
