/**
 * The operator log: JSON lines appended to a file, one per step, each with the milliseconds since
 * the plugin started. Off (a no-op) unless CNI_LOG_FILE or the config's `logFile` names a file.
 * It never writes to stdout, and a failing log never fails the plugin. The file writer lives in
 * file-logger.ts, loaded only when a log file is configured.
 */

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

/** Log levels, lowest first (shared with file-logger.ts). */
export const LEVELS: readonly LogLevel[] = ['debug', 'info', 'warn', 'error'];

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

/** Parses a level name (any case); undefined for anything else. */
export function parseLogLevel(value: unknown): LogLevel | undefined {
  if (typeof value !== 'string') return undefined;
  const lower = value.toLowerCase();
  return LEVELS.find((l) => l === lower);
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
