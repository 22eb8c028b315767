// Every credential operation, for GraphQL and REST alike: policy check, validation,
// transaction with its audit event, and the public payload from the one presenter.
import { sqltag as sql } from '@prisma/client/runtime/client';
import type { AppServices } from '../../app-services.js';
import { AppError, notFound } from '../../errors.js';
import { newId } from '../../shared/ids.js';
import { toPageRequest, type Page } from '../../shared/pagination.js';
import type { RateLimiter } from '../../shared/rate-limiter.js';
import { parseInput } from '../../shared/validation.js';
import { auditEventRow, recordAudit } from '../audit/audit.store.js';
import { authorize, type Action, type Viewer } from '../auth/policy.js';
import { secretUnreadableResult, type ConnectivityTester } from '../connectivity/connectivity.service.js';
import type { ConnectivityResult, ProbeTarget } from '../connectivity/types.js';
import { destroySecretRow, openCredential, openUsername, readSecretRow, sealCredential, writeSecretRow, type SecretRow } from '../vault/credential-secrets.js';
import { maskUsername } from './mask-username.js';
import { CREDENTIAL_INCLUDE, presentCredential, type PublicCredential } from './credential.presenter.js';
import { validateCreate, validateRotate, validateSearchFilter, validateUpdate } from './credential.rules.js';
import { findLiveCredential, pageCredentials, searchWhere, searchWhereLiteral, type StoredCredential } from './credential.store.js';
import { searchBodySchema } from './search-body.schema.js';

const NOT_FOUND_NAME = 'The provider credential';

export interface Caller {
  viewer: Viewer;
  requestId: string;
}

export class CredentialsService {
  private readonly testsPerAccount: RateLimiter;

  constructor(
    private readonly services: Pick<AppServices, 'db' | 'vault' | 'config' | 'rateLimits'>,
    private readonly tester: ConnectivityTester,
  ) {
    this.testsPerAccount = services.rateLimits.limiter({ name: 'tests-per-account', ...services.config.rateLimits.testsPerAccount });
  }

  private get db() {
    return this.services.db;
  }

  private get ruleOptions() {
    return { allowInsecureTransport: this.services.config.allowInsecureTransport };
  }

  async create({ viewer, requestId }: Caller, accountId: string, input: unknown): Promise<PublicCredential> {
    const startedAt = Date.now();
    authorize(viewer, 'credential.create', accountId);
    const { verify, secret, username, ...fields } = validateCreate(input, this.ruleOptions);
    const id = newId('credential');
    const verification = verify ? await this.verifyOrThrow({ ...fields, username, secret }, startedAt) : null;

    const row = await this.db.prisma.$transaction(async (tx) => {
      await tx.providerCredential.create({
        data: {
          id,
          accountId,
          providerKind: fields.providerKind,
          host: fields.host,
          port: fields.port,
          securityMode: fields.securityMode,
          authKind: fields.authKind,
          label: fields.label ?? null,
          labelLower: fields.label?.toLowerCase() ?? null,
          usernameMasked: maskUsername(username),
          secretVersion: 1,
        },
      });
      await writeSecretRow(tx, id, sealCredential(this.services.vault, id, 1, { username, secret }));
      if (verification) await storeTestResult(tx, id, verification);
      await recordAudit(tx, {
        accountId,
        actorUserId: viewer.userId,
        action: 'credential.created',
        targetId: id,
        requestId,
        details: { providerKind: fields.providerKind, host: fields.host, port: fields.port, verified: verify },
      });
      return tx.providerCredential.findUniqueOrThrow({ where: { id }, include: CREDENTIAL_INCLUDE });
    });
    return presentCredential(row);
  }

  async get({ viewer }: Caller, id: string): Promise<PublicCredential> {
    return presentCredential(await this.loadAuthorized(viewer, id, 'credential.read', { withLastTest: true }));
  }

  async list({ viewer }: Caller, accountId: string, limit: unknown, cursor: unknown, fields?: { limit: string; cursor: string }): Promise<Page<PublicCredential>> {
    authorize(viewer, 'credential.read', accountId);
    const page = await pageCredentials(this.db, searchWhere(accountId, {}), toPageRequest(limit, cursor, fields));
    return { ...page, items: page.items.map(presentCredential) };
  }

  /** Checks access and page size for a batched first page (the loader does the reading). */
  authorizeFirstPage({ viewer }: Caller, accountId: string, limit: unknown, fields?: { limit: string; cursor: string }): { limit: number } {
    authorize(viewer, 'credential.read', accountId);
    return { limit: toPageRequest(limit, null, fields).limit };
  }

  /** Search: `body` is `{ filter, limit, cursor }` (REST) — GraphQL passes the same shape. */
  async search({ viewer }: Caller, accountId: string, body: unknown, fields?: { limit: string; cursor: string }): Promise<Page<PublicCredential>> {
    authorize(viewer, 'credential.read', accountId);
    const { filter, limit, cursor } = parseInput(searchBodySchema, body);
    const validFilter = validateSearchFilter(filter ?? {});
    const pageRequest = toPageRequest(limit, cursor, fields);
    const page = await pageCredentials(this.db, await searchWhereLiteral(this.db, accountId, validFilter), pageRequest);
    return { ...page, items: page.items.map(presentCredential) };
  }

  async update({ viewer, requestId }: Caller, id: string, input: unknown): Promise<PublicCredential> {
    const current = await this.loadAuthorized(viewer, id, 'credential.update');
    const { changes, connectionChanged } = validateUpdate(input, current as never, this.ruleOptions);
    const row = await this.db.prisma.$transaction(async (tx) => {
      if (changes.username !== undefined) {
        // The username is encrypted beside the secret; the secret itself is left untouched.
        const secretRow = await readSecretRow(tx, id);
        const plaintext = openCredential(this.services.vault, id, secretRow);
        if (!plaintext) throw new AppError('CONFLICT', 'The stored secret cannot be decrypted, so the username cannot be changed alone; rotate the credential with the new username instead.');
        await writeSecretRow(tx, id, sealCredential(this.services.vault, id, secretRow!.secretVersion, { ...plaintext, username: changes.username }));
      }
      const { count } = await tx.providerCredential.updateMany({
        where: { id, deletedAt: null, updatedAt: current.updatedAt },
        data: {
          ...(changes.host !== undefined && { host: changes.host }),
          ...(changes.port !== undefined && { port: changes.port }),
          ...(changes.securityMode !== undefined && { securityMode: changes.securityMode }),
          ...(changes.authKind !== undefined && { authKind: changes.authKind }),
          ...(changes.label !== undefined && { label: changes.label, labelLower: changes.label?.toLowerCase() ?? null }),
          ...(changes.username !== undefined && { usernameMasked: maskUsername(changes.username) }),
          ...(connectionChanged && { lastTestId: null, lastTestStatus: 'never' }),
        },
      });
      if (count === 0) throw conflict();
      await recordAudit(tx, {
        accountId: current.accountId,
        actorUserId: viewer.userId,
        action: 'credential.updated',
        targetId: id,
        requestId,
        details: { fields: Object.keys(changes).sort().join(','), lastTestCleared: connectionChanged },
      });
      return tx.providerCredential.findUniqueOrThrow({ where: { id }, include: CREDENTIAL_INCLUDE });
    });
    return presentCredential(row);
  }

  async delete({ viewer, requestId }: Caller, id: string): Promise<void> {
    const current = await this.loadAuthorized(viewer, id, 'credential.delete');
    await this.db.prisma.$transaction(async (tx) => {
      const { count } = await tx.providerCredential.updateMany({ where: { id, deletedAt: null }, data: { deletedAt: new Date() } });
      if (count === 0) throw notFound(NOT_FOUND_NAME);
      await destroySecretRow(tx, id);
      await recordAudit(tx, { accountId: current.accountId, actorUserId: viewer.userId, action: 'credential.deleted', targetId: id, requestId });
    });
  }

  async rotate({ viewer, requestId }: Caller, id: string, input: unknown): Promise<PublicCredential> {
    const startedAt = Date.now();
    const current = await this.loadAuthorized(viewer, id, 'credential.rotate');
    const { secret, username: newUsername, verify } = validateRotate(input);
    // Only the username is needed: a damaged secret (SECRET_UNREADABLE) is what rotate repairs.
    const username = newUsername ?? openUsername(this.services.vault, id, await this.readLiveSecretRow(id)) ?? undefined;
    if (username === undefined) {
      throw new AppError('VALIDATION_FAILED', 'The stored username cannot be decrypted; send username together with the new secret.', [
        { field: 'username', message: 'is required because the stored one cannot be decrypted' },
      ]);
    }
    if (verify) await this.verifyOrThrow({ ...targetFields(current), username, secret }, startedAt);

    const from = current.secretVersion;
    const row = await this.db.prisma.$transaction(async (tx) => {
      // Conditional on the version read above: of two concurrent rotations one wins, the other
      // gets CONFLICT and may retry; none is lost.
      const { count } = await tx.providerCredential.updateMany({
        where: { id, deletedAt: null, secretVersion: from },
        data: {
          secretVersion: from + 1,
          lastRotatedAt: new Date(),
          lastTestId: null,
          lastTestStatus: 'never',
          ...(newUsername !== undefined && { usernameMasked: maskUsername(newUsername) }),
        },
      });
      if (count === 0) throw conflict();
      await writeSecretRow(tx, id, sealCredential(this.services.vault, id, from + 1, { username, secret }));
      await recordAudit(tx, {
        accountId: current.accountId,
        actorUserId: viewer.userId,
        action: 'credential.rotated',
        targetId: id,
        requestId,
        details: { from, to: from + 1, usernameChanged: newUsername !== undefined, verified: verify },
      });
      return tx.providerCredential.findUniqueOrThrow({ where: { id }, include: CREDENTIAL_INCLUDE });
    });
    return presentCredential(row);
  }

  async test({ viewer, requestId }: Caller, id: string): Promise<ConnectivityResult> {
    const startedAt = Date.now();
    const current = await this.loadAuthorized(viewer, id, 'credential.test');
    await this.testsPerAccount.consume(current.accountId);
    const plaintext = openCredential(this.services.vault, id, await this.readLiveSecretRow(id));
    const result = plaintext ? await this.tester.run({ ...targetFields(current), ...plaintext }, startedAt) : secretUnreadableResult(current.providerKind as ProbeTarget['providerKind']);

    // One batch: no JavaScript between the statements, so the transaction is as short as the
    // database allows (a burst of tests ends in a burst of these). The result always joins the
    // credential's test history; it becomes the *last* test only if nothing changed while the
    // probe ran.
    const { prisma } = this.db;
    const rows = testResultRows(id, result);
    await prisma.$transaction([
      // PostgreSQL: inserting the test row takes a key-share lock on the credential, and the
      // update of lastTestId (a unique key) then needs the row lock; two concurrent tests of one
      // credential would deadlock. Taking the row lock first serialises them. (SQLite
      // serialises writers.)
      ...(this.db.provider === 'postgresql' ? [prisma.$queryRaw(sql`SELECT "id" FROM "ProviderCredential" WHERE "id" = ${id} FOR UPDATE`)] : []),
      prisma.connectivityTest.create({ data: rows.test }),
      prisma.providerCredential.updateMany({
        where: { id, deletedAt: null, secretVersion: current.secretVersion, ...targetFields(current), usernameMasked: current.usernameMasked },
        data: rows.lastTest,
      }),
      prisma.auditEvent.create({
        data: auditEventRow({
          accountId: current.accountId,
          actorUserId: viewer.userId,
          action: 'credential.tested',
          targetId: id,
          requestId,
          details: { ok: result.ok, stage: result.stage, code: result.error?.code ?? null, latencyMs: result.latencyMs },
        }),
      }),
    ]);
    return result;
  }

  /**
   * The secret row of a credential loaded (and authorized) a moment ago. No row means a delete
   * committed in between: that is NOT_FOUND, not a damaged secret to report or repair.
   */
  private async readLiveSecretRow(id: string): Promise<SecretRow | null> {
    const row = await readSecretRow(this.db.prisma, id);
    if (!row && !(await findLiveCredential(this.db, id))) throw notFound(NOT_FOUND_NAME);
    return row;
  }

  /**
   * Loads a live credential and checks the policy; a non-member sees NOT_FOUND. Only a read
   * presents the last test: the other operations skip that statement.
   */
  private async loadAuthorized(viewer: Viewer, id: string, action: Action, { withLastTest = false } = {}): Promise<StoredCredential> {
    const row = typeof id === 'string' && id.length <= 64 ? await findLiveCredential(this.db, id, { withLastTest }) : null;
    if (!row) throw notFound(NOT_FOUND_NAME);
    authorize(viewer, action, row.accountId, NOT_FOUND_NAME);
    return row;
  }

  private async verifyOrThrow(target: ProbeTarget, startedAt: number): Promise<ConnectivityResult> {
    const result = await this.tester.run(target, startedAt);
    if (!result.ok) throw new AppError('VERIFICATION_FAILED', `The connectivity test failed: ${result.error?.message ?? 'unknown reason'}`, result);
    return result;
  }
}

function targetFields(row: StoredCredential): Omit<ProbeTarget, 'username' | 'secret'> {
  return {
    providerKind: row.providerKind as ProbeTarget['providerKind'],
    host: row.host,
    port: row.port,
    securityMode: row.securityMode as ProbeTarget['securityMode'],
    authKind: row.authKind as ProbeTarget['authKind'],
  };
}

const conflict = () => new AppError('CONFLICT', 'The credential was changed by another request at the same time; read it again and retry.');

async function storeTestResult(tx: Parameters<typeof writeSecretRow>[0], credentialId: string, result: ConnectivityResult): Promise<void> {
  const rows = testResultRows(credentialId, result);
  await tx.connectivityTest.create({ data: rows.test });
  await tx.providerCredential.update({ where: { id: credentialId }, data: rows.lastTest });
}

/** A stored test result: the test row, and the credential fields that point at it as the last test. */
function testResultRows(credentialId: string, result: ConnectivityResult) {
  const testId = newId('connectivityTest');
  return {
    test: {
      id: testId,
      credentialId,
      ok: result.ok,
      stage: result.stage,
      errorCode: result.error?.code ?? null,
      latencyMs: result.latencyMs,
      testedAt: new Date(result.testedAt),
      result: JSON.stringify(result),
    },
    lastTest: { lastTestId: testId, lastTestStatus: result.ok ? 'succeeded' : 'failed' },
  };
}
