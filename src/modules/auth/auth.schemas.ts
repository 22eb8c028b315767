// Input rules for sign-up and sign-in, shared by REST and GraphQL.
import { z } from 'zod';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from './passwords.js';

const email = z
  .string({ error: 'must be a string' })
  .trim()
  .toLowerCase()
  .max(254, { error: 'must be at most 254 characters' })
  .pipe(z.email({ error: 'must be an email address' }));

export const signUpSchema = z.strictObject({
  email,
  password: z
    .string({ error: 'must be a string' })
    .min(PASSWORD_MIN_LENGTH, { error: `must be at least ${PASSWORD_MIN_LENGTH} characters` })
    .max(PASSWORD_MAX_LENGTH, { error: `must be at most ${PASSWORD_MAX_LENGTH} characters` }),
  accountName: z.string({ error: 'must be a string' }).trim().min(1, { error: 'must not be empty' }).max(100, { error: 'must be at most 100 characters' }),
});

export const signInSchema = z.strictObject({
  email,
  password: z.string({ error: 'must be a string' }).min(1, { error: 'must not be empty' }).max(PASSWORD_MAX_LENGTH, { error: `must be at most ${PASSWORD_MAX_LENGTH} characters` }),
});

export const memberInputSchema = z.strictObject({
  email,
  role: z.enum(['admin', 'member'], { error: 'must be admin or member' }),
});

export type SignUpInput = z.infer<typeof signUpSchema>;
export type SignInInput = z.infer<typeof signInSchema>;
export type MemberInput = z.infer<typeof memberInputSchema>;
