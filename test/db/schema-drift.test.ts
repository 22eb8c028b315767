// prisma/models.prisma is the one model source: both generated schemas must carry exactly its
// models, and both migrations folders must build exactly that schema.
import { spawnSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { pendingMigrationSql } from '../../scripts/lib/migration-diff.mjs';
import { migrationsDirOf, MODELS_PATH, renderSchemas, schemaPathOf } from '../../scripts/lib/prisma-schemas.mjs';
import { projectPath } from '../../src/project-root.js';
import { testProviders } from '../support/test-database.js';

const modelBlocks = (schema: string) => schema.match(/^model \w+ \{[\s\S]*?^\}/gm) ?? [];

describe('the Prisma schemas', () => {
  it('match prisma/models.prisma (prisma-generate.mjs --check)', () => {
    const check = spawnSync(process.execPath, [projectPath('scripts', 'prisma-generate.mjs'), '--check'], { encoding: 'utf8' });
    expect(check.stderr).toBe('');
    expect(check.status).toBe(0);
  });

  it('hold the same model blocks for SQLite and PostgreSQL', async () => {
    const [models, sqlite, postgresql] = await Promise.all([MODELS_PATH, schemaPathOf('sqlite'), schemaPathOf('postgresql')].map((path) => readFile(path, 'utf8')));
    expect(modelBlocks(models!).length).toBeGreaterThan(0);
    expect(modelBlocks(sqlite!)).toEqual(modelBlocks(models!));
    expect(modelBlocks(postgresql!)).toEqual(modelBlocks(models!));
  });
});

describe.each(testProviders())('the %s migrations', (provider) => {
  it('build exactly the schema of prisma/models.prisma (else: npm run db:migration:new -- <name>)', async () => {
    const schema = (await renderSchemas()).find((each) => each.provider === provider)!;
    const sql = await pendingMigrationSql({ schema, migrationsDir: migrationsDirOf(provider), postgresUrl: process.env.TEST_DATABASE_URL });
    expect(sql).toBeNull();
  });
});
