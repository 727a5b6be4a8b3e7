import { Global, Module } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { createPrismaClient, DatabaseLifecycle, PrismaService } from './prisma.service.js';

@Global()
@Module({
  providers: [
    {
      provide: PrismaService,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => createPrismaClient(config),
    },
    DatabaseLifecycle,
  ],
  exports: [PrismaService],
})
export class DatabaseModule {}
