// User passwords: argon2id (memory-hard) through @node-rs/argon2, which also verifies in
// constant time. A fixed dummy hash is verified for unknown emails so that sign-in takes the
// same time whether or not the email exists.
import { hash, verify } from '@node-rs/argon2';

export const PASSWORD_MIN_LENGTH = 10;
export const PASSWORD_MAX_LENGTH = 1024;

let dummyHash: Promise<string> | undefined;

export const hashPassword = (password: string): Promise<string> => hash(password);

export async function verifyPassword(passwordHash: string | null, password: string): Promise<boolean> {
  if (passwordHash === null) {
    dummyHash ??= hash('not-a-real-password-only-for-timing');
    await verify(await dummyHash, password);
    return false;
  }
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}
