// The floor for the read path: a bare node:http server doing the same indexed lookup as
// GET /api/provider-credentials/:id with the same Prisma client and driver adapter (opened by
// src/db/client.ts) and the same presenter, and nothing else: no framework, no logging.
// BARE_MODE=auth also authenticates the bearer token with the real AuthService (session + user
// + memberships), to measure what per-request authentication costs on its own.
//   GET /c/<id>   → 200 the public credential JSON, 404 when absent
//   GET /readyz   → 200
import 'reflect-metadata';
import http from 'node:http';
import { loadConfig } from '../src/config.js';
import { openDatabase } from '../src/db/client.js';
import { AuthService } from '../src/modules/auth/auth.service.js';
import { authorize } from '../src/modules/auth/policy.js';
import { presentCredential } from '../src/modules/credentials/credential.presenter.js';
import { findLiveCredential } from '../src/modules/credentials/credential.store.js';
import { createRateLimitStore } from '../src/shared/rate-limiter.js';

const config = loadConfig({ DATABASE_URL: process.env.DATABASE_URL, CREDENTIALS_ENCRYPTION_KEYS: process.env.CREDENTIALS_ENCRYPTION_KEYS, NODE_ENV: 'production' });
const db = await openDatabase(config.databaseUrl);
const withAuth = process.env.BARE_MODE === 'auth';
const auth = new AuthService(db, config, createRateLimitStore(undefined));

const server = http.createServer((request, response) => {
  const url = request.url ?? '/';
  if (url === '/readyz') {
    response.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok"}');
    return;
  }
  if (!url.startsWith('/c/')) {
    response.writeHead(404).end();
    return;
  }
  void (async () => {
    try {
      const viewer = withAuth ? await auth.authenticate(request.headers.authorization) : null;
      const row = await findLiveCredential(db, url.slice(3), { withLastTest: true });
      if (row && viewer) authorize(viewer, 'credential.read', row.accountId);
      const body = row ? JSON.stringify(presentCredential(row)) : '{"error":{"code":"NOT_FOUND"}}';
      response.writeHead(row ? 200 : 404, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body) }).end(body);
    } catch (error) {
      response.writeHead(500).end(String((error as Error).message));
    }
  })();
});
server.keepAliveTimeout = 60_000;
server.listen(Number(process.env.PORT), process.env.HOST ?? '127.0.0.1');
process.once('SIGTERM', () => {
  server.close();
  server.closeAllConnections();
  void db.close().then(() => process.exit(0));
});
