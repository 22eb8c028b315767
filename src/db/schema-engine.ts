// The wasm schema engine helpers live in scripts/lib/ as plain JS, shared with the scripts
// (`db:migration:new`) that must run with plain `node` on a fresh clone. They are loaded by
// path from the project root, which works from src/ (vitest) and from dist/src/ (built).
import { pathToFileURL } from 'node:url';
import type * as MigrationsFolder from '../../scripts/lib/migrations-folder.mjs';
import type * as PrismaSchemas from '../../scripts/lib/prisma-schemas.mjs';
import type * as SchemaEngine from '../../scripts/lib/schema-engine.mjs';
import { projectPath } from '../project-root.js';

export type { EngineTarget, EngineSessionStats } from '../../scripts/lib/schema-engine.mjs';

type SchemaEngineLib = typeof SchemaEngine & typeof MigrationsFolder & typeof PrismaSchemas;

const load = <T>(file: string): Promise<T> => import(pathToFileURL(projectPath('scripts', 'lib', file)).href) as Promise<T>;

let loading: Promise<SchemaEngineLib> | undefined;

export function loadSchemaEngineLib(): Promise<SchemaEngineLib> {
  loading ??= Promise.all([
    load<typeof SchemaEngine>('schema-engine.mjs'),
    load<typeof MigrationsFolder>('migrations-folder.mjs'),
    load<typeof PrismaSchemas>('prisma-schemas.mjs'),
  ]).then(([engine, folder, schemas]) => ({ ...engine, ...folder, ...schemas }));
  return loading;
}
