// Structured JSON logs. Redaction is configuration, not discipline: any field named like a
// secret is censored wherever it appears in the first levels of a log object, so a secret
// cannot be logged by accident.
import pino, { type Logger, type DestinationStream } from 'pino';

const SECRET_KEYS = [
  'secret',
  'password',
  'passwordHash',
  'token',
  'accessToken',
  'refreshToken',
  'authorization',
  'cookie',
  'ciphertext',
  'secretCiphertext',
  'usernameCiphertext',
  'username',
  'key',
  'keys',
];

/** Every path pino must censor: the key itself and the key one, two or three levels down. */
export const REDACTED_PATHS = SECRET_KEYS.flatMap((key) => [key, `*.${key}`, `*.*.${key}`, `*.*.*.${key}`]).concat([
  'req.headers.authorization',
  'req.headers.cookie',
  'headers.authorization',
  'request.headers.authorization',
  'res.headers["set-cookie"]',
]);

export interface LoggerOptions {
  level: string;
  pretty?: boolean;
  destination?: DestinationStream;
}

export function createLogger({ level, pretty, destination }: LoggerOptions): Logger {
  const options: pino.LoggerOptions = {
    level,
    redact: { paths: REDACTED_PATHS, censor: '[REDACTED]' },
    base: { service: 'provider-credentials-api' },
    timestamp: pino.stdTimeFunctions.isoTime,
  };
  if (destination) return pino(options, destination);
  if (pretty) return pino({ ...options, transport: { target: 'pino-pretty', options: { translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname,service' } } });
  return pino(options);
}

export type { Logger };
