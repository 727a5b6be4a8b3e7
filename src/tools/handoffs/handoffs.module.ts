import { Module } from '@nestjs/common';
import { HandoffsController } from './handoffs.controller.js';
import { HandoffsRepository } from './handoffs.repository.js';
import { HandoffsService } from './handoffs.service.js';

@Module({
  controllers: [HandoffsController],
  providers: [HandoffsService, HandoffsRepository],
  exports: [HandoffsService],
})
export class HandoffsModule {}
