import pino, { Logger } from 'pino';

export function createLogger(level: string): Logger {
  return pino({
    level,
    base: { service: 'microwish' },
    redact: { paths: ['*.token', '*.authorization', 'req.headers.authorization', '*.contact', '*.notes'], censor: '[redacted]' },
  });
}
