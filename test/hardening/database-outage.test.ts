// PostgreSQL going away in the middle of a load: callers get 503 UNAVAILABLE (never a 500 or a
// crash), nothing acknowledged is lost, and service returns within 5 s of the database.
import { describe, expect, it } from 'vitest';
import { startAppBehindProxy } from '../support/app-behind-proxy.js';
import { signUpUser } from '../support/users.js';

describe.runIf(process.env.TEST_DATABASE_URL)('PostgreSQL outage under load', () => {
  it('answers 503 during the outage, loses no acknowledged write, and recovers', async () => {
    const { t, proxy, close } = await startAppBehindProxy();
    try {
      const admin = await signUpUser(t);
      const create = (i: number) =>
        t.rest('POST', `/api/accounts/${admin.accountId}/provider-credentials`, {
          token: admin.token,
          body: { provider_kind: 'smtp', host: `smtp${i}.example.com`, port: 587, security_mode: 'starttls', auth_kind: 'password', username: `u${i}@example.com`, secret: `s-${i}` },
        });

      const acknowledged: string[] = [];
      const statuses: number[] = [];
      const load = (async () => {
        for (let i = 0; i < 150; i++) {
          const response = await create(i);
          statuses.push(response.status);
          if (response.status === 201) acknowledged.push(response.body.id);
          if (response.status === 503) expect(response.body.error).toMatchObject({ code: 'UNAVAILABLE', message: expect.stringContaining('database') });
        }
      })();
      await new Promise((resolve) => setTimeout(resolve, 150));
      await proxy.cut();
      await new Promise((resolve) => setTimeout(resolve, 1000));
      expect((await t.rest('GET', '/readyz')).status).toBe(503);
      const restoredAt = Date.now();
      await proxy.restore();
      await load;

      expect(statuses.filter((s) => s !== 201 && s !== 503)).toEqual([]);
      expect(statuses).toContain(503);
      // Service came back: the last requests succeeded, and quickly after the restore.
      let recovered = false;
      while (!recovered && Date.now() - restoredAt < 5000) recovered = (await create(1000)).status === 201;
      expect(recovered).toBe(true);

      const stored = await t.app.services.db.prisma.providerCredential.findMany({ where: { id: { in: acknowledged } }, select: { id: true } });
      expect(stored).toHaveLength(acknowledged.length);
      // No half-written credential: every metadata row has its secret row.
      const orphans = await t.app.services.db.prisma.providerCredential.count({ where: { deletedAt: null, secret: null } });
      expect(orphans).toBe(0);
      expect(t.logs.join('')).not.toMatch(/"level":60/);
    } finally {
      await close();
    }
  }, 60_000);
});
