// Assembles the application: migrations, database, services, HTTP server. main.ts and the
// tests both start the server through here, so tests run the same wiring as production.
import type { FastifyInstance } from 'fastify';
import { createServices, type AppServices, type ServiceOverrides } from './app-services.js';
import type { Config } from './config.js';
import { openMigratedDatabase } from './db/open-migrated.js';
import { buildHttpServer } from './http/server.js';
import { createLogger, type Logger } from './logger.js';

export interface App {
  services: AppServices;
  http: FastifyInstance;
  /** Stops accepting, lets in-flight requests finish, then closes the database. */
  close(): Promise<void>;
}

export async function createApp(
  config: Config,
  logger: Logger = createLogger({ level: config.logLevel, pretty: config.logPretty }),
  overrides: ServiceOverrides = {},
): Promise<App> {
  const { db, applied } = await openMigratedDatabase(config.databaseUrl);
  logger.info({ applied }, applied.length ? `applied ${applied.length} migration(s)` : 'database schema is up to date');
  let services: AppServices;
  try {
    services = createServices(config, logger, db, overrides);
  } catch (error) {
    await db.close();
    throw error;
  }
  const http = await buildHttpServer(services);
  return {
    services,
    http,
    async close() {
      await http.close();
      await services.rateLimits.close();
      await db.close();
    },
  };
}
