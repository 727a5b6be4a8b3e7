import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { Clock } from '../common/clock.js';
import { PrismaService } from '../database/prisma.service.js';
import { StatusCache } from '../common/status-cache.js';

/**
 * Whether an issued token is still good beyond its signature: its jti not
 * revoked (RFC 7009) and the client secret it was issued for not revoked or
 * rotated out. Answers are cached for at most CLIENT_CACHE_TTL_MS (≤ 5 s).
 */
@Injectable()
export class RevocationService {
  private readonly revokedJti: StatusCache<boolean>;
  private readonly usableSecret: StatusCache<boolean>;

  constructor(
    private readonly prisma: PrismaService,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.revokedJti = new StatusCache(config.clientCacheTtlMs, 50_000);
    this.usableSecret = new StatusCache(config.clientCacheTtlMs, 50_000);
  }

  async isTokenRevoked(jti: string): Promise<boolean> {
    return this.revokedJti.get(jti, async () => {
      const row = await this.prisma.revokedToken.findUnique({ where: { jti } });
      return row !== null;
    });
  }

  async isSecretUsable(secretId: string): Promise<boolean> {
    return this.usableSecret.get(secretId, async () => {
      const row = await this.prisma.clientSecret.findUnique({ where: { id: secretId } });
      const now = this.clock.now();
      return row !== null && !row.revokedAt && (!row.expiresAt || row.expiresAt > now);
    });
  }

  async revokeToken(jti: string, clientId: string, expiresAt: Date): Promise<void> {
    await this.prisma.revokedToken.upsert({
      where: { jti },
      create: { jti, clientId, expiresAt },
      update: {},
    });
    this.revokedJti.set(jti, true);
  }

  /**
   * Forgets every cached secret status in this process, after a secret was
   * revoked or rotated here: that instance then enforces it at once (others
   * within the TTL).
   */
  forgetSecrets(): void {
    this.usableSecret.clear();
  }
}
