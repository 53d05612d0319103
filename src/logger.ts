/** Structured JSON logs. Request headers that carry secrets are never logged. */
import { pino, type Logger } from 'pino';

export type { Logger };

export function createLogger(level: string, destination?: NodeJS.WritableStream): Logger {
  const options = {
    level,
    base: undefined,
    redact: {
      paths: ['req.headers.cookie', 'req.headers.authorization', 'headers.cookie', 'headers.authorization'],
      remove: true,
    },
  };
  return destination ? pino(options, destination as unknown as pino.DestinationStream) : pino(options);
}
