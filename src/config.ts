// Configuration comes only from environment variables, validated once at start. A bad value
// stops the server with one line naming the variable and what was expected.
import { z } from 'zod';
import { parseDatabaseUrl } from './db/database-url.js';
import { KeyRingError, parseKeyRing } from './modules/vault/key-ring.js';

const booleanFlag = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'], { error: 'expected true or false' })
  .transform((value) => value === 'true' || value === '1' || value === 'yes');

const commaList = z
  .string()
  .transform((value) => value.split(',').map((item) => item.trim()).filter(Boolean));

const positiveInt = (max: number) =>
  z.coerce
    .number({ error: 'expected a whole number' })
    .int({ error: 'expected a whole number' })
    .min(1, { error: `expected a whole number from 1 to ${max}` })
    .max(max, { error: `expected a whole number from 1 to ${max}` });

/** `points/seconds`, e.g. `20/60` = twenty attempts per minute. */
const rateLimit = z
  .string()
  .regex(/^[1-9]\d{0,6}\/[1-9]\d{0,6}$/, { error: 'expected points/seconds, e.g. 20/60' })
  .transform((value) => {
    const [points, durationSeconds] = value.split('/').map(Number) as [number, number];
    return { points, durationSeconds };
  });

const environmentSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test'], { error: 'expected development, production or test' }).default('development'),
  PORT: positiveInt(65535).default(4000),
  HOST: z.string().min(1, { error: 'expected a host name or IP address to listen on' }).default('127.0.0.1'),
  DATABASE_URL: z
    .string()
    .default('file:./data/app.db')
    .refine(
      (value) => {
        try {
          parseDatabaseUrl(value);
          return true;
        } catch {
          return false;
        }
      },
      { error: 'expected file:<path> (SQLite) or postgresql://user@host:port/database' },
    ),
  // Parsed here, before anything touches the database, so a bad key ring migrates nothing.
  CREDENTIALS_ENCRYPTION_KEYS: z
    .string()
    .transform((value, context) => {
      try {
        return parseKeyRing(value);
      } catch (error) {
        if (!(error instanceof KeyRingError)) throw error;
        context.addIssue({ code: 'custom', message: error.problem });
        return z.NEVER;
      }
    })
    .optional(),
  CONNECTIVITY_TIMEOUT_MS: positiveInt(600_000).default(15_000),
  CONNECTIVITY_ALLOWED_HOSTS: commaList.default([]),
  CONNECTIVITY_EXTRA_CA_FILE: z.string().min(1).optional(),
  ALLOW_INSECURE_TRANSPORT: booleanFlag.default(false),
  ALLOW_SIGNUP: booleanFlag.optional(),
  CORS_ORIGINS: commaList.default([]),
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, { error: 'expected redis://host:port' })
    .optional(),
  LOG_LEVEL: z
    .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], { error: 'expected one of fatal, error, warn, info, debug, trace, silent' })
    .default('info'),
  LOG_PRETTY: booleanFlag.default(false),
  SESSION_TTL_SECONDS: positiveInt(31_536_000).default(7 * 24 * 3600),
  GRAPHQL_INTROSPECTION: booleanFlag.optional(),
  SHUTDOWN_TIMEOUT_MS: positiveInt(600_000).default(10_000),
  SIGN_IN_RATE_LIMIT_PER_IP: rateLimit.prefault('30/60'),
  SIGN_IN_RATE_LIMIT_PER_EMAIL: rateLimit.prefault('10/900'),
  SIGN_UP_RATE_LIMIT_PER_IP: rateLimit.prefault('10/3600'),
  TEST_RATE_LIMIT_PER_ACCOUNT: rateLimit.prefault('60/60'),
  CONNECTIVITY_MAX_IN_FLIGHT: positiveInt(10_000).default(50),
}).superRefine((env, context) => {
  // Development falls back to a key file under ./data/ (key-ring.ts); production never does.
  if (env.NODE_ENV === 'production' && !env.CREDENTIALS_ENCRYPTION_KEYS) {
    context.addIssue({ code: 'custom', path: ['CREDENTIALS_ENCRYPTION_KEYS'], message: 'required in production (id:base64key, 32-byte keys)' });
  }
});

export type Config = ReturnType<typeof toConfig>;

function toConfig(env: z.infer<typeof environmentSchema>) {
  const production = env.NODE_ENV === 'production';
  return {
    nodeEnv: env.NODE_ENV,
    production,
    port: env.PORT,
    host: env.HOST,
    databaseUrl: env.DATABASE_URL,
    encryptionKeys: env.CREDENTIALS_ENCRYPTION_KEYS,
    connectivity: {
      timeoutMs: env.CONNECTIVITY_TIMEOUT_MS,
      allowedHosts: env.CONNECTIVITY_ALLOWED_HOSTS,
      extraCaFile: env.CONNECTIVITY_EXTRA_CA_FILE,
      maxInFlight: env.CONNECTIVITY_MAX_IN_FLIGHT,
    },
    allowInsecureTransport: env.ALLOW_INSECURE_TRANSPORT,
    allowSignup: env.ALLOW_SIGNUP ?? !production,
    corsOrigins: env.CORS_ORIGINS,
    redisUrl: env.REDIS_URL,
    logLevel: env.LOG_LEVEL,
    logPretty: env.LOG_PRETTY,
    sessionTtlSeconds: env.SESSION_TTL_SECONDS,
    // GraphiQL and introspection follow each other: both off in production unless asked for.
    graphqlIntrospection: env.GRAPHQL_INTROSPECTION ?? !production,
    shutdownTimeoutMs: env.SHUTDOWN_TIMEOUT_MS,
    rateLimits: {
      signInPerIp: env.SIGN_IN_RATE_LIMIT_PER_IP,
      signInPerEmail: env.SIGN_IN_RATE_LIMIT_PER_EMAIL,
      signUpPerIp: env.SIGN_UP_RATE_LIMIT_PER_IP,
      testsPerAccount: env.TEST_RATE_LIMIT_PER_ACCOUNT,
    },
  };
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Parses the environment; throws ConfigError with one line per bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  // An empty variable means "not set", as in most shells' `VAR= cmd` usage.
  const present = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value !== ''));
  const parsed = environmentSchema.safeParse(present);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => {
      const variable = String(issue.path[0] ?? 'environment');
      const shown = typeof present[variable] === 'string' && !/KEY|SECRET|PASSWORD|URL/.test(variable) ? ` (got "${present[variable]}")` : '';
      return `${variable}: ${issue.message}${shown}`;
    });
    throw new ConfigError(`Invalid configuration: ${problems.join('; ')}`);
  }
  return toConfig(parsed.data);
}
