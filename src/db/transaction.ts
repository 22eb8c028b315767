// The client handed to `prisma.$transaction(async (tx) => …)` callbacks, for helpers that must
// run inside the caller's transaction.
import type { Prisma } from '../generated/sqlite/client.js';

export type Tx = Prisma.TransactionClient;
