/** The operator log's file writer: JSON lines appended to a file (see logger.ts). */
import { appendFileSync } from 'node:fs';
import { LEVELS, type LogFields, type Logger, type LogLevel } from './logger.js';

/** Options of {@link createFileLogger}. */
export interface FileLoggerOptions {
  /** The file lines are appended to. */
  file: string;
  /** Lines below this level are dropped; default "info". */
  level?: LogLevel;
  /** Fields put on every line (plugin, command, container ID...). */
  context?: LogFields;
  /**
   * The `performance.now()` reading elapsed times count from (default: the logger's creation;
   * `runPlugin` passes 0, the process's start).
   */
  start?: number;
  /** Called once if writing fails; the logger then goes quiet. */
  onError?: (err: unknown) => void;
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
