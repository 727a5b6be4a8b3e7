import { Injectable, Logger } from '@nestjs/common';
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

interface ActiveKey {
  kid: string;
  privateKey: CryptoKey;
}

/** ES256 signing keys: private halves encrypted at rest, public halves served as JWKS. */
@Injectable()
export class SigningKeysService {
  private readonly logger = new Logger(SigningKeysService.name);
  private active: ActiveKey | null = null;
  private verification = new Map<string, CryptoKey>();
  private published: JWK[] = [];
  private lastRefresh = 0;

  constructor(
    private readonly prisma: PrismaService,
    private readonly clock: Clock,
    private readonly keyEncryptionKey: Buffer,
  ) {}

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
