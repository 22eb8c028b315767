// Prisma's schema engine (migrations, diffs) compiled to wasm, driven through a driver adapter:
// no native engine binary and no download. Shared by the scripts and by src/db/migrate.ts.
//
// Node 20 cannot import the package's main entry (it imports a .wasm file as an ES module), so
// the wasm is instantiated here against the package's JS glue.
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createMigrationAdapterFactory } from './migration-adapters.mjs';

const require = createRequire(import.meta.url);
// One wasm instance per process: the glue module keeps it in a module-level variable, so a
// second instantiation (e.g. this file re-evaluated by a test runner) would replace it under
// engines still in use. The promise is therefore kept on globalThis, not in this module.
const LOADED = Symbol.for('provider-credentials-api.schema-engine-wasm');

async function instantiateEngineModule() {
  const gluePath = require.resolve('@prisma/schema-engine-wasm/schema_engine_bg');
  const glue = await import(pathToFileURL(gluePath).href);
  const wasmBytes = await readFile(join(dirname(gluePath), 'schema_engine_bg.wasm'));
  const { instance } = await WebAssembly.instantiate(wasmBytes, { './schema_engine_bg.js': glue });
  glue.__wbg_set_wasm(instance.exports);
  instance.exports.__wbindgen_start();
  return glue;
}

/** The wasm module's exports (SchemaEngine, version), loaded once per process. */
export function loadSchemaEngineModule() {
  globalThis[LOADED] ??= instantiateEngineModule().catch((error) => {
    delete globalThis[LOADED]; // let a later call try again
    throw error;
  });
  return globalThis[LOADED];
}

export const NO_FILTERS = Object.freeze({ externalTables: [], externalEnums: [] });

/** An Error carrying the engine's message without its Rust span trace. */
export class SchemaEngineError extends Error {
  name = 'SchemaEngineError';
}

/**
 * Engine errors end with a span trace ("   0: sql_schema_connector::… at …rs:113"), may embed
 * a JS/wasm stack ("    at wasm://…"), and adapter failures start with a generic "external
 * connector error" line: keep the rest, on one line.
 */
export function engineErrorMessage(error) {
  const text = error instanceof Error ? error.message : String(error);
  const withoutTrace = text.split(/\n\s*0: /)[0];
  return withoutTrace
    .replace(/^external connector error\s*/i, '')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !/^at /.test(line))
    .join(' ');
}

/**
 * Keeps the engine's log lines a person wants (warnings, errors, "Applying `name`") and
 * drops the debug chatter (and the migration scripts the INFO lines carry).
 */
function engineLogger(log) {
  return (line) => {
    if (!log) return;
    try {
      const { level, fields } = JSON.parse(line);
      const message = fields?.message;
      if (typeof message !== 'string') return;
      if (level === 'WARN' || level === 'ERROR' || message.startsWith('Applying')) log(message);
    } catch {
      // not JSON: nothing a person needs
    }
  };
}

/**
 * Opens a schema engine on the target database, runs `work(engine, stats)`, then frees the
 * engine and closes every connection it opened: the engine's own free() leaves them open, and
 * an open SQLite connection in EXCLUSIVE locking mode keeps the file locked. Engine errors are
 * rethrown as SchemaEngineError with one readable message.
 */
export async function withSchemaEngine({ target, schema, log }, work) {
  const { SchemaEngine } = await loadSchemaEngineModule();
  const adapters = createMigrationAdapterFactory(target);
  let engine;
  let result;
  try {
    engine = await SchemaEngine.new({ datamodels: [[schema.path, schema.content]] }, engineLogger(log), adapters.factory);
    result = await work(engine, adapters.stats);
  } catch (error) {
    engine?.free();
    await adapters.dispose().catch(() => {}); // the first error is the one worth reporting
    throw error instanceof SchemaEngineError ? error : new SchemaEngineError(engineErrorMessage(error));
  }
  engine.free();
  await adapters.dispose();
  return result;
}
