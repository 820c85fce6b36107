import { pino, type DestinationStream, type Logger } from 'pino';
import pretty from 'pino-pretty';
import { loadLogConfig, type LogConfig } from './logging/config.js';
import { redacted } from './logging/redaction.js';
import { currentRequestContext } from './request-context.js';

export type { Logger } from 'pino';
/** where log lines are written, one JSON line per call of `write` */
export type LogDestination = DestinationStream;

/** Pretty lines for a person at a terminal (or LOG_FORMAT=pretty); JSON lines, one per event, for everything else. */
function destinationFor(config: LogConfig): DestinationStream {
  const format = config.format ?? (!config.production && process.stdout.isTTY ? 'pretty' : 'json');
  if (format === 'pretty') return pretty({ colorize: process.stdout.isTTY, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname,service', messageFormat: '[{service}] {msg}', singleLine: true, sync: true });
  return pino.destination({ dest: 1, sync: true });
}

const initial = loadLogConfig();
let target = initial.level === 'silent' ? null : destinationFor(initial);
// The services' loggers are made once, at import; where their lines go is chosen later (configureLogging).
const destination: DestinationStream = { write: (line) => target?.write(line) };

const root = pino(
  {
    level: initial.level,
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    // the request's id (or the event's) on every line written while serving it
    mixin: () => {
      const context = currentRequestContext();
      return context ? { ...context.logFields } : {};
    },
    hooks: {
      logMethod(args, method) {
        method.apply(this, args.map((arg) => redacted(arg)) as Parameters<typeof method>);
      },
    },
  },
  destination,
);

const services = new Map<string, Logger>();

/** The logger of a service or component: its lines carry `service`. */
export function logger(service: string): Logger {
  let child = services.get(service);
  if (!child) services.set(service, (child = root.child({ service })));
  return child;
}

/** Sets the process's level and where lines go: stdout (JSON or pretty, by `config`) or `to`, e.g. a test's capture. */
export function configureLogging(config: LogConfig, to?: LogDestination): void {
  target = to ?? (config.level === 'silent' ? null : destinationFor(config));
  root.level = config.level;
  for (const child of services.values()) child.level = config.level;
}
