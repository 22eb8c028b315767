// Structured JSON logs. Redaction is configuration, not discipline: any field named like a
// secret is censored wherever it appears in a log object (and at the top of a child logger's
// bindings), so a secret cannot be logged by accident.
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

const SECRET_KEY_SET = new Set(SECRET_KEYS.map((key) => key.toLowerCase()));
/** Deep enough for any request, GraphQL variables or error detail the server logs. */
const MAX_DEPTH = 8;
export const CENSORED = '[REDACTED]';

/**
 * Returns `value` with every field named like a secret (case-insensitive, at any depth up to
 * MAX_DEPTH, in plain objects and arrays) replaced by CENSORED. Copy on write: an object
 * without secrets is returned as it is, so the common log line costs one walk and no
 * allocation. (pino's path-based `redact` needs a wildcard path per depth and cost ~0.2 ms
 * per request line; see bench/read-path.ts.)
 */
export function censorSecrets<T>(value: T, depth = 0): T {
  if (value === null || typeof value !== 'object' || depth > MAX_DEPTH) return value;
  if (Array.isArray(value)) {
    let copy: unknown[] | undefined;
    value.forEach((item, index) => {
      const censored = censorSecrets(item, depth + 1);
      if (censored !== item) (copy ??= [...value])[index] = censored;
    });
    return (copy ?? value) as T;
  }
  const prototype = Object.getPrototypeOf(value);
  if (prototype !== Object.prototype && prototype !== null) return value;
  const record = value as Record<string, unknown>;
  let copy: Record<string, unknown> | undefined;
  for (const [key, item] of Object.entries(record)) {
    const censored = SECRET_KEY_SET.has(key.toLowerCase()) ? CENSORED : censorSecrets(item, depth + 1);
    if (censored !== item) (copy ??= { ...record })[key] = censored;
  }
  return (copy ?? value) as T;
}

export interface LoggerOptions {
  level: string;
  pretty?: boolean;
  destination?: DestinationStream;
}

export function createLogger({ level, pretty, destination }: LoggerOptions): Logger {
  const options: pino.LoggerOptions = {
    level,
    // Every log object passes through censorSecrets. Child loggers' bindings bypass
    // formatters, so pino's own (cheap, static) redaction covers their top-level keys.
    formatters: { log: (object) => censorSecrets(object) },
    redact: { paths: SECRET_KEYS, censor: CENSORED },
    base: { service: 'provider-credentials-api' },
    timestamp: pino.stdTimeFunctions.isoTime,
  };
  if (destination) return pino(options, destination);
  if (pretty) return pino({ ...options, transport: { target: 'pino-pretty', options: { translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname,service' } } });
  return pino(options);
}

export type { Logger };
