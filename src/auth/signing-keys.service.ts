import { Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import {
  calculateJwkThumbprint,
  exportJWK,
  exportPKCS8,
  generateKeyPair,
  importJWK,
  importPKCS8,
  type CryptoKey,
  type JWK,
} from 'jose';
import { PrismaService } from '../database/prisma.service.js';
import { Clock } from '../common/clock.js';
import { decryptAtRest, encryptAtRest } from './key-encryption.js';

export const SIGNING_ALG = 'ES256';

/** How often a running server re-reads the key set, so a rotation made by the CLI is picked up. */
export const KEY_REFRESH_MS = 30_000;

export interface SigningKeyView {
  kid: string;
  status: string;
  createdAt: string;
  retiringAt: string | null;
  retiredAt: string | null;
}

interface ActiveKey {
  kid: string;
  privateKey: CryptoKey;
}

/** ES256 signing keys: private halves encrypted at rest, public halves served as JWKS. */
@Injectable()
export class SigningKeysService implements OnModuleDestroy {
  private readonly logger = new Logger(SigningKeysService.name);
  private active: ActiveKey | null = null;
  private verification = new Map<string, CryptoKey>();
  private published: JWK[] = [];
  private lastRefresh = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly prisma: PrismaService,
    private readonly clock: Clock,
    private readonly keyEncryptionKey: Buffer,
    /** Longest time a token signed by a key may still be presented after the key stops signing. */
    private readonly retireAfterSeconds = 3600 + 300,
  ) {}

  /** Keeps the key set fresh in a running server. */
  startRefreshing(): void {
    this.timer ??= setInterval(() => {
      this.refresh().catch((error: unknown) =>
        this.logger.warn(`key refresh failed: ${String(error)}`),
      );
    }, KEY_REFRESH_MS);
    this.timer.unref();
  }

  onModuleDestroy(): void {
    if (this.timer) clearInterval(this.timer);
  }

  /**
   * Adds a new active key and moves the previous ones to "retiring": they stay
   * in JWKS (so tokens they signed keep verifying) until those tokens expire.
   */
  async rotate(): Promise<{ kid: string; retiring: string[] }> {
    const now = this.clock.now();
    const previous = await this.prisma.signingKey.findMany({ where: { status: 'active' } });
    const kid = await this.createKey();
    await this.prisma.signingKey.updateMany({
      where: { kid: { in: previous.map((p) => p.kid) } },
      data: { status: 'retiring', retiringAt: now },
    });
    await this.refresh();
    return { kid, retiring: previous.map((p) => p.kid) };
  }

  /**
   * Stops a key at once, for a leaked key: it leaves JWKS and tokens it signed
   * fail (in other processes within KEY_REFRESH_MS). Revoking the active key
   * first creates a new one, so tokens can still be issued.
   */
  async revoke(kid: string): Promise<{ kid: string; active: string } | undefined> {
    // Only ever called for a leak: the caller records the security event.
    const key = await this.prisma.signingKey.findUnique({ where: { kid } });
    if (!key || (key.status !== 'active' && key.status !== 'retiring')) return undefined;
    if (key.status === 'active') await this.createKey();
    await this.prisma.signingKey.update({
      where: { kid },
      data: { status: 'revoked', retiredAt: this.clock.now() },
    });
    await this.refresh();
    return { kid, active: this.signingKey().kid };
  }

  async list(): Promise<SigningKeyView[]> {
    await this.retireExpired();
    const rows = await this.prisma.signingKey.findMany({ orderBy: { createdAt: 'asc' } });
    return rows.map((r) => ({
      kid: r.kid,
      status: r.status,
      createdAt: r.createdAt.toISOString(),
      retiringAt: r.retiringAt?.toISOString() ?? null,
      retiredAt: r.retiredAt?.toISOString() ?? null,
    }));
  }

  /** Retires keys whose last possible token has expired; they leave JWKS and stop verifying. */
  async retireExpired(): Promise<string[]> {
    const now = this.clock.now();
    const cutoff = new Date(now.getTime() - this.retireAfterSeconds * 1000);
    const due = await this.prisma.signingKey.findMany({
      where: { status: 'retiring', retiringAt: { lte: cutoff } },
    });
    if (due.length === 0) return [];
    await this.prisma.signingKey.updateMany({
      where: { kid: { in: due.map((d) => d.kid) } },
      data: { status: 'retired', retiredAt: now },
    });
    return due.map((d) => d.kid);
  }

  /** Loads the keys, creating the first one on a new store. */
  async init(): Promise<void> {
    const existing = await this.prisma.signingKey.count({ where: { status: 'active' } });
    if (existing === 0) {
      const kid = await this.createKey();
      this.logger.log(`created signing key ${kid}`);
    }
    await this.refresh();
  }

  async createKey(): Promise<string> {
    const { privateKey, publicKey } = await generateKeyPair(SIGNING_ALG, { extractable: true });
    const jwk = await exportJWK(publicKey);
    const kid = await calculateJwkThumbprint(jwk);
    const pem = await exportPKCS8(privateKey);
    await this.prisma.signingKey.create({
      data: {
        kid,
        alg: SIGNING_ALG,
        publicJwk: JSON.stringify({ ...jwk, kid, alg: SIGNING_ALG, use: 'sig' }),
        privateKey: encryptAtRest(this.keyEncryptionKey, pem, kid),
        status: 'active',
        createdAt: this.clock.now(),
      },
    });
    return kid;
  }

  async refresh(): Promise<void> {
    await this.retireExpired();
    const rows = await this.prisma.signingKey.findMany({
      where: { status: { in: ['active', 'retiring'] } },
      orderBy: { createdAt: 'desc' },
    });
    const verification = new Map<string, CryptoKey>();
    const published: JWK[] = [];
    for (const row of rows) {
      const jwk = JSON.parse(row.publicJwk) as JWK;
      verification.set(row.kid, (await importJWK(jwk, SIGNING_ALG)) as CryptoKey);
      published.push(jwk);
    }
    const newest = rows.find((r) => r.status === 'active');
    if (newest && newest.kid !== this.active?.kid) {
      const pem = decryptAtRest(this.keyEncryptionKey, newest.privateKey, newest.kid);
      this.active = { kid: newest.kid, privateKey: await importPKCS8(pem, SIGNING_ALG) };
    }
    this.verification = verification;
    this.published = published;
    this.lastRefresh = Date.now();
  }

  signingKey(): ActiveKey {
    if (!this.active) throw new Error('no active signing key; SigningKeysService.init() not run');
    return this.active;
  }

  /** Whether tokens signed by `kid` still verify (it is active or retiring, as last loaded). */
  verifies(kid: string): boolean {
    return this.verification.has(kid);
  }

  /** The verification key for a kid; an unknown kid reloads at most once per 5 s. */
  async verificationKey(kid: string): Promise<CryptoKey | undefined> {
    const key = this.verification.get(kid);
    if (key || Date.now() - this.lastRefresh < 5000) return key;
    await this.refresh();
    return this.verification.get(kid);
  }

  jwks(): { keys: JWK[] } {
    return { keys: this.published };
  }
}
