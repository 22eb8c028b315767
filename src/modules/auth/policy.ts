// Who may do what: the one policy table. Every service calls `authorize` before it touches an
// account's data. A caller without a membership learns nothing (NOT_FOUND, as if the object
// did not exist); a member without the role gets FORBIDDEN.
import { AppError } from '../../errors.js';

export const ROLES = ['member', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export const POLICY = {
  'credential.create': 'admin',
  'credential.read': 'member',
  'credential.update': 'admin',
  'credential.delete': 'admin',
  'credential.test': 'member',
  'credential.rotate': 'admin',
  'credential.use': 'member',
  // The only action that sends mail (from the customer's mailbox, to any address): admins only.
  'credential.send_test_message': 'admin',
  'audit.read': 'admin',
  'member.read': 'member',
  'member.manage': 'admin',
} as const satisfies Record<string, Role>;

export type Action = keyof typeof POLICY;

export interface Viewer {
  userId: string;
  email: string;
  sessionId: string;
  /** accountId → role */
  roles: ReadonlyMap<string, Role>;
}

const rank = (role: Role): number => ROLES.indexOf(role);

export function can(viewer: Viewer, action: Action, accountId: string): boolean {
  const role = viewer.roles.get(accountId);
  return role !== undefined && rank(role) >= rank(POLICY[action]);
}

/**
 * Throws unless the viewer may perform `action` in the account. `what` names the object in
 * the NOT_FOUND message, so a non-member cannot tell a missing object from a hidden one.
 */
export function authorize(viewer: Viewer, action: Action, accountId: string, what = 'The account'): void {
  const role = viewer.roles.get(accountId);
  if (role === undefined) throw new AppError('NOT_FOUND', `${what} was not found.`);
  if (rank(role) < rank(POLICY[action])) {
    throw new AppError('FORBIDDEN', `This operation needs the ${POLICY[action]} role in the account; you are ${role}.`);
  }
}
