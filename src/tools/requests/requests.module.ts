import { Module } from '@nestjs/common';
import { InternalRequestsController } from './requests.controller.js';
import { InternalRequestsRepository } from './requests.repository.js';
import { InternalRequestsReviewService } from './requests-review.service.js';
import { InternalRequestsService } from './requests.service.js';

@Module({
  controllers: [InternalRequestsController],
  providers: [InternalRequestsService, InternalRequestsReviewService, InternalRequestsRepository],
  exports: [InternalRequestsService, InternalRequestsReviewService],
})
export class InternalRequestsModule {}
