// Two real server processes on one database, and a mixed burst sent to both: credentials are
// created, rotated several times at once, deleted while rotations of them are in flight, and
// read. Every answer must be a documented outcome; each version must count exactly the
// rotations that succeeded; the audit log must hold one event per success; and no secret row
// may outlive its credential or lag behind its version. (A rotation that read the secret row
// just after a delete committed once answered 400 VALIDATION_FAILED, asking for a username.)
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../src/db/client.js';
import { openCredential } from '../../src/modules/vault/credential-secrets.js';
import { parseKeyRing } from '../../src/modules/vault/key-ring.js';
import { Vault } from '../../src/modules/vault/vault.js';
import { call, type CallResult } from '../support/http-call.js';
import { startServerPair, type ServerProcess } from '../support/server-process.js';
import { TEST_KEY_RING } from '../support/test-app.js';
import { createTestDatabase, testProviders, type TestDatabase } from '../support/test-database.js';

// 8 creations first, then a burst of 8×8 rotations + 5 deletions + 16 reads + 10 × (creation +
// 3 rotations + read): 143 requests, about half to each process.
const SEEDED = 8;
const ROTATIONS_PER_SEEDED = 8;
/** Seeded credentials with an even index are deleted mid-burst; the first from both processes. */
const deletedMidBurst = (index: number) => index % 2 === 0;
const CREATED_IN_BURST = 10;
const ROTATIONS_PER_CREATED = 3;
const MAX_AUDIT_PAGES = 100;

type Kind = 'create' | 'rotate' | 'delete' | 'read';
type Outcome = CallResult & { kind: Kind; credentialId: string; via: string; secret?: string };

const initialSecret = (label: string) => `initial-${label}`;

describe.each(testProviders())('two server processes sharing one %s database', (provider) => {
  let database: TestDatabase;
  let servers: ServerProcess[] = [];
  let db: Database | undefined;

  beforeAll(async () => {
    database = await createTestDatabase(provider);
    servers = await startServerPair(database.url, TEST_KEY_RING);
  }, 60_000);
  afterAll(async () => {
    await db?.close();
    const exitCodes = await Promise.all(servers.map((server) => server.stop('SIGTERM')));
    await database?.drop();
    expect(exitCodes).toEqual(servers.map(() => 0));
  });

  it('keeps versions, audit events and secret rows consistent under a mixed burst from both', async () => {
    const [a, b] = servers as [ServerProcess, ServerProcess];
    const signUp = await call(a.baseUrl, 'POST', '/api/auth/sign-up', undefined, { email: 'two@example.test', password: 'a long enough password', account_name: 'Two' });
    expect(signUp.status).toBe(201);
    const token: string = signUp.body.token;
    const accountId: string = signUp.body.account.id;

    const outcomes: Outcome[] = [];
    let sent = 0;
    /** Sends one request, alternating between the processes, and records its outcome. */
    const send = async (kind: Kind, credentialId: string, method: string, path: string, body?: { secret: string }): Promise<Outcome> => {
      const server = servers[sent++ % 2]!;
      const outcome = { kind, credentialId, via: server.baseUrl, secret: body?.secret, ...(await call(server.baseUrl, method, path, token, body)) };
      outcomes.push(outcome);
      return outcome;
    };
    const create = async (label: string) => {
      const body = { provider_kind: 'imap', host: '127.0.0.1', port: 993, security_mode: 'ssl_tls', auth_kind: 'password', username: `${label}@example.com`, secret: initialSecret(label) };
      const created = await send('create', '', 'POST', `/api/accounts/${accountId}/provider-credentials`, body);
      created.credentialId = created.body?.id ?? '';
      return created;
    };
    const rotate = (id: string, secret: string) => send('rotate', id, 'POST', `/api/provider-credentials/${id}/rotate`, { secret });
    const remove = (id: string) => send('delete', id, 'DELETE', `/api/provider-credentials/${id}`);
    const read = (id: string) => send('read', id, 'GET', `/api/provider-credentials/${id}`);

    const seeded = await Promise.all(Array.from({ length: SEEDED }, (_, i) => create(`seeded-${i}`)));
    expect(seeded.map((s) => s.status)).toEqual(seeded.map(() => 201));
    const seededIds = seeded.map((s) => s.credentialId);
    const plannedDeletions = seededIds.filter((_, i) => deletedMidBurst(i));

    // The rotations of a seeded credential start together; its deletion starts once the first
    // of them has answered, so it lands while the others are in flight.
    const burst: Promise<unknown>[] = [];
    seededIds.forEach((id, i) => {
      const rotations = Array.from({ length: ROTATIONS_PER_SEEDED }, (_, r) => rotate(id, `seeded-${i}-rotation-${r}`));
      burst.push(...rotations, read(id), read(id));
      if (deletedMidBurst(i)) burst.push(Promise.race(rotations).then(() => Promise.all([remove(id), ...(i === 0 ? [remove(id)] : [])])));
    });
    for (let i = 0; i < CREATED_IN_BURST; i++) {
      burst.push(
        create(`burst-${i}`).then(async (created) => {
          if (created.status !== 201) return;
          const id = created.credentialId;
          await Promise.all(Array.from({ length: ROTATIONS_PER_CREATED }, (_, r) => rotate(id, `burst-${i}-rotation-${r}`)));
          await read(id);
        }),
      );
    }
    await Promise.all(burst);

    // Every answer is a documented outcome, and never a 5xx.
    const serverErrors = outcomes.filter((o) => o.status >= 500);
    expect(serverErrors, `${JSON.stringify(serverErrors.slice(0, 3))}\n${a.output()}\n${b.output()}`).toEqual([]);
    const deleted = new Set(outcomes.filter((o) => o.kind === 'delete' && o.status === 204).map((o) => o.credentialId));
    expect([...deleted].sort()).toEqual([...plannedDeletions].sort());
    expect(outcomes.filter((o) => o.kind === 'delete' && o.status === 204)).toHaveLength(deleted.size);
    const undocumented = outcomes.filter((o) => !isDocumented(o, deleted));
    expect(undocumented.map(({ kind, status, body, via }) => ({ kind, status, body, via }))).toEqual([]);

    // Each credential's version is 1 + its successful rotations, as both processes see it.
    const createdIds = outcomes.filter((o) => o.kind === 'create').map((o) => o.credentialId);
    const survivors = createdIds.filter((id) => !deleted.has(id));
    const successesOf = (id: string) => outcomes.filter((o) => o.kind === 'rotate' && o.credentialId === id && o.status === 200);
    for (const id of survivors) {
      const successes = successesOf(id);
      // Of concurrent rotations of a live credential the first to commit read the current version.
      expect(successes.length).toBeGreaterThan(0);
      expect(successes.map((o) => o.body.secret_version).sort(byNumber)).toEqual(versionsAfter(successes.length));
      for (const server of [a, b]) expect((await call(server.baseUrl, 'GET', `/api/provider-credentials/${id}`, token)).body.secret_version).toBe(1 + successes.length);
    }

    // Deleted credentials are gone for both processes, and a late rotation does not bring a secret back.
    for (const id of deleted) {
      for (const server of [a, b]) {
        expect((await call(server.baseUrl, 'GET', `/api/provider-credentials/${id}`, token)).status).toBe(404);
        expect((await call(server.baseUrl, 'POST', `/api/provider-credentials/${id}/rotate`, token, { secret: 'too late' })).status).toBe(404);
      }
    }

    // The audit log, read in large pages from one process and small ones from the other, is the same.
    const events = await auditEvents(a.baseUrl, token, accountId, 200);
    expect((await auditEvents(b.baseUrl, token, accountId, 7)).map((e) => e.id)).toEqual(events.map((e) => e.id));
    expect(new Set(events.map((e) => e.id)).size).toBe(events.length);
    const targetsOf = (action: string) => events.filter((e) => e.action === action).map((e) => e.target_id as string).sort();
    expect(targetsOf('credential.created')).toEqual([...createdIds].sort());
    expect(targetsOf('credential.deleted')).toEqual([...deleted].sort());
    const rotated = events.filter((e) => e.action === 'credential.rotated');
    expect(rotated).toHaveLength(outcomes.filter((o) => o.kind === 'rotate' && o.status === 200).length);
    for (const id of createdIds) {
      const mine = rotated.filter((e) => e.target_id === id);
      expect(mine.map((e) => e.details.to).sort(byNumber)).toEqual(versionsAfter(successesOf(id).length));
      for (const event of mine) expect(event.details.from).toBe(event.details.to - 1);
    }

    // In the database: one secret row per live credential, at its version, holding the secret of
    // the rotation that reached that version; none for a deleted one.
    db = await openDatabase(database.url);
    const credentials = await db.prisma.providerCredential.findMany({ where: { accountId }, include: { secret: true } });
    expect(credentials.map((c) => c.id).sort()).toEqual([...createdIds].sort());
    const secretRows = await db.prisma.credentialSecret.findMany({ select: { credentialId: true, secretVersion: true } });
    const live = credentials.filter((c) => c.deletedAt === null);
    expect(secretRows.map((r) => `${r.credentialId}@${r.secretVersion}`).sort()).toEqual(live.map((c) => `${c.id}@${c.secretVersion}`).sort());
    const vault = new Vault(parseKeyRing(TEST_KEY_RING));
    for (const credential of credentials) {
      if (deleted.has(credential.id)) {
        expect(credential.deletedAt).not.toBeNull();
        expect(credential.secret).toBeNull();
        continue;
      }
      expect(credential.deletedAt).toBeNull();
      const winner = successesOf(credential.id).find((o) => o.body.secret_version === credential.secretVersion);
      const created = outcomes.find((o) => o.kind === 'create' && o.credentialId === credential.id)!;
      expect(openCredential(vault, credential.id, credential.secret)?.secret).toBe(winner?.secret ?? created.secret);
    }
  }, 60_000);
});

/** The answers the API documents for each kind of request during the burst. */
function isDocumented(o: Outcome, deleted: Set<string>): boolean {
  const code = o.body?.error?.code;
  const gone = deleted.has(o.credentialId) && o.status === 404 && code === 'NOT_FOUND';
  switch (o.kind) {
    case 'create':
      return o.status === 201;
    case 'rotate':
      return o.status === 200 || (o.status === 409 && code === 'CONFLICT') || gone;
    case 'delete':
      return o.status === 204 || gone;
    case 'read':
      return o.status === 200 || gone;
  }
}

const byNumber = (x: number, y: number) => x - y;

/** The versions n successful rotations produce: 2..n+1. */
const versionsAfter = (n: number) => Array.from({ length: n }, (_, i) => i + 2);

/** Every audit event of the account, newest first, following the cursor page by page. */
async function auditEvents(baseUrl: string, token: string, accountId: string, limit: number) {
  const events: { id: string; action: string; target_id: string | null; details: Record<string, number> }[] = [];
  let cursor: string | null = null;
  for (let page = 0; page < MAX_AUDIT_PAGES; page++) {
    const query: string = `limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
    const response = await call(baseUrl, 'GET', `/api/accounts/${accountId}/audit-events?${query}`, token);
    expect(response.status).toBe(200);
    expect(response.body.data.length).toBeLessThanOrEqual(limit);
    events.push(...response.body.data);
    cursor = response.body.page_info.next_cursor;
    if (!cursor) return events;
  }
  throw new Error(`the audit log did not end within ${MAX_AUDIT_PAGES} pages of ${limit}`);
}
