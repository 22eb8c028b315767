// Downstream use of a stored credential by id (src/modules/mail-access): listing the IMAP
// folders of the real Dovecot and sending one message through a real smtp-server, over both
// interfaces and through the service API, and the refusals that must come before any
// connection is opened (counted on the servers).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../src/errors.js';
import { DeleteProviderCredentialDocument, ProviderCredentialMailboxesDocument, SendTestMessageDocument } from '../gql/graphql.js';
import { graphqlFailure } from '../support/graphql-errors.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { testProviders } from '../support/test-database.js';
import { addMember, signUpUser, type SignedUpUser } from '../support/users.js';
import { ALICE, auditRows, connectivityEnv, expectNoneContains, startMailFixtures, Transcript, WRONG_PASSWORD, type Endpoint, type MailFixtures } from './api-support.js';
import { startCaptureSmtp, startCountingProxy, type CaptureSmtp, type CountingProxy } from './downstream-support.js';
import { eventually } from './probe-helpers.js';

let fixtures: MailFixtures;
let smtp: CaptureSmtp;
let imapsProxy: CountingProxy;
let imapStarttlsProxy: CountingProxy;

beforeAll(async () => {
  fixtures = await startMailFixtures();
  [smtp, imapsProxy, imapStarttlsProxy] = await Promise.all([
    startCaptureSmtp(fixtures.certificates, { [ALICE.username]: ALICE.password }),
    startCountingProxy(fixtures.dovecot.host, fixtures.dovecot.imapsPort),
    startCountingProxy(fixtures.dovecot.host, fixtures.dovecot.imapPort),
  ]);
});
afterAll(async () => {
  await Promise.all([smtp?.stop(), imapsProxy?.stop(), imapStarttlsProxy?.stop()]);
  await fixtures?.stop();
});

type Target = 'imaps' | 'imapStarttls' | 'smtps' | 'smtpStarttls';
const endpointOf = (target: Target): Endpoint =>
  ({
    imaps: { providerKind: 'imap', host: '127.0.0.1', port: imapsProxy.port, securityMode: 'ssl_tls' },
    imapStarttls: { providerKind: 'imap', host: '127.0.0.1', port: imapStarttlsProxy.port, securityMode: 'starttls' },
    smtps: { providerKind: 'smtp', host: smtp.host, port: smtp.securePort, securityMode: 'ssl_tls' },
    smtpStarttls: { providerKind: 'smtp', host: smtp.host, port: smtp.starttlsPort, securityMode: 'starttls' },
  })[target] as Endpoint;
/** Connections the servers behind a target have accepted so far. */
const connectionsOf = (target: Target): number =>
  target === 'imaps' ? imapsProxy.accepted() : target === 'imapStarttls' ? imapStarttlsProxy.accepted() : smtp.connections();

describe.each(testProviders())('downstream use of stored credentials on %s', (provider) => {
  let t: TestApp;
  let admin: SignedUpUser;
  let member: SignedUpUser;
  let outsider: SignedUpUser;
  const transcript = new Transcript();

  beforeAll(async () => {
    t = await startTestApp(provider, connectivityEnv(fixtures));
    [admin, member, outsider] = await Promise.all([signUpUser(t, 'owner'), signUpUser(t, 'member'), signUpUser(t, 'outsider')]);
    await addMember(t, admin, admin.accountId, member, 'member');
  });
  afterAll(async () => {
    await t?.close();
  });

  const rest = async (method: string, path: string, token: string, body?: unknown) => transcript.add(await t.rest(method, path, { token, body }));

  async function createCredential(target: Target, options: { verify?: boolean; secret?: string } = {}): Promise<string> {
    const endpoint = endpointOf(target);
    const response = await rest('POST', `/api/accounts/${admin.accountId}/provider-credentials`, admin.token, {
      provider_kind: endpoint.providerKind,
      host: endpoint.host,
      port: endpoint.port,
      security_mode: endpoint.securityMode,
      auth_kind: 'password',
      username: ALICE.username,
      secret: options.secret ?? ALICE.password,
      verify: options.verify ?? true,
    });
    expect(response.status, JSON.stringify(response.body)).toBe(201);
    return response.body.id;
  }

  /** Uses the credential once over an interface: the IMAP folder list, or a test message for SMTP. */
  async function use(via: 'REST' | 'GraphQL', token: string, id: string, kind: 'imap' | 'smtp', to = 'bob@example.test') {
    if (via === 'REST') {
      const response = kind === 'imap' ? await rest('GET', `/api/provider-credentials/${id}/mailboxes`, token) : await rest('POST', `/api/provider-credentials/${id}/send-test-message`, token, { to });
      return response.status === 200
        ? { ok: true as const, value: kind === 'imap' ? response.body.data : response.body.sent }
        : { ok: false as const, status: response.status, code: response.body?.error?.code, details: response.body?.error?.details };
    }
    const call =
      kind === 'imap'
        ? t.graphql(token).request(ProviderCredentialMailboxesDocument, { id }).then((data) => data.providerCredentialMailboxes)
        : t.graphql(token).request(SendTestMessageDocument, { id, to }).then((data) => data.sendTestMessage);
    try {
      return { ok: true as const, value: transcript.add(await call) as unknown };
    } catch {
      const failure = transcript.add(await graphqlFailure(call));
      return { ok: false as const, status: undefined, code: failure.code, details: failure.details };
    }
  }

  const kindOf = (target: Target) => endpointOf(target).providerKind as 'imap' | 'smtp';
  const VIAS = ['REST', 'GraphQL'] as const;

  describe('real use', () => {
    it.each(['imaps', 'imapStarttls'] as const)('lists the folders of %s with INBOX among them (member role), then closes the connection', async (target) => {
      const id = await createCredential(target);
      const proxy = target === 'imaps' ? imapsProxy : imapStarttlsProxy;
      for (const via of VIAS) {
        const before = proxy.accepted();
        const outcome = await use(via, member.token, id, 'imap');
        expect(outcome).toMatchObject({ ok: true });
        expect(outcome.ok && outcome.value).toContain('INBOX');
        expect(proxy.accepted() - before).toBe(1);
      }
      expect(await eventually(() => proxy.open() === 0, 3000)).toBe(true);
    });

    it.each(['smtps', 'smtpStarttls'] as const)('sends exactly one message through %s per call (admin role)', async (target) => {
      const id = await createCredential(target);
      for (const via of VIAS) {
        const recipient = `bob-${via.toLowerCase()}-${target.toLowerCase()}@example.test`;
        const before = smtp.messages.length;
        const outcome = await use(via, admin.token, id, 'smtp', recipient);
        expect(outcome).toEqual({ ok: true, value: true });
        const delivered = smtp.messages.slice(before);
        expect(delivered).toHaveLength(1);
        expect(delivered[0]).toMatchObject({ from: ALICE.username, to: [recipient] });
        expect(delivered[0]!.data).toMatch(/^Subject: Test message/m);
        expect(delivered[0]!.data).not.toContain(ALICE.password);
      }
      // Each sent message is an audit event naming the actor and the recipient.
      const events = await t.app.services.db.prisma.auditEvent.findMany({ where: { action: 'credential.test_message_sent', targetId: id } });
      expect(events.map((event) => `${event.actorUserId} ${JSON.parse(event.details).to}`).sort()).toEqual(
        VIAS.map((via) => `${admin.userId} bob-${via.toLowerCase()}-${target.toLowerCase()}@example.test`).sort(),
      );
    });

    it('a connectivity test sends nothing: only sendTestMessage does', async () => {
      const id = await createCredential('smtps');
      const before = smtp.messages.length;
      const tested = await rest('POST', `/api/provider-credentials/${id}/test`, admin.token);
      expect(tested.body).toMatchObject({ ok: true, stage: 'ready' });
      expect(smtp.messages.length).toBe(before);
    });

    it('roles: a member may list but not send; a non-member finds nothing; nothing is dialled for a refusal', async () => {
      const imap = await createCredential('imaps');
      const smtpId = await createCredential('smtps');
      for (const via of VIAS) {
        const imapBefore = connectionsOf('imaps');
        const smtpBefore = connectionsOf('smtps');
        expect(await use(via, member.token, smtpId, 'smtp')).toMatchObject({ ok: false, code: 'FORBIDDEN', ...(via === 'REST' ? { status: 403 } : {}) });
        expect(await use(via, outsider.token, smtpId, 'smtp')).toMatchObject({ ok: false, code: 'NOT_FOUND', ...(via === 'REST' ? { status: 404 } : {}) });
        expect(await use(via, outsider.token, imap, 'imap')).toMatchObject({ ok: false, code: 'NOT_FOUND', ...(via === 'REST' ? { status: 404 } : {}) });
        expect(await use(via, admin.token, 'pc_does_not_exist_at_all_', 'imap')).toMatchObject({ ok: false, code: 'NOT_FOUND' });
        expect([connectionsOf('imaps'), connectionsOf('smtps')]).toEqual([imapBefore, smtpBefore]);
      }
    });

    it('refuses a bad recipient, unknown fields and the wrong kind of credential without dialling', async () => {
      const imap = await createCredential('imaps');
      const smtpId = await createCredential('smtps');
      const before = [connectionsOf('imaps'), connectionsOf('smtps')];
      for (const via of VIAS) {
        for (const to of ['not-an-address', 'a@b.example, c@d.example', 'x@example.test\r\nBcc: y@example.test', `${'a'.repeat(250)}@example.test`]) {
          expect(await use(via, admin.token, smtpId, 'smtp', to)).toMatchObject({ ok: false, code: 'VALIDATION_FAILED' });
        }
        expect(await use(via, admin.token, smtpId, 'imap')).toMatchObject({ ok: false, code: 'VALIDATION_FAILED', details: [{ field: 'id' }] });
        expect(await use(via, admin.token, imap, 'smtp')).toMatchObject({ ok: false, code: 'VALIDATION_FAILED', details: [{ field: 'id' }] });
      }
      const extra = await rest('POST', `/api/provider-credentials/${smtpId}/send-test-message`, admin.token, { to: 'bob@example.test', bcc: 'eve@example.test' });
      expect(extra.status).toBe(400);
      expect(extra.body.error.details).toEqual([{ field: 'bcc', message: 'is not a known field' }]);
      expect([connectionsOf('imaps'), connectionsOf('smtps')]).toEqual(before);
      expect(await t.app.services.db.prisma.auditEvent.count({ where: { action: 'credential.test_message_sent', targetId: smtpId } })).toBe(0);
    });

    it('an update of the label keeps the credential usable; a rotation needs a new passing test', async () => {
      const id = await createCredential('imaps');
      expect((await rest('PATCH', `/api/provider-credentials/${id}`, admin.token, { label: 'renamed' })).status).toBe(200);
      expect(await use('REST', member.token, id, 'imap')).toMatchObject({ ok: true });

      expect((await rest('POST', `/api/provider-credentials/${id}/rotate`, admin.token, { secret: ALICE.password })).status).toBe(200);
      expect(await use('REST', member.token, id, 'imap')).toMatchObject({ ok: false, status: 409, code: 'CREDENTIAL_NOT_VERIFIED' });
      expect((await rest('POST', `/api/provider-credentials/${id}/test`, member.token)).body).toMatchObject({ ok: true });
      expect(await use('REST', member.token, id, 'imap')).toMatchObject({ ok: true });
    });
  });

  describe('refusals before any connection is opened', () => {
    const corrupt = async (id: string) => {
      const prisma = t.app.services.db.prisma;
      const row = await prisma.credentialSecret.findUniqueOrThrow({ where: { credentialId: id } });
      const bytes = Buffer.from(row.secretCiphertext, 'base64url');
      bytes[bytes.length >> 1] = bytes[bytes.length >> 1]! ^ 0x80;
      await prisma.credentialSecret.update({ where: { credentialId: id }, data: { secretCiphertext: bytes.toString('base64url') } });
    };
    const REASONS = [
      { reason: 'never tested', code: 'CREDENTIAL_NOT_VERIFIED', status: 409, prepare: (target: Target) => createCredential(target, { verify: false }) },
      {
        reason: 'last test failed',
        code: 'CREDENTIAL_NOT_VERIFIED',
        status: 409,
        prepare: async (target: Target) => {
          const id = await createCredential(target, { verify: false, secret: WRONG_PASSWORD });
          expect((await rest('POST', `/api/provider-credentials/${id}/test`, admin.token)).body).toMatchObject({ ok: false, error: { code: 'AUTH_FAILED' } });
          return id;
        },
      },
      {
        reason: 'rotated since its last passing test',
        code: 'CREDENTIAL_NOT_VERIFIED',
        status: 409,
        prepare: async (target: Target) => {
          const id = await createCredential(target);
          expect((await rest('POST', `/api/provider-credentials/${id}/rotate`, admin.token, { secret: ALICE.password })).status).toBe(200);
          return id;
        },
      },
      {
        reason: 'deleted',
        code: 'CREDENTIAL_DELETED',
        status: 410,
        prepare: async (target: Target) => {
          const id = await createCredential(target);
          expect(transcript.add(await t.graphql(admin.token).request(DeleteProviderCredentialDocument, { id })).deleteProviderCredential).toBe(true);
          return id;
        },
      },
      {
        reason: 'secret unreadable',
        code: 'SECRET_UNREADABLE',
        status: 409,
        prepare: async (target: Target) => {
          const id = await createCredential(target);
          await corrupt(id);
          return id;
        },
      },
    ];
    const cases = REASONS.flatMap((reason) => (['imaps', 'smtpStarttls'] as const).map((target) => ({ ...reason, target })));

    it.each(cases)('$reason ($target): $code over REST and GraphQL, no connection', async ({ target, code, status, prepare }) => {
      const id = await prepare(target);
      const before = connectionsOf(target);
      const messagesBefore = smtp.messages.length;
      for (const via of VIAS) {
        const outcome = await use(via, admin.token, id, kindOf(target));
        expect(outcome).toMatchObject({ ok: false, code, ...(via === 'REST' ? { status } : {}) });
        // A member gets the same refusal for the folder list (and FORBIDDEN before it for sending).
        if (kindOf(target) === 'imap') expect(await use(via, member.token, id, 'imap')).toMatchObject({ ok: false, code });
        // A non-member learns nothing, not even that it was deleted.
        expect(await use(via, outsider.token, id, kindOf(target))).toMatchObject({ ok: false, code: 'NOT_FOUND' });
      }
      expect(connectionsOf(target)).toBe(before);
      expect(smtp.messages.length).toBe(messagesBefore);
    });
  });

  describe('the service API (withImapClient / withSmtpTransport)', () => {
    const mail = () => t.app.services.mailAccess;

    it('withImapClient hands a logged-in client to the function and logs out afterwards', async () => {
      const id = await createCredential('imapStarttls');
      const status = await mail().withImapClient(id, async (client) => {
        expect(client.usable).toBe(true);
        expect(client.authenticated).toBeTruthy();
        expect(client.secureConnection || client.tls).toBeTruthy();
        return client.status('INBOX', { messages: true });
      });
      expect(status).toMatchObject({ path: 'INBOX', messages: 0 });
      expect(await eventually(() => imapStarttlsProxy.open() === 0, 3000)).toBe(true);
    });

    it('an error of the function passes through unchanged and the connection is closed', async () => {
      const id = await createCredential('imaps');
      const mine = new Error('the caller gave up');
      await expect(mail().withImapClient(id, async () => Promise.reject(mine))).rejects.toBe(mine);
      expect(await eventually(() => imapsProxy.open() === 0, 3000)).toBe(true);
    });

    it('a function that outlives the session deadline is cut off with MAIL_SERVER_ERROR TIMEOUT', async () => {
      const id = await createCredential('imaps');
      const started = Date.now();
      const outcome = await mail()
        .withImapClient(id, () => new Promise<never>(() => undefined), { sessionTimeoutMs: 300 })
        .catch((error: unknown) => error);
      expect(Date.now() - started).toBeLessThan(2000);
      expect(outcome).toBeInstanceOf(AppError);
      expect(outcome).toMatchObject({ code: 'MAIL_SERVER_ERROR', httpStatus: 502, details: { code: 'TIMEOUT' } });
      expect(await eventually(() => imapsProxy.open() === 0, 3000)).toBe(true);
    });

    it('withSmtpTransport: each sendMail dials and logs in; the transporter stops working after the scope', async () => {
      const id = await createCredential('smtps');
      const before = { connections: smtp.connections(), messages: smtp.messages.length };
      let kept: Parameters<Parameters<ReturnType<typeof mail>['withSmtpTransport']>[1]>[0] | undefined;
      const info = await mail().withSmtpTransport(id, async (transporter, sender) => {
        kept = transporter;
        expect(sender.username).toBe(ALICE.username);
        return transporter.sendMail({ from: sender.username, to: 'carol@example.test', subject: 'From the service API', text: 'hello' });
      });
      expect(info.accepted).toEqual(['carol@example.test']);
      expect(smtp.messages.length - before.messages).toBe(1);
      const connections = smtp.connections();
      expect(connections - before.connections).toBe(1);
      await expect(kept!.sendMail({ from: ALICE.username, to: 'carol@example.test', text: 'late' })).rejects.toBeTruthy();
      expect(smtp.connections()).toBe(connections);
    });

    it('a mail server that went away after the last passing test is 502 MAIL_SERVER_ERROR with the reason', async () => {
      const proxy = await startCountingProxy(fixtures.dovecot.host, fixtures.dovecot.imapsPort);
      const response = await rest('POST', `/api/accounts/${admin.accountId}/provider-credentials`, admin.token, {
        provider_kind: 'imap', host: proxy.host, port: proxy.port, security_mode: 'ssl_tls', auth_kind: 'password', username: ALICE.username, secret: ALICE.password, verify: true,
      });
      expect(response.status).toBe(201);
      await proxy.stop();
      const outcome = await rest('GET', `/api/provider-credentials/${response.body.id}/mailboxes`, member.token);
      expect(outcome.status).toBe(502);
      expect(outcome.body.error).toMatchObject({ code: 'MAIL_SERVER_ERROR', details: { code: 'CONNECTION_REFUSED', stage: 'connect' } });
      const viaGraphql = transcript.add(await graphqlFailure(t.graphql(member.token).request(ProviderCredentialMailboxesDocument, { id: response.body.id })));
      expect(viaGraphql).toMatchObject({ code: 'MAIL_SERVER_ERROR', details: { code: 'CONNECTION_REFUSED' } });
    });
  });

  it('no response, log line or audit row carried the secret or the username', async () => {
    const secrets = [ALICE.password, WRONG_PASSWORD, ALICE.username];
    expect(transcript.texts.length).toBeGreaterThan(40);
    expectNoneContains(transcript.texts, secrets);
    expectNoneContains(t.logs, secrets);
    expectNoneContains(await auditRows(t), secrets);
  });
});
