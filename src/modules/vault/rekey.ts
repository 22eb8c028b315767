// Re-encrypts stored secrets under the active key of the ring, in batches, so an old key can
// be removed afterwards. Safe beside a serving server: each row is rewritten only if it still
// holds the cipher text that was read (a concurrent rotation wins and is left alone).
// Resumable: a new run picks up every row not yet under the active key.
import type { Database } from '../../db/client.js';
import { openCredential, sealCredential } from './credential-secrets.js';
import type { Vault } from './vault.js';

export interface RekeyProgress {
  done: number;
  total: number;
}

export interface RekeyReport {
  rekeyed: number;
  /** Rows whose secret cannot be decrypted with the ring (they keep their old key id). */
  unreadable: number;
  /** Rows changed by someone else (a rotation) between read and write; already current. */
  skipped: number;
}

export async function rekeySecrets(db: Database, vault: Vault, options: { batchSize?: number; onProgress?: (progress: RekeyProgress) => void } = {}): Promise<RekeyReport> {
  const batchSize = options.batchSize ?? 500;
  const pending = { keyId: { not: vault.activeKeyId } };
  const total = await db.prisma.credentialSecret.count({ where: pending });
  const report: RekeyReport = { rekeyed: 0, unreadable: 0, skipped: 0 };
  let after = '';
  for (;;) {
    const rows = await db.prisma.credentialSecret.findMany({
      where: { ...pending, credentialId: { gt: after } },
      orderBy: { credentialId: 'asc' },
      take: batchSize,
    });
    if (rows.length === 0) break;
    after = rows[rows.length - 1]!.credentialId;
    await db.prisma.$transaction(async (tx) => {
      for (const row of rows) {
        const plaintext = openCredential(vault, row.credentialId, row);
        if (!plaintext) {
          report.unreadable += 1;
          continue;
        }
        const { count } = await tx.credentialSecret.updateMany({
          where: { credentialId: row.credentialId, keyId: row.keyId, secretCiphertext: row.secretCiphertext },
          data: sealCredential(vault, row.credentialId, row.secretVersion, plaintext),
        });
        if (count === 1) report.rekeyed += 1;
        else report.skipped += 1;
      }
    });
    options.onProgress?.({ done: report.rekeyed + report.unreadable + report.skipped, total });
  }
  return report;
}

export interface KeyUsage {
  keyId: string;
  secrets: number;
  inRing: boolean;
}

/** How many secrets each key id holds, and how many cannot be decrypted with the ring. */
export async function checkKeyUsage(db: Database, vault: Vault, batchSize = 1000): Promise<{ keys: KeyUsage[]; unreadable: number }> {
  const groups = await db.prisma.credentialSecret.groupBy({ by: ['keyId'], _count: { _all: true }, orderBy: { keyId: 'asc' } });
  let unreadable = 0;
  let after = '';
  for (;;) {
    const rows = await db.prisma.credentialSecret.findMany({ where: { credentialId: { gt: after } }, orderBy: { credentialId: 'asc' }, take: batchSize });
    if (rows.length === 0) break;
    after = rows[rows.length - 1]!.credentialId;
    unreadable += rows.filter((row) => openCredential(vault, row.credentialId, row) === null).length;
  }
  return { keys: groups.map((group) => ({ keyId: group.keyId, secrets: group._count._all, inRing: vault.hasKey(group.keyId) })), unreadable };
}
