import { Global, Module } from '@nestjs/common';
import { AuditController } from './audit.controller.js';
import { AuditRecorder } from './audit-recorder.js';
import { AuditTrailService } from './audit-trail.service.js';
import { AuditWriter } from './audit-writer.service.js';

@Global()
@Module({
  controllers: [AuditController],
  providers: [AuditWriter, AuditRecorder, AuditTrailService],
  exports: [AuditWriter, AuditRecorder, AuditTrailService],
})
export class AuditModule {}
