#!/usr/bin/env node
// Writes prisma/sqlite/schema.prisma and prisma/postgresql/schema.prisma from the one model
// source prisma/models.prisma, then generates both Prisma clients into src/generated/.
// Runs as `postinstall`, so it must work offline right after `npm ci`.
//
//   node scripts/prisma-generate.mjs           write the schemas (when changed) and generate
//   node scripts/prisma-generate.mjs --check   exit 1 when a schema file differs from models.prisma
import { spawn } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, relative } from 'node:path';
import { PROJECT_ROOT, renderSchemas } from './lib/prisma-schemas.mjs';

const readIfExists = (path) => readFile(path, 'utf8').catch(() => null);

/** Schemas whose file is missing or differs from what models.prisma gives. */
async function staleSchemas() {
  const schemas = await renderSchemas();
  const current = await Promise.all(schemas.map((schema) => readIfExists(schema.path)));
  return schemas.filter((schema, index) => current[index] !== schema.content);
}

function runPrismaGenerate(schemaPath) {
  const prismaCli = createRequire(import.meta.url).resolve('prisma/build/index.js');
  const env = {
    ...process.env,
    // `prisma generate` first downloads the native schema engine unless this names an existing
    // executable; generate never runs it (the client uses a wasm query compiler), so node will do.
    PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY || process.execPath,
    CHECKPOINT_DISABLE: '1', // no update-check request to Prisma's servers
    PRISMA_HIDE_UPDATE_MESSAGE: '1',
  };
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [prismaCli, 'generate', '--schema', schemaPath], { cwd: PROJECT_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) resolve(output);
      else reject(new Error(`prisma generate --schema ${relative(PROJECT_ROOT, schemaPath)} failed (exit ${code}):\n${output.trim()}`));
    });
  });
}

async function check() {
  const stale = await staleSchemas();
  for (const schema of stale) {
    console.error(`${relative(PROJECT_ROOT, schema.path)} is out of date with prisma/models.prisma: run \`npm run db:generate\``);
  }
  if (stale.length === 0) console.log('Prisma schemas match prisma/models.prisma');
  return stale.length === 0 ? 0 : 1;
}

async function generate() {
  const started = Date.now();
  for (const schema of await staleSchemas()) {
    await mkdir(dirname(schema.path), { recursive: true });
    await writeFile(schema.path, schema.content);
    console.log(`wrote ${relative(PROJECT_ROOT, schema.path)}`);
  }
  const schemas = await renderSchemas();
  await Promise.all(schemas.map((schema) => runPrismaGenerate(schema.path)));
  console.log(`generated Prisma clients for ${schemas.map((s) => s.provider).join(' and ')} into src/generated/ in ${Date.now() - started} ms`);
  return 0;
}

try {
  process.exitCode = process.argv.includes('--check') ? await check() : await generate();
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
}
