import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { ClientsModule } from '../clients/clients.module.js';
import { Clock } from '../common/clock.js';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { AuthFailureHooks } from './auth-failure.hooks.js';
import { ClientIpResolver } from './client-ip.js';
import { MemoryRateLimitStore } from './memory-rate-limit.store.js';
import { RateLimitStore } from './rate-limit.store.js';
import { RedisRateLimitStore } from './redis-rate-limit.store.js';
import { ThrottleGuard } from './throttle.guard.js';
import { ThrottlingService } from './throttling.service.js';

/**
 * Rate limits per client and tool class, on the OAuth endpoints and on failed
 * authentication (SPEC §7). Counters are in memory, or in Redis when REDIS_URL
 * is set so that every instance shares them (see docs/throttling.md).
 */
@Module({
  imports: [ClientsModule],
  providers: [
    {
      provide: RateLimitStore,
      inject: [APP_CONFIG, Clock],
      useFactory: (config: AppConfig, clock: Clock): RateLimitStore => {
        const local = new MemoryRateLimitStore(() => clock.now().getTime());
        return config.redisUrl ? new RedisRateLimitStore(config.redisUrl, local) : local;
      },
    },
    {
      provide: ClientIpResolver,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => new ClientIpResolver(config.trustProxy),
    },
    ThrottlingService,
    ThrottleGuard,
    { provide: APP_GUARD, useExisting: ThrottleGuard },
    AuthFailureHooks,
  ],
  exports: [ThrottlingService],
})
export class ThrottlingModule {}
