// Writes audit events. Callers pass their transaction so the event commits or rolls back
// together with the change it records. Details are small JSON of non-secret facts: callers
// build them from ids, versions and codes only.
import type { Tx } from '../../db/transaction.js';
import { newId } from '../../shared/ids.js';

export const AUDIT_ACTIONS = [
  'credential.created',
  'credential.updated',
  'credential.rotated',
  'credential.deleted',
  'credential.tested',
  'credential.test_message_sent',
  'member.added',
  'member.role_changed',
  'member.removed',
  'auth.sign_in_failed',
] as const;

export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export interface AuditEntry {
  accountId: string | null;
  actorUserId: string | null;
  action: AuditAction;
  targetId: string | null;
  requestId: string | null;
  details?: Record<string, string | number | boolean | null>;
}

export async function recordAudit(tx: Tx, entry: AuditEntry): Promise<void> {
  await tx.auditEvent.create({ data: auditEventRow(entry) });
}

/** The row recordAudit writes, for callers that batch it with other writes in one transaction. */
export function auditEventRow(entry: AuditEntry) {
  return {
    id: newId('auditEvent'),
    accountId: entry.accountId,
    actorUserId: entry.actorUserId,
    action: entry.action,
    targetId: entry.targetId,
    requestId: entry.requestId,
    details: JSON.stringify(entry.details ?? {}),
  };
}
