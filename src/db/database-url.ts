// DATABASE_URL decides the database: `file:<path>` is SQLite, `postgresql://…` is PostgreSQL.
// Parsing never echoes the URL back: it may carry a password.
import { isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export type DatabaseProvider = 'sqlite' | 'postgresql';

export type DatabaseTarget =
  | { provider: 'sqlite'; /** absolute path of the database file */ filePath: string }
  | { provider: 'postgresql'; url: string; /** database name; empty means the server's default (the user's name) */ database: string };

const EXPECTED = 'expected file:<path> (SQLite) or postgresql://user@host:port/database (PostgreSQL)';

/** Relative SQLite paths resolve against `cwd` (the process's working directory by default). */
export function parseDatabaseUrl(databaseUrl: string, cwd: string = process.cwd()): DatabaseTarget {
  const value = databaseUrl.trim();
  if (/^file:/i.test(value)) return { provider: 'sqlite', filePath: sqliteFilePath(value, cwd) };
  if (/^postgres(ql)?:\/\//i.test(value)) return { provider: 'postgresql', url: value, database: postgresDatabase(value) };
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(value)?.[1];
  throw new Error(`DATABASE_URL is not supported (${scheme ? `a "${scheme}:" URL` : 'no URL scheme'}): ${EXPECTED}`);
}

function sqliteFilePath(value: string, cwd: string): string {
  // `file:` URLs may carry Prisma-style options after "?": none is used here.
  const location = value.replace(/\?.*$/, '');
  const path = location.startsWith('file://') ? fileURLToPath(location) : location.slice('file:'.length);
  if (!path || path === ':memory:') throw new Error(`DATABASE_URL names no SQLite file: ${EXPECTED}`);
  return isAbsolute(path) ? path : resolve(cwd, path);
}

function postgresDatabase(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new Error(`DATABASE_URL is not a valid PostgreSQL URL: ${EXPECTED}`);
  }
  return decodeURIComponent(url.pathname.replace(/^\//, ''));
}
