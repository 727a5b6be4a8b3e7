import { Module } from '@nestjs/common';
import { ClientsModule } from '../clients/clients.module.js';
import { AdminController } from './admin.controller.js';
import { SecurityEventsService } from './security-events.service.js';

@Module({
  imports: [ClientsModule],
  controllers: [AdminController],
  providers: [SecurityEventsService],
  exports: [SecurityEventsService],
})
export class AdminModule {}
