// The process-wide service container: built once at start, handed to every transport.
// Feature modules add their services here so the data path stays explicit.
import type { Config } from './config.js';
import type { Database } from './db/client.js';
import type { Logger } from './logger.js';
import { MembersService } from './modules/accounts/members.service.js';
import { UsersService } from './modules/accounts/users.service.js';
import { AuditService } from './modules/audit/audit.service.js';
import { AuthService } from './modules/auth/auth.service.js';
import { ConnectivityTester, type HostResolver } from './modules/connectivity/connectivity.service.js';
import { CredentialsService } from './modules/credentials/credentials.service.js';
import { MailAccessService } from './modules/mail-access/mail-access.service.js';
import type { Vault } from './modules/vault/vault.js';
import { vaultFromConfig } from './modules/vault/vault-from-config.js';
import { createRateLimitStore, type RateLimitStore } from './shared/rate-limiter.js';

export interface AppServices {
  config: Config;
  logger: Logger;
  db: Database;
  rateLimits: RateLimitStore;
  vault: Vault;
  auth: AuthService;
  users: UsersService;
  members: MembersService;
  audit: AuditService;
  credentials: CredentialsService;
  mailAccess: MailAccessService;
}

/** Replaceable parts, for tests: DNS resolution never leaves the machine in a test. */
export interface ServiceOverrides {
  resolveHost?: HostResolver;
}

export function createServices(config: Config, logger: Logger, db: Database, overrides: ServiceOverrides = {}): AppServices {
  const vault = vaultFromConfig(config, (message) => logger.warn(message));
  const rateLimits = createRateLimitStore(config.redisUrl);
  const tester = new ConnectivityTester(config, overrides.resolveHost);
  return {
    config,
    logger,
    db,
    rateLimits,
    vault,
    credentials: new CredentialsService({ db, vault, config, rateLimits }, tester),
    mailAccess: new MailAccessService({ db, vault, config, rateLimits, logger }, overrides.resolveHost),
    auth: new AuthService(db, config, rateLimits),
    users: new UsersService(db),
    members: new MembersService(db),
    audit: new AuditService(db),
  };
}
