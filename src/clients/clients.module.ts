import { Module } from '@nestjs/common';
import { SERVER_SECRETS } from '../config/config.module.js';
import type { ServerSecrets } from '../config/local-secrets.js';
import { ApiKeysService } from './api-keys.service.js';
import { ClientsService } from './clients.service.js';
import { CredentialHasher } from './credential-hasher.js';

@Module({
  providers: [
    {
      provide: CredentialHasher,
      inject: [SERVER_SECRETS],
      useFactory: (secrets: ServerSecrets) => new CredentialHasher(secrets.pepper),
    },
    ClientsService,
    ApiKeysService,
  ],
  exports: [ClientsService, ApiKeysService, CredentialHasher],
})
export class ClientsModule {}
