import { Module } from '@nestjs/common';
import { ClientsModule } from '../clients/clients.module.js';
import { InternalRequestsModule } from '../tools/requests/requests.module.js';
import { AdminController } from './admin.controller.js';
import { AdminInternalRequestsController } from './internal-requests.controller.js';
import { RequestReviewService } from './request-review.service.js';
import { SecurityEventsService } from './security-events.service.js';

@Module({
  imports: [ClientsModule, InternalRequestsModule],
  controllers: [AdminController, AdminInternalRequestsController],
  providers: [SecurityEventsService, RequestReviewService],
  exports: [SecurityEventsService],
})
export class AdminModule {}
