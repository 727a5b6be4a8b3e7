-- CreateTable
CREATE TABLE "Counter" (
    "name" TEXT NOT NULL PRIMARY KEY,
    "value" INTEGER NOT NULL
);


-- Leads created before this migration keep their place in the round-robin rotation.
INSERT INTO "Counter" ("name", "value") SELECT 'lead_assignment', COUNT(*) FROM "Lead";
