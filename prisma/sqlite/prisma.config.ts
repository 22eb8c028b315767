// For the stock Prisma CLI on the sqlite schema, e.g.
//   DATABASE_URL=… npx prisma migrate status --config prisma/sqlite/prisma.config.ts
// The CLI's migrate commands need Prisma's native schema engine, which it downloads; the app
// and `npm run db:migration:new` use the wasm engine instead (scripts/lib/schema-engine.mjs).
// Paths are relative to this file.
import { defineConfig, env } from 'prisma/config';

export default defineConfig({
  schema: 'schema.prisma',
  migrations: { path: 'migrations' },
  datasource: { url: env('DATABASE_URL') },
});
