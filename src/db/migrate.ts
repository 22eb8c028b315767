// Applies the pending migrations of prisma/<provider>/migrations at start-up with the wasm
// schema engine: no native engine, no network. Same folders and _prisma_migrations rows as
// `prisma migrate deploy`.
import { parseDatabaseUrl } from './database-url.js';
import { loadSchemaEngineLib } from './schema-engine.js';

export interface ApplyMigrationsOptions {
  /** Another migrations folder (tests); defaults to prisma/<provider>/migrations. */
  migrationsDir?: string;
}

/**
 * Applies what is pending and returns the names applied (none when up to date). A migration
 * that fails is undone whole and marked rolled back, so the database keeps the schema it had
 * before it (migrations applied before it in the same run stay) and the fixed migration can be
 * applied later; the error names the migration and the database's reason in one message.
 */
export async function applyMigrations(databaseUrl: string, log?: (message: string) => void, options: ApplyMigrationsOptions = {}): Promise<{ applied: string[] }> {
  const target = parseDatabaseUrl(databaseUrl);
  const lib = await loadSchemaEngineLib();
  const migrationsDir = options.migrationsDir ?? lib.migrationsDirOf(target.provider);
  const migrationsList = await lib.readMigrationsList(migrationsDir);
  if (migrationsList.migrationDirectories.length === 0) throw new Error(`No migrations found in ${migrationsDir}`);
  // Applying needs only the datasource's provider, not the models.
  const schema = { path: 'schema.prisma', content: `datasource db {\n  provider = "${target.provider}"\n}\n` };

  let rolledBack: string | undefined;
  try {
    return await lib.withSchemaEngine({ target, schema, log }, async (engine, stats) => {
      try {
        const { appliedMigrationNames } = await engine.applyMigrations({ migrationsList, filters: lib.NO_FILTERS });
        return { applied: appliedMigrationNames };
      } catch (error) {
        if (stats.failedScriptsRolledBack === 0) throw error;
        // The script was undone, so recording the attempt as rolled back (what `prisma migrate
        // resolve --rolled-back` does) leaves the history matching the schema.
        const { failedMigrationNames } = await engine.diagnoseMigrationHistory({ migrationsList, optInToShadowDatabase: false, filters: lib.NO_FILTERS });
        for (const migrationName of failedMigrationNames) await engine.markMigrationRolledBack({ migrationName });
        rolledBack = `Migration ${failedMigrationNames.join(', ')} failed and was rolled back: ${lib.engineErrorMessage(error)}`;
        throw error;
      }
    });
  } catch (error) {
    throw new lib.SchemaEngineError(rolledBack ?? `Cannot apply the migrations in ${migrationsDir}: ${lib.engineErrorMessage(error)}`);
  }
}
