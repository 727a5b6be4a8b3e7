-- CreateTable
CREATE TABLE "AuditEvent" (
    "seq" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "time" DATETIME NOT NULL,
    "kind" TEXT NOT NULL,
    "requestId" TEXT,
    "transport" TEXT NOT NULL,
    "clientId" TEXT,
    "credentialId" TEXT,
    "credentialType" TEXT,
    "agentId" TEXT,
    "conversationId" TEXT,
    "endUserHash" TEXT,
    "tool" TEXT,
    "method" TEXT,
    "route" TEXT,
    "status" INTEGER,
    "outcome" TEXT NOT NULL,
    "latencyMs" INTEGER,
    "request" TEXT NOT NULL,
    "response" TEXT NOT NULL,
    "upstream" TEXT NOT NULL,
    "prevHash" TEXT NOT NULL,
    "hash" TEXT NOT NULL
);

-- CreateTable
CREATE TABLE "AuditChainHead" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "seq" INTEGER NOT NULL,
    "hash" TEXT NOT NULL
);

-- CreateTable
CREATE TABLE "AuditPurgeWindow" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "beforeSeq" INTEGER NOT NULL
);

-- CreateIndex
CREATE INDEX "AuditEvent_time_idx" ON "AuditEvent"("time");

-- CreateIndex
CREATE INDEX "AuditEvent_clientId_seq_idx" ON "AuditEvent"("clientId", "seq");

-- CreateIndex
CREATE INDEX "AuditEvent_tool_seq_idx" ON "AuditEvent"("tool", "seq");

-- CreateIndex
CREATE INDEX "AuditEvent_outcome_seq_idx" ON "AuditEvent"("outcome", "seq");

-- CreateIndex
CREATE INDEX "AuditEvent_requestId_idx" ON "AuditEvent"("requestId");


-- Append-only: the audit table refuses UPDATE always, and DELETE except for the
-- rows a retention purge names inside its own transaction (gatehouse audit purge).
CREATE TRIGGER "AuditEvent_no_update" BEFORE UPDATE ON "AuditEvent"
BEGIN
    SELECT RAISE(ABORT, 'audit events are append-only');
END;

CREATE TRIGGER "AuditEvent_no_delete" BEFORE DELETE ON "AuditEvent"
WHEN NOT EXISTS (SELECT 1 FROM "AuditPurgeWindow" WHERE "id" = 1 AND OLD."seq" < "beforeSeq")
BEGIN
    SELECT RAISE(ABORT, 'audit events are append-only; use gatehouse audit purge');
END;

-- The chain starts from a fixed genesis hash.
INSERT INTO "AuditChainHead" ("id", "seq", "hash")
VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');
