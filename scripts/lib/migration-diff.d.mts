// Types for migration-diff.mjs.
import type { SchemaProvider } from './prisma-schemas.mjs';

export declare function shadowServerUrl(env?: NodeJS.ProcessEnv): string;
export declare function pendingMigrationSql(options: {
  schema: { provider: SchemaProvider; path: string; content: string };
  migrationsDir: string;
  postgresUrl?: string;
}): Promise<string | null>;
