// The operator CLI as built (dist/src/cli/main.js) against a temporary SQLite database: each
// command's success and failure, exit codes (0 done, 1 failed, 2 wrong usage) and messages.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.js';
import { runDist, scratchDatabase, type CommandResult, type ScratchDatabase } from './dist-command.js';

const COMMANDS = ['user:create', 'account:create', 'member:add', 'sessions:revoke', 'accounts:list'];

describe('operator CLI', () => {
  let db: ScratchDatabase;
  let app: App;
  const cli = (args: string[], env: Record<string, string> = {}): Promise<CommandResult> => runDist('dist/src/cli/main.js', args, { ...db.env, ...env }, db.dir);

  beforeAll(async () => {
    db = await scratchDatabase();
  });
  afterAll(async () => {
    await app?.close();
    await db?.remove();
  });

  it('explains itself and refuses wrong usage with exit code 2, before touching the database', async () => {
    const help = await cli(['--help']);
    expect(help.code).toBe(0);
    for (const command of COMMANDS) expect(help.stdout).toContain(command);
    expect(help.stdout).toContain('Exit codes: 0 done, 1 the operation failed, 2 wrong usage.');

    const commandHelp = await cli(['member:add', '--help']);
    expect(commandHelp).toMatchObject({ code: 0, stdout: expect.stringContaining('member:add --account <acc_…> --email <email> --role admin|member') });

    const cases: [string[], RegExp][] = [
      [[], /^Usage: npm run cli -- <command>/],
      [['users:nuke'], /unknown command "users:nuke"/],
      [['user:create', '--email', 'a@example.com', '--bogus'], /Unknown option '--bogus'/],
      [['user:create', '--email'], /argument missing/],
      [['account:create', '--name', 'Acme'], /missing --admin-email <value>/],
      [['member:add', '--account', 'acc_x'], /missing --email <value>, --role <value>/],
      [['user:create', '--email', 'a@example.com'], /a password is needed: --password <password> or the NEW_USER_PASSWORD environment variable/],
    ];
    const results = await Promise.all(cases.map(([args]) => cli(args)));
    results.forEach((result, index) => {
      expect(result.code, cases[index]![0].join(' ')).toBe(2);
      expect(result.stderr).toMatch(cases[index]![1]);
      expect(result.stdout).toBe('');
    });
    // Usage errors never opened (or created) the database.
    expect((await import('node:fs')).existsSync(db.url.slice('file:'.length))).toBe(false);
  });

  it('user:create takes the password from the environment or a flag; refuses duplicates and bad input', async () => {
    const fromEnv = await cli(['user:create', '--email', 'Alice@Example.com'], { NEW_USER_PASSWORD: 'alice passphrase' });
    expect(fromEnv.code).toBe(0);
    expect(fromEnv.stdout).toMatch(/^created user alice@example\.com \(usr_[A-Za-z0-9_-]{21}\)\n$/);
    expect(fromEnv.stderr).toMatch(/applied 1 migration/);

    const fromFlag = await cli(['user:create', '--email', 'bob@example.com', '--password', 'bob passphrase', '--json']);
    expect(fromFlag.code).toBe(0);
    expect(JSON.parse(fromFlag.stdout)).toEqual({ id: expect.stringMatching(/^usr_/), email: 'bob@example.com' });

    const [duplicate, invalid] = await Promise.all([
      cli(['user:create', '--email', 'alice@example.com', '--password', 'another passphrase']),
      cli(['user:create', '--email', 'not-an-email', '--password', 'short']),
    ]);
    expect(duplicate).toMatchObject({ code: 1, stdout: '', stderr: 'cli user:create: A user with the email alice@example.com already exists. (CONFLICT)\n' });
    expect(invalid.code).toBe(1);
    expect(invalid.stderr).toBe('cli user:create: Invalid input: email: must be an email address; password: must be at least 10 characters (VALIDATION_FAILED)\n');

    // The new user can sign in through the API with that password.
    app = await db.openApp();
    const signIn = await app.http.inject({ method: 'POST', url: '/api/auth/sign-in', payload: { email: 'alice@example.com', password: 'alice passphrase' } });
    expect(signIn.statusCode).toBe(200);
    expect(signIn.json().accounts).toEqual([]);
  });

  let accountId: string;

  it('account:create makes an existing user the admin of a new account', async () => {
    const created = await cli(['account:create', '--name', 'Acme Mail', '--admin-email', 'alice@example.com']);
    expect(created.code).toBe(0);
    accountId = /\((acc_[A-Za-z0-9_-]{21})\)/.exec(created.stdout)![1]!;
    expect(created.stdout).toBe(`created account "Acme Mail" (${accountId}) with admin alice@example.com\n`);

    const [unknownAdmin, emptyName] = await Promise.all([
      cli(['account:create', '--name', 'Ghost Inc', '--admin-email', 'ghost@example.com']),
      cli(['account:create', '--name', '  ', '--admin-email', 'alice@example.com']),
    ]);
    expect(unknownAdmin).toMatchObject({ code: 1, stderr: 'cli account:create: No user with the email ghost@example.com exists; create it first with user:create. (NOT_FOUND)\n' });
    expect(emptyName).toMatchObject({ code: 1, stderr: expect.stringContaining('name: must not be empty (VALIDATION_FAILED)') });

    const members = await app.services.db.prisma.membership.findMany({ where: { accountId }, include: { user: true } });
    expect(members.map((m) => [m.user.email, m.role])).toEqual([['alice@example.com', 'admin']]);
  });

  it('member:add adds a user or changes their role, with the API rules and an audit event', async () => {
    const added = await cli(['member:add', '--account', accountId, '--email', 'bob@example.com', '--role', 'member']);
    expect(added).toMatchObject({ code: 0, stdout: `bob@example.com is member of "Acme Mail" (${accountId})\n` });
    const promoted = await cli(['member:add', '--account', accountId, '--email', 'bob@example.com', '--role', 'admin']);
    expect(promoted).toMatchObject({ code: 0, stdout: `bob@example.com is admin of "Acme Mail" (${accountId})\n` });

    const [unknownAccount, unknownUser, badRole] = await Promise.all([
      cli(['member:add', '--account', 'acc_doesnotexist', '--email', 'bob@example.com', '--role', 'member']),
      cli(['member:add', '--account', accountId, '--email', 'carol@example.com', '--role', 'member']),
      cli(['member:add', '--account', accountId, '--email', 'bob@example.com', '--role', 'owner']),
    ]);
    expect(unknownAccount).toMatchObject({ code: 1, stderr: 'cli member:add: No account with the id acc_doesnotexist exists; list them with accounts:list. (NOT_FOUND)\n' });
    expect(unknownUser).toMatchObject({ code: 1, stderr: expect.stringMatching(/No user with this email exists.*\(NOT_FOUND\)/) });
    expect(badRole).toMatchObject({ code: 1, stderr: 'cli member:add: Invalid input: role: must be admin or member (VALIDATION_FAILED)\n' });

    // Demoting one of two admins works; demoting the last one is refused.
    expect((await cli(['member:add', '--account', accountId, '--email', 'alice@example.com', '--role', 'member'])).code).toBe(0);
    const lastAdmin = await cli(['member:add', '--account', accountId, '--email', 'bob@example.com', '--role', 'member']);
    expect(lastAdmin).toMatchObject({ code: 1, stderr: expect.stringMatching(/at least one admin.*\(CONFLICT\)/) });

    const events = await app.services.db.prisma.auditEvent.findMany({ where: { accountId }, orderBy: { createdAt: 'asc' } });
    expect(events.map((e) => [e.action, e.actorUserId, JSON.parse(e.details)])).toEqual([
      ['member.added', 'operator', { role: 'admin' }],
      ['member.added', 'operator', { role: 'member' }],
      ['member.role_changed', 'operator', { from: 'member', to: 'admin' }],
      ['member.role_changed', 'operator', { from: 'admin', to: 'member' }],
    ]);
    expect(new Set(events.map((e) => e.requestId?.slice(0, 4)))).toEqual(new Set(['cli-']));
  });

  it('accounts:list shows accounts with admins and counts, as a table or JSON', async () => {
    const table = await cli(['accounts:list']);
    expect(table.code).toBe(0);
    const lines = table.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^ID\s+NAME\s+MEMBERS\s+CREDENTIALS\s+ADMINS$/);
    expect(lines[1]).toMatch(new RegExp(`^${accountId}\\s+Acme Mail\\s+2\\s+0\\s+bob@example\\.com$`));

    const json = await cli(['accounts:list', '--json']);
    expect(JSON.parse(json.stdout)).toEqual([{ id: accountId, name: 'Acme Mail', createdAt: expect.any(String), members: 2, admins: ['bob@example.com'], credentials: 0 }]);
  });

  it('sessions:revoke ends every active session of a user at once', async () => {
    const tokens: string[] = [];
    for (let i = 0; i < 2; i++) {
      const signIn = await app.http.inject({ method: 'POST', url: '/api/auth/sign-in', payload: { email: 'bob@example.com', password: 'bob passphrase' } });
      tokens.push(signIn.json().token);
    }
    const aliceToken = (await app.http.inject({ method: 'POST', url: '/api/auth/sign-in', payload: { email: 'alice@example.com', password: 'alice passphrase' } })).json().token;
    const me = (token: string) => app.http.inject({ method: 'GET', url: '/api/me', headers: { authorization: `Bearer ${token}` } }).then((r) => r.statusCode);
    expect(await Promise.all(tokens.map(me))).toEqual([200, 200]);

    const revoked = await cli(['sessions:revoke', '--email', 'BOB@example.com']);
    expect(revoked).toMatchObject({ code: 0, stdout: 'revoked 2 active session(s) of bob@example.com\n' });
    expect(await Promise.all(tokens.map(me))).toEqual([401, 401]);
    expect(await me(aliceToken)).toBe(200); // other users keep theirs

    expect(await cli(['sessions:revoke', '--email', 'bob@example.com'])).toMatchObject({ code: 0, stdout: 'revoked 0 active session(s) of bob@example.com\n' });
    expect(await cli(['sessions:revoke', '--email', 'nobody@example.com'])).toMatchObject({ code: 1, stderr: 'cli sessions:revoke: No user with the email nobody@example.com exists. (NOT_FOUND)\n' });
  });

  it('reports a bad configuration in one line with exit code 1', async () => {
    const result = await cli(['accounts:list'], { DATABASE_URL: 'mysql://nope' });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^cli accounts:list: Invalid configuration: DATABASE_URL: expected file:<path>/);
  });
});
