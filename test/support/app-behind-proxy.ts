// A test app whose PostgreSQL connection runs through a loopback TCP proxy, so a test can cut
// the database away (and bring it back) without stopping the real server.
import { startTcpProxy, type TcpProxy } from './tcp-proxy.js';
import { startTestApp, type TestApp } from './test-app.js';
import { createTestDatabase } from './test-database.js';

export async function startAppBehindProxy(): Promise<{ t: TestApp; proxy: TcpProxy; close(): Promise<void> }> {
  const database = await createTestDatabase('postgresql');
  const target = new URL(database.url);
  const proxy = await startTcpProxy(target.hostname, Number(target.port || 5432));
  const viaProxy = new URL(database.url);
  viaProxy.host = `127.0.0.1:${proxy.port}`;
  const t = await startTestApp('postgresql', { DATABASE_URL: viaProxy.toString() });
  return {
    t,
    proxy,
    async close() {
      await t.close();
      await proxy.close();
      await database.drop();
    },
  };
}
