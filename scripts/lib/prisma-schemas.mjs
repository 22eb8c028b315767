// Where each database's Prisma files live, and how a database's schema is made from the one
// model source (prisma/models.prisma). Plain JS so that `node scripts/…` works on a fresh
// clone; src/db uses it through prisma-schemas.d.mts.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

// scripts/lib/ never moves (it is not compiled), so the project root is two levels up.
export const PROJECT_ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const PROVIDERS = /** @type {const} */ (['sqlite', 'postgresql']);
export const MODELS_PATH = join(PROJECT_ROOT, 'prisma', 'models.prisma');

/** @param {'sqlite' | 'postgresql'} provider */
export const providerDir = (provider) => join(PROJECT_ROOT, 'prisma', provider);
/** @param {'sqlite' | 'postgresql'} provider */
export const schemaPathOf = (provider) => join(providerDir(provider), 'schema.prisma');
/** @param {'sqlite' | 'postgresql'} provider */
export const migrationsDirOf = (provider) => join(providerDir(provider), 'migrations');

/**
 * The header each generated schema starts with. No datasource url: Prisma 7 takes connections
 * from driver adapters at run time. The client output is relative to the schema file.
 * @param {'sqlite' | 'postgresql'} provider
 */
function schemaHeader(provider) {
  return `// generated from models.prisma, do not edit: change prisma/models.prisma and run \`npm run db:generate\`

datasource db {
  provider = "${provider}"
}

generator client {
  provider            = "prisma-client"
  output              = "../../src/generated/${provider}"
  moduleFormat        = "esm"
  importFileExtension = "js"
  runtime             = "nodejs"
}

`;
}

/**
 * @param {'sqlite' | 'postgresql'} provider
 * @param {string} modelsText the content of prisma/models.prisma, copied verbatim
 */
export const renderSchema = (provider, modelsText) => schemaHeader(provider) + modelsText;

/** The schema each database should have now, built from prisma/models.prisma. */
export async function renderSchemas() {
  const models = await readFile(MODELS_PATH, 'utf8');
  return PROVIDERS.map((provider) => ({ provider, path: schemaPathOf(provider), content: renderSchema(provider, models) }));
}
