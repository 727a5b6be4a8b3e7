import { Global, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { ClientsModule } from '../clients/clients.module.js';
import { PrismaService } from '../database/prisma.service.js';
import { Clock } from '../common/clock.js';
import { SERVER_SECRETS } from '../config/config.module.js';
import type { ServerSecrets } from '../config/local-secrets.js';
import { AuthGuard } from './auth.guard.js';
import { SigningKeysService } from './signing-keys.service.js';
import { TokenController } from './token.controller.js';
import { TokenService } from './token.service.js';
import { WellKnownController } from './well-known.controller.js';

@Global()
@Module({
  imports: [ClientsModule],
  controllers: [TokenController, WellKnownController],
  providers: [
    {
      provide: SigningKeysService,
      inject: [PrismaService, Clock, SERVER_SECRETS],
      useFactory: (prisma: PrismaService, clock: Clock, secrets: ServerSecrets) =>
        new SigningKeysService(prisma, clock, secrets.keyEncryptionKey),
    },
    TokenService,
    AuthGuard,
    { provide: APP_GUARD, useExisting: AuthGuard },
  ],
  exports: [TokenService, SigningKeysService, AuthGuard],
})
export class AuthModule {}
