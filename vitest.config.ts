import { createRequire } from 'node:module';
import { defineConfig } from 'vitest/config';

const require = createRequire(import.meta.url);

export default defineConfig({
  resolve: {
    // graphql ships both index.mjs and index.js. type-graphql and Apollo load the CommonJS one;
    // Vite would give our own imports the .mjs one, and graphql refuses objects from "another
    // realm". Point every import at the same file, as Node does at run time.
    alias: { graphql: require.resolve('graphql') },
  },
  test: {
    include: ['test/**/*.test.ts'],
    // Each test file runs in its own process with its own database and servers.
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 60_000,
    setupFiles: ['test/support/setup.ts'],
    globalSetup: ['test/support/global-setup.ts'],
  },
});
