/**
 * The operator log: JSON lines appended to a file, one per step, each with the milliseconds since
 * the plugin started. Off (a no-op) unless CNI_LOG_FILE or the config's `logFile` names a file.
 * It never writes to stdout, and a failing log never fails the plugin.
 */
import { appendFileSync } from 'node:fs';

/** Log levels, lowest first. */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
/** Extra key/values of a log line. */
export type LogFields = Readonly<Record<string, unknown>>;

/** A running step; `end()` logs it with its duration and returns that duration in ms. */
export interface StepTimer {
  end(fields?: LogFields): number;
}

/** What handlers get as `ctx.log`. */
export interface Logger {
  /** False for the no-op logger: lets callers skip building expensive fields. */
  readonly enabled: boolean;
  debug(msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
  /** Starts timing a step, logged at info level when it ends. */
  step(name: string): StepTimer;
}

const LEVELS: readonly LogLevel[] = ['debug', 'info', 'warn', 'error'];

const noop = (): void => undefined;

/** The logger used when no log file is configured. */
export const noopLogger: Logger = Object.freeze({
  enabled: false,
  debug: noop,
  info: noop,
  warn: noop,
  error: noop,
  step: () => ({ end: () => 0 }),
});

/** Options of {@link createFileLogger}. */
export interface FileLoggerOptions {
  /** The file lines are appended to. */
  file: string;
  /** Lines below this level are dropped; default "info". */
  level?: LogLevel;
  /** Fields put on every line (plugin, command, container ID...). */
  context?: LogFields;
  /** `performance.now()` at plugin start; elapsed times count from it. */
  start?: number;
  /** Called once if writing fails; the logger then goes quiet. */
  onError?: (err: unknown) => void;
}

/** Parses a level name (any case); undefined for anything else. */
export function parseLogLevel(value: unknown): LogLevel | undefined {
  if (typeof value !== 'string') return undefined;
  const lower = value.toLowerCase();
  return LEVELS.find((l) => l === lower);
}

const round = (ms: number): number => Math.round(ms * 100) / 100;

function serialize(line: Record<string, unknown>): string {
  try {
    return JSON.stringify(line);
  } catch {
    // BigInt or cycles in fields: keep the line, lose the fields.
    return JSON.stringify({ time: line.time, level: line.level, msg: line.msg, badFields: true });
  }
}

/** A logger appending JSON lines to `options.file`. */
export function createFileLogger(options: FileLoggerOptions): Logger {
  const start = options.start ?? performance.now();
  const threshold = LEVELS.indexOf(options.level ?? 'info');
  let broken = false;

  const write = (level: LogLevel, msg: string, fields?: LogFields): void => {
    if (broken || LEVELS.indexOf(level) < threshold) return;
    const line = serialize({
      time: new Date().toISOString(),
      level,
      elapsedMs: round(performance.now() - start),
      ...options.context,
      msg,
      ...fields,
    });
    try {
      appendFileSync(options.file, line + '\n');
    } catch (err) {
      broken = true;
      options.onError?.(err);
    }
  };

  return {
    enabled: true,
    debug: (msg, fields) => write('debug', msg, fields),
    info: (msg, fields) => write('info', msg, fields),
    warn: (msg, fields) => write('warn', msg, fields),
    error: (msg, fields) => write('error', msg, fields),
    step(name) {
      const began = performance.now();
      return {
        end(fields) {
          const ms = round(performance.now() - began);
          write('info', name, { stepMs: ms, ...fields });
          return ms;
        },
      };
    },
  };
}

/** Where the log goes: CNI_LOG_FILE / CNI_LOG_LEVEL win over the config's logFile / logLevel. */
export function logSettings(
  env: Readonly<Record<string, string | undefined>>,
  config: Readonly<Record<string, unknown>> | undefined,
): { file: string; level: LogLevel } | undefined {
  const fromConfig = (key: string): string | undefined => {
    const value = config?.[key];
    return typeof value === 'string' && value !== '' ? value : undefined;
  };
  const file = env.CNI_LOG_FILE || fromConfig('logFile');
  if (!file) return undefined;
  const level = parseLogLevel(env.CNI_LOG_LEVEL) ?? parseLogLevel(fromConfig('logLevel')) ?? 'info';
  return { file, level };
}
