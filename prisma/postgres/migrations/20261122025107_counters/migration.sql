-- CreateTable
CREATE TABLE "Counter" (
    "name" TEXT NOT NULL,
    "value" INTEGER NOT NULL,

    CONSTRAINT "Counter_pkey" PRIMARY KEY ("name")
);

-- Leads created before this migration keep their place in the round-robin rotation.
INSERT INTO "Counter" ("name", "value") SELECT 'lead_assignment', COUNT(*) FROM "Lead";
