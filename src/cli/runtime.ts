// Shared set-up for the command-line tools (operator CLI, seed:demo): configuration from the
// environment, pending migrations applied (as `npm start` does), the database opened; logs go
// to stderr so that stdout carries only the command's own output.
import pino from 'pino';
import { loadConfig, type Config } from '../config.js';
import type { Database } from '../db/client.js';
import { openMigratedDatabase } from '../db/open-migrated.js';
import { createLogger, type Logger } from '../logger.js';

export interface CliRuntime {
  config: Config;
  logger: Logger;
  db: Database;
  close(): Promise<void>;
}

export async function openCliRuntime(env: NodeJS.ProcessEnv = process.env): Promise<CliRuntime> {
  const config = loadConfig(env);
  const logger = createLogger({ level: config.logLevel === 'info' ? 'warn' : config.logLevel, destination: pino.destination(2) });
  const { db, applied } = await openMigratedDatabase(config.databaseUrl);
  if (applied.length > 0) process.stderr.write(`applied ${applied.length} migration(s): ${applied.join(', ')}\n`);
  return { config, logger, db, close: () => db.close() };
}

/** A usage mistake (unknown command, missing or unknown option): exit code 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}
