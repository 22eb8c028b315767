-- CreateTable
CREATE TABLE "User" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "email" TEXT NOT NULL,
    "passwordHash" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "Account" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "name" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "Membership" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "userId" TEXT NOT NULL,
    "accountId" TEXT NOT NULL,
    "role" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "Membership_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "Membership_accountId_fkey" FOREIGN KEY ("accountId") REFERENCES "Account" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Session" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "tokenHash" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" DATETIME NOT NULL,
    "revokedAt" DATETIME,
    CONSTRAINT "Session_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "ProviderCredential" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "accountId" TEXT NOT NULL,
    "providerKind" TEXT NOT NULL,
    "host" TEXT NOT NULL,
    "port" INTEGER NOT NULL,
    "securityMode" TEXT NOT NULL,
    "authKind" TEXT NOT NULL,
    "usernameMasked" TEXT NOT NULL,
    "label" TEXT,
    "labelLower" TEXT,
    "secretVersion" INTEGER NOT NULL DEFAULT 1,
    "lastRotatedAt" DATETIME,
    "lastTestStatus" TEXT NOT NULL DEFAULT 'never',
    "lastTestId" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    "deletedAt" DATETIME,
    CONSTRAINT "ProviderCredential_accountId_fkey" FOREIGN KEY ("accountId") REFERENCES "Account" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "ProviderCredential_lastTestId_fkey" FOREIGN KEY ("lastTestId") REFERENCES "ConnectivityTest" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "CredentialSecret" (
    "credentialId" TEXT NOT NULL PRIMARY KEY,
    "keyId" TEXT NOT NULL,
    "secretVersion" INTEGER NOT NULL,
    "secretCiphertext" TEXT NOT NULL,
    "usernameCiphertext" TEXT NOT NULL,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "CredentialSecret_credentialId_fkey" FOREIGN KEY ("credentialId") REFERENCES "ProviderCredential" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "ConnectivityTest" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "credentialId" TEXT NOT NULL,
    "ok" BOOLEAN NOT NULL,
    "stage" TEXT NOT NULL,
    "errorCode" TEXT,
    "latencyMs" INTEGER NOT NULL,
    "testedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "result" TEXT NOT NULL,
    CONSTRAINT "ConnectivityTest_credentialId_fkey" FOREIGN KEY ("credentialId") REFERENCES "ProviderCredential" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "AuditEvent" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "accountId" TEXT,
    "actorUserId" TEXT,
    "action" TEXT NOT NULL,
    "targetId" TEXT,
    "requestId" TEXT,
    "details" TEXT NOT NULL DEFAULT '{}',
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateIndex
CREATE UNIQUE INDEX "User_email_key" ON "User"("email");

-- CreateIndex
CREATE INDEX "Membership_accountId_role_idx" ON "Membership"("accountId", "role");

-- CreateIndex
CREATE UNIQUE INDEX "Membership_userId_accountId_key" ON "Membership"("userId", "accountId");

-- CreateIndex
CREATE UNIQUE INDEX "Session_tokenHash_key" ON "Session"("tokenHash");

-- CreateIndex
CREATE INDEX "Session_userId_idx" ON "Session"("userId");

-- CreateIndex
CREATE UNIQUE INDEX "ProviderCredential_lastTestId_key" ON "ProviderCredential"("lastTestId");

-- CreateIndex
CREATE INDEX "ProviderCredential_accountId_deletedAt_createdAt_id_idx" ON "ProviderCredential"("accountId", "deletedAt", "createdAt", "id");

-- CreateIndex
CREATE INDEX "ProviderCredential_accountId_deletedAt_providerKind_createdAt_id_idx" ON "ProviderCredential"("accountId", "deletedAt", "providerKind", "createdAt", "id");

-- CreateIndex
CREATE INDEX "ProviderCredential_accountId_deletedAt_securityMode_createdAt_id_idx" ON "ProviderCredential"("accountId", "deletedAt", "securityMode", "createdAt", "id");

-- CreateIndex
CREATE INDEX "ProviderCredential_accountId_deletedAt_authKind_createdAt_id_idx" ON "ProviderCredential"("accountId", "deletedAt", "authKind", "createdAt", "id");

-- CreateIndex
CREATE INDEX "ProviderCredential_accountId_deletedAt_host_createdAt_id_idx" ON "ProviderCredential"("accountId", "deletedAt", "host", "createdAt", "id");

-- CreateIndex
CREATE INDEX "ProviderCredential_accountId_deletedAt_lastTestStatus_createdAt_id_idx" ON "ProviderCredential"("accountId", "deletedAt", "lastTestStatus", "createdAt", "id");

-- CreateIndex
CREATE INDEX "CredentialSecret_keyId_idx" ON "CredentialSecret"("keyId");

-- CreateIndex
CREATE INDEX "ConnectivityTest_credentialId_testedAt_idx" ON "ConnectivityTest"("credentialId", "testedAt");

-- CreateIndex
CREATE INDEX "AuditEvent_accountId_createdAt_id_idx" ON "AuditEvent"("accountId", "createdAt", "id");
