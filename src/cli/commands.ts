// The operator CLI's commands: argument parsing (node's util.parseArgs), help, dispatch to
// OperatorService, output and exit codes: 0 done, 1 the operation failed (message on stderr),
// 2 wrong usage. The process entry point is main.ts.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { ConfigError } from '../config.js';
import { AppError } from '../errors.js';
import { OperatorService } from './operator.service.js';
import { openCliRuntime, UsageError } from './runtime.js';

/** Where user:create takes the password from when --password is not given. */
export const PASSWORD_ENV = 'NEW_USER_PASSWORD';

type Options = NonNullable<ParseArgsConfig['options']>;
type Values = Record<string, string | boolean | undefined>;

interface Command {
  summary: string;
  usage: string;
  details?: string;
  options: Options;
  required: string[];
  /** Usage checks beyond required options, before the database is opened; throws UsageError. */
  check?(values: Values, env: NodeJS.ProcessEnv): void;
  run(operator: OperatorService, values: Values, env: NodeJS.ProcessEnv): Promise<{ text: string; json: unknown }>;
}

const str = (values: Values, name: string): string | undefined => (typeof values[name] === 'string' ? (values[name] as string) : undefined);

const COMMANDS: Record<string, Command> = {
  'user:create': {
    summary: 'create a user (with no account yet)',
    usage: 'user:create --email <email> [--password <password>]',
    details: `The password (at least 10 characters) comes from --password or, to keep it out of the shell\nhistory and the process list, from the ${PASSWORD_ENV} environment variable.`,
    options: { email: { type: 'string' }, password: { type: 'string' } },
    required: ['email'],
    check(values, env) {
      if (!str(values, 'password') && !env[PASSWORD_ENV]) throw new UsageError(`a password is needed: --password <password> or the ${PASSWORD_ENV} environment variable`);
    },
    async run(operator, values, env) {
      const user = await operator.createUser({ email: str(values, 'email'), password: str(values, 'password') || env[PASSWORD_ENV] });
      return { text: `created user ${user.email} (${user.id})`, json: user };
    },
  },
  'account:create': {
    summary: 'create an account administered by an existing user',
    usage: 'account:create --name <name> --admin-email <email>',
    options: { name: { type: 'string' }, 'admin-email': { type: 'string' } },
    required: ['name', 'admin-email'],
    async run(operator, values) {
      const account = await operator.createAccount({ name: str(values, 'name'), adminEmail: str(values, 'admin-email') });
      return { text: `created account "${account.name}" (${account.id}) with admin ${str(values, 'admin-email')!.trim().toLowerCase()}`, json: account };
    },
  },
  'member:add': {
    summary: 'add an existing user to an account, or change their role',
    usage: 'member:add --account <acc_…> --email <email> --role admin|member',
    details: 'The last admin of an account cannot be demoted.',
    options: { account: { type: 'string' }, email: { type: 'string' }, role: { type: 'string' } },
    required: ['account', 'email', 'role'],
    async run(operator, values) {
      const member = await operator.addMember(str(values, 'account')!, { email: str(values, 'email'), role: str(values, 'role') });
      return { text: `${member.email} is ${member.role} of "${member.accountName}" (${member.accountId})`, json: member };
    },
  },
  'sessions:revoke': {
    summary: 'revoke every active session (bearer token) of a user',
    usage: 'sessions:revoke --email <email>',
    options: { email: { type: 'string' } },
    required: ['email'],
    async run(operator, values) {
      const result = await operator.revokeSessions({ email: str(values, 'email') });
      return { text: `revoked ${result.revoked} active session(s) of ${str(values, 'email')!.trim().toLowerCase()}`, json: result };
    },
  },
  'accounts:list': {
    summary: 'list accounts with their admins, member and credential counts',
    usage: 'accounts:list',
    options: {},
    required: [],
    async run(operator) {
      const accounts = await operator.listAccounts();
      if (accounts.length === 0) return { text: 'no accounts', json: accounts };
      const rows = [['ID', 'NAME', 'MEMBERS', 'CREDENTIALS', 'ADMINS'], ...accounts.map((a) => [a.id, a.name, String(a.members), String(a.credentials), a.admins.join(', ')])];
      const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
      const text = rows.map((row) => row.map((cell, column) => (column === row.length - 1 ? cell : cell.padEnd(widths[column]!))).join('  ')).join('\n');
      return { text, json: accounts };
    },
  },
};

const COMMON_OPTIONS: Options = { help: { type: 'boolean', short: 'h' }, json: { type: 'boolean' } };

export function usage(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((name) => name.length));
  return [
    'Usage: npm run cli -- <command> [options]',
    '       node dist/src/cli/main.js <command> [options]   (after npm run build)',
    '',
    'Operator commands on the database named by DATABASE_URL (pending migrations are applied first).',
    '',
    'Commands:',
    ...Object.entries(COMMANDS).map(([name, command]) => `  ${name.padEnd(width)}  ${command.summary}\n  ${' '.repeat(width)}    ${command.usage}`),
    '',
    'Options for every command:',
    '  --json      print the result as JSON',
    '  -h, --help  show help (for one command: <command> --help)',
    '',
    'Exit codes: 0 done, 1 the operation failed, 2 wrong usage.',
  ].join('\n');
}

function commandUsage(name: string, command: Command): string {
  return [`Usage: npm run cli -- ${command.usage} [--json]`, '', `${name}: ${command.summary}.`, ...(command.details ? ['', command.details] : [])].join('\n');
}

export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  env: NodeJS.ProcessEnv;
}

/** Runs one command; returns the exit code. */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '-h' || name === '--help' || name === 'help') {
    (name === undefined ? io.err : io.out)(usage());
    return name === undefined ? 2 : 0;
  }
  const command = COMMANDS[name];
  if (!command) {
    io.err(`cli: unknown command "${name}"\n\n${usage()}`);
    return 2;
  }
  let values: Values;
  try {
    values = parseArgs({ args: rest, options: { ...COMMON_OPTIONS, ...command.options }, strict: true, allowPositionals: false }).values as Values;
    if (values.help) {
      io.out(commandUsage(name, command));
      return 0;
    }
    const missing = command.required.filter((option) => str(values, option) === undefined);
    if (missing.length > 0) throw new UsageError(`missing ${missing.map((option) => `--${option} <value>`).join(', ')}`);
    command.check?.(values, io.env);
  } catch (error) {
    io.err(`cli ${name}: ${(error as Error).message}\n\n${commandUsage(name, command)}`);
    return 2;
  }

  let runtime;
  try {
    runtime = await openCliRuntime(io.env);
  } catch (error) {
    io.err(`cli ${name}: ${error instanceof ConfigError ? error.message : `cannot open the database: ${(error as Error).message}`}`);
    return 1;
  }
  try {
    const result = await command.run(new OperatorService(runtime.db), values, io.env);
    io.out(values.json ? JSON.stringify(result.json, null, 2) : result.text);
    return 0;
  } catch (error) {
    if (error instanceof AppError) {
      io.err(`cli ${name}: ${error.message} (${error.code})`);
      return 1;
    }
    runtime.logger.error({ err: error }, `cli ${name} failed`);
    io.err(`cli ${name}: unexpected error: ${(error as Error).message}`);
    return 1;
  } finally {
    await runtime.close();
  }
}
