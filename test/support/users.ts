// Creates signed-in users through the public API, the way a real client would.
import type { TestApp } from './test-app.js';

export interface SignedUpUser {
  token: string;
  userId: string;
  email: string;
  password: string;
  accountId: string;
}

let counter = 0;

export async function signUpUser(testApp: TestApp, prefix = 'user'): Promise<SignedUpUser> {
  counter += 1;
  const email = `${prefix}${counter}-${Date.now().toString(36)}@example.test`;
  const password = `pw-${Math.random().toString(36).slice(2)}-long-enough`;
  const response = await testApp.rest('POST', '/api/auth/sign-up', { body: { email, password, account_name: `${prefix} account ${counter}` } });
  if (response.status !== 201) throw new Error(`sign-up failed: ${response.status} ${JSON.stringify(response.body)}`);
  return { token: response.body.token, userId: response.body.user.id, email, password, accountId: response.body.account.id };
}

/** Adds `user` to `accountId` with `role`, acting as `admin`. */
export async function addMember(testApp: TestApp, admin: SignedUpUser, accountId: string, user: SignedUpUser, role: 'admin' | 'member'): Promise<void> {
  const response = await testApp.rest('POST', `/api/accounts/${accountId}/members`, { token: admin.token, body: { email: user.email, role } });
  if (response.status !== 200) throw new Error(`add member failed: ${response.status} ${JSON.stringify(response.body)}`);
}
