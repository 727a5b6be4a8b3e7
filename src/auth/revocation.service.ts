import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { Clock } from '../common/clock.js';
import { PrismaService } from '../database/prisma.service.js';

interface Entry {
  value: boolean;
  at: number;
}

/**
 * Whether an issued token is still good beyond its signature: its jti not
 * revoked (RFC 7009) and the client secret it was issued for not revoked or
 * rotated out. Answers are cached for at most CLIENT_CACHE_TTL_MS (≤ 5 s).
 */
@Injectable()
export class RevocationService {
  private readonly revokedJti = new Map<string, Entry>();
  private readonly usableSecret = new Map<string, Entry>();

  constructor(
    private readonly prisma: PrismaService,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async isTokenRevoked(jti: string): Promise<boolean> {
    return this.cached(this.revokedJti, jti, async () => {
      const row = await this.prisma.revokedToken.findUnique({ where: { jti } });
      return row !== null;
    });
  }

  async isSecretUsable(secretId: string): Promise<boolean> {
    return this.cached(this.usableSecret, secretId, async () => {
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
    this.revokedJti.set(jti, { value: true, at: Date.now() });
  }

  /**
   * Forgets every cached secret status in this process, after a secret was
   * revoked or rotated here: that instance then enforces it at once (others
   * within the TTL).
   */
  forgetSecrets(): void {
    this.usableSecret.clear();
  }

  private async cached(
    map: Map<string, Entry>,
    key: string,
    load: () => Promise<boolean>,
  ): Promise<boolean> {
    const now = Date.now();
    const hit = map.get(key);
    if (hit && now - hit.at < this.config.clientCacheTtlMs) return hit.value;
    const value = await load();
    if (map.size > 50_000) map.clear();
    map.set(key, { value, at: now });
    return value;
  }
}
