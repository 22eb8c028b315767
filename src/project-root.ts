// Files shipped with the project (migrations, schema.graphql) are found from the project root,
// so the same code works from src/ under vitest and from dist/src/ after the build.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

function findProjectRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let depth = 0; depth < 10; depth++) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'prisma'))) return dir;
    dir = dirname(dir);
  }
  throw new Error('Cannot find the project root (a folder holding package.json and prisma/).');
}

export const PROJECT_ROOT = findProjectRoot();

export const projectPath = (...parts: string[]): string => join(PROJECT_ROOT, ...parts);
