// What a migrations folder lacks to reach a schema: the engine replays the folder in a scratch
// database and diffs the result against the schema. Used by `db:migration:new` and by the test
// that fails when prisma/models.prisma changed without a migration.
import { lockFileContent, readMigrationsList } from './migrations-folder.mjs';
import { NO_FILTERS, withSchemaEngine } from './schema-engine.mjs';

const isPostgresUrl = (url) => /^postgres(ql)?:\/\//.test(url ?? '');

/**
 * The PostgreSQL server on which a temporary database may be created for the replay:
 * SHADOW_DATABASE_URL, else a postgresql:// DATABASE_URL, else TEST_DATABASE_URL, else the local
 * default server.
 */
export function shadowServerUrl(env = process.env) {
  return [env.SHADOW_DATABASE_URL, env.DATABASE_URL, env.TEST_DATABASE_URL].find(isPostgresUrl) ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
}

/**
 * The SQL that takes a database built from `migrationsDir` to `schema`, or null when none is
 * needed. SQLite replays in memory; PostgreSQL in a temporary database on `postgresUrl`'s server.
 */
export async function pendingMigrationSql({ schema, migrationsDir, postgresUrl = shadowServerUrl() }) {
  const migrations = await readMigrationsList(migrationsDir);
  // The engine learns the folder's database from its lock file; a new folder has none yet.
  migrations.lockfile.content ??= lockFileContent(schema.provider);
  const target = schema.provider === 'sqlite' ? { provider: 'sqlite', filePath: ':memory:' } : { provider: 'postgresql', url: postgresUrl };
  const diff = await withSchemaEngine({ target, schema }, (engine) =>
    engine.diff({
      from: { tag: 'migrations', ...migrations },
      to: { tag: 'schemaDatamodel', files: [{ path: schema.path, content: schema.content }] },
      script: true,
      exitCode: true, // 2 when there is a difference, 0 when there is none
      filters: NO_FILTERS,
    }),
  );
  return diff.exitCode === 2 ? diff.stdout : null;
}
