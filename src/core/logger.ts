/**
 * A small structured logger. Library code receives a `Logger` and never writes to the console
 * itself; the CLI decides where lines go and at which level. Every line passes through the
 * sink's redaction, so a secret that slips into a field is masked before it is written.
 */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';

export type LogFields = Record<string, unknown>;

export interface Logger {
  debug(fields: LogFields | string, message?: string): void;
  info(fields: LogFields | string, message?: string): void;
  warn(fields: LogFields | string, message?: string): void;
  error(fields: LogFields | string, message?: string): void;
  child(subsystem: string): Logger;
}

export interface LogRecord {
  level: Exclude<LogLevel, 'silent'>;
  subsystem: string;
  message: string;
  fields: LogFields;
}

export type LogSink = (record: LogRecord) => void;

const RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 };

export interface LoggerOptions {
  level: LogLevel;
  sink: LogSink;
  subsystem?: string;
}

export function createLogger(options: LoggerOptions): Logger {
  const subsystem = options.subsystem ?? 'bulkhead';
  const threshold = RANK[options.level];

  function emit(level: LogRecord['level'], a: LogFields | string, b?: string): void {
    if (RANK[level] < threshold) {
      return;
    }
    const fields = typeof a === 'string' ? {} : a;
    const message = typeof a === 'string' ? a : (b ?? '');
    options.sink({ level, subsystem, message, fields });
  }

  return {
    debug: (a, b) => emit('debug', a, b),
    info: (a, b) => emit('info', a, b),
    warn: (a, b) => emit('warn', a, b),
    error: (a, b) => emit('error', a, b),
    child: (name) => createLogger({ ...options, subsystem: name }),
  };
}

/** A logger that drops everything; the default for library callers that pass none. */
export const silentLogger: Logger = createLogger({ level: 'silent', sink: () => undefined });

/** A sink that keeps records in memory, for tests and for collecting warnings into reports. */
export function memorySink(): { sink: LogSink; records: LogRecord[] } {
  const records: LogRecord[] = [];
  return { sink: (record) => records.push(record), records };
}

function formatValue(value: unknown): string {
  if (value instanceof Error) {
    return value.message;
  }
  if (typeof value === 'string') {
    return /\s/.test(value) ? JSON.stringify(value) : value;
  }
  return JSON.stringify(value) ?? String(value);
}

/** Renders a record as one human-readable line: `WARN  [image] message key=value`. */
export function formatRecord(record: LogRecord): string {
  const parts = [record.level.toUpperCase().padEnd(5), `[${record.subsystem}]`, record.message];
  for (const [key, value] of Object.entries(record.fields)) {
    parts.push(`${key}=${formatValue(value)}`);
  }
  return parts.join(' ');
}
