import { pino, type Logger } from 'pino';

export type { Logger };

/** Structured JSON logs on stdout; `silent` in tests. */
export function createLogger(level: string = process.env.HQWATCH_LOG_LEVEL ?? 'info'): Logger {
  return pino({ name: 'hqwatch', level, base: undefined, timestamp: pino.stdTimeFunctions.isoTime });
}
