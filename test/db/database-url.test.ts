import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseDatabaseUrl } from '../../src/db/database-url.js';

describe('parseDatabaseUrl', () => {
  it('reads file: as a SQLite path, relative to the working directory', () => {
    expect(parseDatabaseUrl('file:./data/app.db', '/srv/app')).toEqual({ provider: 'sqlite', filePath: join('/srv/app', 'data/app.db') });
    expect(parseDatabaseUrl('file:data/app.db', '/srv/app')).toEqual({ provider: 'sqlite', filePath: join('/srv/app', 'data/app.db') });
    expect(parseDatabaseUrl('file:/var/lib/app.db')).toEqual({ provider: 'sqlite', filePath: '/var/lib/app.db' });
    expect(parseDatabaseUrl('file:///var/lib/app.db')).toEqual({ provider: 'sqlite', filePath: '/var/lib/app.db' });
  });

  it('reads postgresql:// and postgres:// as PostgreSQL', () => {
    expect(parseDatabaseUrl('postgresql://app:secret@db.internal:5433/credentials?sslmode=require')).toEqual({
      provider: 'postgresql',
      url: 'postgresql://app:secret@db.internal:5433/credentials?sslmode=require',
      database: 'credentials',
    });
    expect(parseDatabaseUrl('postgres://postgres@127.0.0.1/test')).toMatchObject({ provider: 'postgresql', database: 'test' });
  });

  it.each(['mysql://root:hunter2@db/x', 'sqlite.db', '', 'file:', 'file::memory:'])('rejects %j with a clear message that never echoes the URL', (url) => {
    expect(() => parseDatabaseUrl(url)).toThrow(/expected file:<path> \(SQLite\) or postgresql:\/\//);
    try {
      parseDatabaseUrl(url);
    } catch (error) {
      expect((error as Error).message).not.toContain('hunter2');
    }
  });
});
