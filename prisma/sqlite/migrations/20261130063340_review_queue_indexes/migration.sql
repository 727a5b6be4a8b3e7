-- CreateIndex
CREATE INDEX "InternalRequest_status_createdAt_id_idx" ON "InternalRequest"("status", "createdAt", "id");

-- CreateIndex
CREATE INDEX "InternalRequest_createdAt_id_idx" ON "InternalRequest"("createdAt", "id");

