import pino, { type Logger } from 'pino';

/** JSON logs on stderr, so that stdout carries only what a command prints (answers, JSON). */
export function createLogger(level = process.env['LOG_LEVEL'] ?? 'info', name?: string): Logger {
  return pino(
    { level, name, redact: { paths: ['token', '*.token', 'headers.authorization'], censor: '[redacted]' } },
    pino.destination(2),
  );
}

/** Where log lines go; pino's logger fits, and tests can pass a silent one. */
export interface Log {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
}
