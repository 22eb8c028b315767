#!/usr/bin/env node
// Creates the next migration for BOTH databases, offline, with the wasm schema engine: each
// migrations folder is replayed in a scratch database and diffed against the schema built from
// prisma/models.prisma.
//
//   npm run db:migration:new -- <name>
//
// SQLite replays in memory. PostgreSQL needs a server on which a temporary database can be
// created and dropped: SHADOW_DATABASE_URL, else a postgresql:// DATABASE_URL, else
// TEST_DATABASE_URL, else postgresql://postgres@127.0.0.1:5432/postgres.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { pendingMigrationSql, shadowServerUrl } from './lib/migration-diff.mjs';
import { ensureLockFile, migrationFolderName, MIGRATION_FILE } from './lib/migrations-folder.mjs';
import { migrationsDirOf, PROJECT_ROOT, renderSchemas } from './lib/prisma-schemas.mjs';

async function main(args) {
  const name = args.find((arg) => !arg.startsWith('-'));
  if (!name) throw new Error('usage: npm run db:migration:new -- <name>   (e.g. add_credential_labels)');
  const folder = migrationFolderName(name);
  const schemas = await renderSchemas();

  for (const schema of schemas) {
    const onDisk = await readFile(schema.path, 'utf8').catch(() => null);
    if (onDisk !== schema.content) console.warn(`note: ${relative(PROJECT_ROOT, schema.path)} is older than prisma/models.prisma: run \`npm run db:generate\``);
  }
  const { hostname, port } = new URL(shadowServerUrl());
  console.log(`postgresql: replaying the migrations in a temporary database on ${hostname}:${port || 5432}`);

  // Both diffs first: a failure in either writes nothing.
  const pending = await Promise.all(
    schemas.map(async (schema) => {
      const sql = await pendingMigrationSql({ schema, migrationsDir: migrationsDirOf(schema.provider) }).catch((error) => {
        const hint = schema.provider === 'postgresql' ? ' (SHADOW_DATABASE_URL names the PostgreSQL server to use)' : '';
        throw new Error(`${schema.provider}: ${error.message}${hint}`);
      });
      return { schema, sql };
    }),
  );
  for (const { schema, sql } of pending) {
    const dir = migrationsDirOf(schema.provider);
    if (sql === null) {
      console.log(`${schema.provider}: no changes, the migrations already match prisma/models.prisma`);
      continue;
    }
    await mkdir(join(dir, folder), { recursive: true });
    if (await ensureLockFile(dir, schema.provider)) console.log(`${schema.provider}: wrote ${relative(PROJECT_ROOT, join(dir, 'migration_lock.toml'))}`);
    const file = join(dir, folder, MIGRATION_FILE);
    await writeFile(file, sql);
    console.log(`${schema.provider}: wrote ${relative(PROJECT_ROOT, file)}`);
  }
}

try {
  await main(process.argv.slice(2));
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
}
