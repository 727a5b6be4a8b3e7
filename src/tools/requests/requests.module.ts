import { Module } from '@nestjs/common';
import { InternalRequestsController } from './requests.controller.js';
import { InternalRequestsRepository } from './requests.repository.js';
import { InternalRequestsService } from './requests.service.js';

@Module({
  controllers: [InternalRequestsController],
  providers: [InternalRequestsService, InternalRequestsRepository],
  exports: [InternalRequestsService],
})
export class InternalRequestsModule {}
