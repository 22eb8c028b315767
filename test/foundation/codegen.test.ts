import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { projectPath } from '../../src/project-root.js';

describe('typed GraphQL documents', () => {
  it('test/gql matches schema.graphql and test/operations (run npm run codegen after changing them)', () => {
    const result = spawnSync(projectPath('node_modules/.bin/graphql-codegen'), ['--config', 'codegen.yml', '--check'], { cwd: projectPath(), encoding: 'utf8' });
    expect(result.status, result.stdout + result.stderr).toBe(0);
  });
});
