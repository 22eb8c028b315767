// A real IMAP server for tests: Debian's Dovecot from a self-contained config in a temp dir,
// listening on 127.0.0.2 only. That address differs from the client's source address
// (127.0.0.1), so Dovecot treats the client as remote and advertises LOGINDISABLED until
// STARTTLS, like a real server would.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, chownSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { createTestCertificates, type TestCertificates } from './certificates.js';
import { findFreePort } from './free-port.js';
import { waitForGreeting } from './wait-for-greeting.js';

export const DOVECOT_HOST = '127.0.0.2';
/** Dovecot's exit code when a listener cannot bind its port. */
const EXIT_PORT_IN_USE = 89;
const START_ATTEMPTS = 5;
const STOP_GRACE_MS = 5000;

export interface DovecotServer {
  host: string;
  /** Plain IMAP that offers STARTTLS. */
  imapPort: number;
  /** IMAP over implicit TLS. */
  imapsPort: number;
  caPem: string;
  stop(): Promise<void>;
}

export interface DovecotOptions {
  /** user name → password; the password is also accepted as an XOAUTH2 access token. */
  users: Record<string, string>;
  certificates?: TestCertificates;
}

export function isDovecotInstalled(): boolean {
  try {
    execFileSync('dovecot', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

interface RunAs {
  user: string;
  group: string;
  uid: number;
  gid: number;
  root: boolean;
}

/** Root runs the stock privilege separation; anyone else runs every process as themselves. */
function runAs(): RunAs {
  const self = userInfo();
  if (self.uid === 0) {
    const passwd = execFileSync('getent', ['passwd', 'dovecot'], { encoding: 'utf8' }).split(':');
    return { user: 'dovecot', group: 'dovecot', uid: Number(passwd[2]), gid: Number(passwd[3]), root: true };
  }
  const group = execFileSync('id', ['-gn'], { encoding: 'utf8' }).trim();
  return { user: self.username, group, uid: self.uid, gid: self.gid, root: false };
}

function dovecotConfig(dir: string, imapPort: number, imapsPort: number, account: RunAs): string {
  const unprivileged = account.root
    ? ''
    : `default_internal_user = ${account.user}
default_internal_group = ${account.group}
default_login_user = ${account.user}
`;
  const noChroot = account.root ? '' : '  chroot =\n';
  return `${unprivileged}
instance_name = conn-test-${process.pid}-${imapPort}
base_dir = ${dir}/run
state_dir = ${dir}/state
log_path = ${dir}/dovecot.log
protocols = imap
listen = ${DOVECOT_HOST}
ssl = yes
ssl_cert = <${dir}/server.pem
ssl_key = <${dir}/server.key
ssl_min_protocol = TLSv1.2
# Dovecot hands an XOAUTH2 token to the passdb like a password, so the users file checks both.
auth_mechanisms = plain login xoauth2
auth_failure_delay = 0
first_valid_uid = 1
mail_location = maildir:~/Maildir
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%u ${dir}/users
}
userdb {
  driver = static
  args = uid=${account.uid} gid=${account.gid} home=${dir}/mail/%u
}
service imap-login {
${noChroot}  inet_listener imap {
    port = ${imapPort}
  }
  inet_listener imaps {
    port = ${imapsPort}
    ssl = yes
  }
}
# Without this, anvil slows failed logins from one IP down to 15 s each.
service anvil {
${noChroot}  unix_listener anvil-auth-penalty {
    mode = 0
  }
}
`;
}

function prepareDirectory(users: Record<string, string>, certificates: TestCertificates, account: RunAs): string {
  // Short path: base_dir holds unix sockets, whose paths are limited to ~100 bytes.
  const dir = mkdtempSync('/tmp/dc-');
  chmodSync(dir, 0o755);
  for (const sub of ['run', 'state', 'mail']) mkdirSync(join(dir, sub));
  if (account.root) chownSync(join(dir, 'mail'), account.uid, account.gid);
  writeFileSync(join(dir, 'server.pem'), certificates.server.certPem);
  writeFileSync(join(dir, 'server.key'), certificates.server.keyPem, { mode: 0o600 });
  const lines = Object.entries(users).map(([user, password]) => {
    if (/[:\s]/.test(user) || /[:\r\n]/.test(password)) throw new Error(`unsupported test user ${user}`);
    return `${user}:{PLAIN}${password}`;
  });
  writeFileSync(join(dir, 'users'), lines.join('\n') + '\n', { mode: 0o644 });
  return dir;
}

function waitForExit(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = waitForExit(child);
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
  await exited;
  clearTimeout(timer);
}

function readLogTail(path: string): string {
  try {
    return readFileSync(path, 'utf8').slice(-2000);
  } catch {
    return '(no log)';
  }
}

/** Starts Dovecot, retrying with new ports when a chosen port was taken in the meantime. */
export async function startDovecot(options: DovecotOptions): Promise<DovecotServer> {
  const certificates = options.certificates ?? createTestCertificates();
  const account = runAs();
  const dir = prepareDirectory(options.users, certificates, account);
  const configPath = join(dir, 'dovecot.conf');

  for (let attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
    const imapPort = await findFreePort(DOVECOT_HOST);
    const imapsPort = await findFreePort(DOVECOT_HOST);
    if (imapPort === imapsPort) continue;
    writeFileSync(configPath, dovecotConfig(dir, imapPort, imapsPort, account));

    const child = spawn('dovecot', ['-F', '-c', configPath], { stdio: 'ignore' });
    child.on('error', () => undefined);
    const exited = waitForExit(child).then((code) => ({ exited: true as const, code }));
    // The master binds every listener before any greets, so one greeting means both are up.
    const ready = waitForGreeting(DOVECOT_HOST, imapPort, '* OK').then(() => ({ exited: false as const, code: null }));
    const outcome = await Promise.race([exited, ready]).catch(async (error: unknown) => {
      await stopProcess(child);
      rmSync(dir, { recursive: true, force: true });
      throw error;
    });

    if (!outcome.exited) {
      return {
        host: DOVECOT_HOST,
        imapPort,
        imapsPort,
        caPem: certificates.caPem,
        stop: async () => {
          await stopProcess(child);
          rmSync(dir, { recursive: true, force: true });
        },
      };
    }
    if (outcome.code !== EXIT_PORT_IN_USE) {
      const log = readLogTail(join(dir, 'dovecot.log'));
      rmSync(dir, { recursive: true, force: true });
      throw new Error(`dovecot exited with code ${outcome.code}:\n${log}`);
    }
  }
  rmSync(dir, { recursive: true, force: true });
  throw new Error(`dovecot could not bind free ports in ${START_ATTEMPTS} attempts`);
}
