import { Global, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { ClientsModule } from '../clients/clients.module.js';
import { PrismaService } from '../database/prisma.service.js';
import { Clock } from '../common/clock.js';
import { SERVER_SECRETS } from '../config/config.module.js';
import type { ServerSecrets } from '../config/local-secrets.js';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { AuthGuard } from './auth.guard.js';
import { RevocationService } from './revocation.service.js';
import { KEY_REFRESH_MS, SigningKeysService } from './signing-keys.service.js';
import { TokenController } from './token.controller.js';
import { TokenService } from './token.service.js';
import { WellKnownController } from './well-known.controller.js';

/** A retiring key stays published for the longest token lifetime, skew and one refresh period. */
export function retireAfterSeconds(config: AppConfig): number {
  return config.token.ttlSeconds + config.token.clockToleranceSeconds + KEY_REFRESH_MS / 1000;
}

@Global()
@Module({
  imports: [ClientsModule],
  controllers: [TokenController, WellKnownController],
  providers: [
    {
      provide: SigningKeysService,
      inject: [PrismaService, Clock, SERVER_SECRETS, APP_CONFIG],
      useFactory: (
        prisma: PrismaService,
        clock: Clock,
        secrets: ServerSecrets,
        config: AppConfig,
      ) =>
        new SigningKeysService(prisma, clock, secrets.keyEncryptionKey, retireAfterSeconds(config)),
    },
    TokenService,
    RevocationService,
    AuthGuard,
    { provide: APP_GUARD, useExisting: AuthGuard },
  ],
  exports: [TokenService, SigningKeysService, RevocationService, AuthGuard],
})
export class AuthModule {}
