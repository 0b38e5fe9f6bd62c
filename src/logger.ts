import { createHash } from 'node:crypto';
import pino from 'pino';
import type { LogLevel } from './config.ts';

export type Logger = pino.Logger;

export function createLogger(level: LogLevel, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'django-session-bridge' },
      // Belt and braces: no code logs these, and if one ever did they would not reach the output.
      redact: { paths: ['*.cookie', '*.headers.cookie', 'req.headers.cookie', 'sessionData', 'secretKey'], censor: '[redacted]' },
    },
    destination,
  );
}

/** A short, stable name for a session key in logs: enough to correlate lines, useless as a credential. */
export function keyHash(sessionKey: string): string {
  return createHash('sha256').update(sessionKey).digest('hex').slice(0, 12);
}
