import { Global, Module, type DynamicModule } from '@nestjs/common';
import { Clock, SystemClock } from '../common/clock.js';
import { APP_CONFIG, type AppConfig } from './app-config.js';
import type { ServerSecrets } from './local-secrets.js';

export const SERVER_SECRETS = Symbol('SERVER_SECRETS');

export interface CoreOptions {
  config: AppConfig;
  secrets: ServerSecrets;
  clock?: Clock;
}

/** Configuration, server secrets and the clock, resolved before Nest starts. */
@Global()
@Module({})
export class ConfigModule {
  static forRoot(options: CoreOptions): DynamicModule {
    return {
      module: ConfigModule,
      providers: [
        { provide: APP_CONFIG, useValue: options.config },
        { provide: SERVER_SECRETS, useValue: options.secrets },
        { provide: Clock, useValue: options.clock ?? new SystemClock() },
      ],
      exports: [APP_CONFIG, SERVER_SECRETS, Clock],
    };
  }
}
