import { Injectable } from '@nestjs/common';
import { PrismaService } from '../database/prisma.service.js';
import { Clock } from '../common/clock.js';
import { GatehouseError } from '../common/errors/gatehouse.error.js';
import { parseScopes, type Scope } from '../auth/scopes.js';
import { CredentialHasher, randomId, randomToken } from './credential-hasher.js';

export const API_KEY_PATTERN = /^gh_([a-z0-9]{12})_([A-Za-z0-9_-]{43})$/;

export interface CreatedApiKey {
  keyId: string;
  apiKey: string;
  clientId: string;
  scopes: Scope[];
  expiresAt: string | null;
}

export interface ApiKeyView {
  keyId: string;
  prefix: string;
  name: string | null;
  scopes: Scope[];
  createdAt: string;
  lastUsedAt: string | null;
  expiresAt: string | null;
  revokedAt: string | null;
}

export interface VerifiedApiKey {
  keyId: string;
  clientId: string;
  scopes: Scope[];
}

interface CachedKey {
  result: VerifiedApiKey | null;
  expiresAt: number | null;
  at: number;
}

const LAST_USED_RESOLUTION_MS = 60_000;

/** Scoped API keys `gh_<keyId>_<secret>` for agents that cannot do OAuth. */
@Injectable()
export class ApiKeysService {
  private readonly cache = new Map<string, CachedKey>();
  private readonly lastUsedWritten = new Map<string, number>();

  constructor(
    private readonly prisma: PrismaService,
    private readonly hasher: CredentialHasher,
    private readonly clock: Clock,
  ) {}

  async create(
    clientId: string,
    input: { name?: string; scopes?: Scope[]; expiresAt?: Date | null },
  ): Promise<CreatedApiKey> {
    const client = await this.prisma.client.findUnique({ where: { id: clientId } });
    if (!client) throw new GatehouseError('client_not_found');
    const allowed = parseScopes(client.scopes);
    const scopes = [...new Set(input.scopes ?? allowed)];
    const excess = scopes.filter((s) => !allowed.includes(s));
    if (excess.length > 0) {
      throw new GatehouseError('validation_failed', {
        detail: 'An API key can only hold scopes its client holds.',
        errors: [{ field: 'scopes', message: `not held by the client: ${excess.join(', ')}` }],
      });
    }
    if (input.expiresAt && input.expiresAt.getTime() <= this.clock.now().getTime()) {
      throw new GatehouseError('validation_failed', {
        detail: 'An API key cannot be created already expired.',
        errors: [{ field: 'expiresAt', message: 'must be in the future' }],
      });
    }
    const keyId = randomId(12);
    const secret = randomToken(32);
    const apiKey = `gh_${keyId}_${secret}`;
    const row = await this.prisma.apiKey.create({
      data: {
        id: keyId,
        clientId,
        name: input.name ?? null,
        hash: this.hasher.hash(apiKey),
        scopes: scopes.join(' '),
        createdAt: this.clock.now(),
        expiresAt: input.expiresAt ?? null,
      },
    });
    return { keyId, apiKey, clientId, scopes, expiresAt: row.expiresAt?.toISOString() ?? null };
  }

  /** Issues a replacement with the same name and scopes; the old key works for `graceSeconds` more. */
  async rotate(
    keyId: string,
    graceSeconds: number,
  ): Promise<CreatedApiKey & { previousKeyExpiresAt: string }> {
    const old = await this.usableRow(keyId);
    const created = await this.create(old.clientId, {
      ...(old.name ? { name: old.name } : {}),
      scopes: parseScopes(old.scopes),
      expiresAt: old.expiresAt,
    });
    const end = new Date(this.clock.now().getTime() + graceSeconds * 1000);
    const until = old.expiresAt && old.expiresAt < end ? old.expiresAt : end;
    await this.prisma.apiKey.update({ where: { id: keyId }, data: { expiresAt: until } });
    this.forget(keyId);
    return { ...created, previousKeyExpiresAt: until.toISOString() };
  }

  async revoke(keyId: string): Promise<{ keyId: string; revokedAt: string }> {
    const row = await this.prisma.apiKey.findUnique({ where: { id: keyId } });
    if (!row) throw new GatehouseError('credential_not_found');
    const revokedAt = row.revokedAt ?? this.clock.now();
    await this.prisma.apiKey.update({ where: { id: keyId }, data: { revokedAt } });
    this.forget(keyId);
    return { keyId, revokedAt: revokedAt.toISOString() };
  }

  async list(clientId: string): Promise<ApiKeyView[]> {
    const rows = await this.prisma.apiKey.findMany({
      where: { clientId },
      orderBy: { createdAt: 'asc' },
    });
    return rows.map((r) => ({
      keyId: r.id,
      prefix: `gh_${r.id}_`,
      name: r.name,
      scopes: parseScopes(r.scopes),
      createdAt: r.createdAt.toISOString(),
      lastUsedAt: r.lastUsedAt?.toISOString() ?? null,
      expiresAt: r.expiresAt?.toISOString() ?? null,
      revokedAt: r.revokedAt?.toISOString() ?? null,
    }));
  }

  /**
   * Checks a presented key. Results are cached for at most `ttlMs` (the same
   * bound as client status), so a revocation reaches every request within it.
   */
  async verify(presented: string, ttlMs: number): Promise<VerifiedApiKey | null> {
    const match = API_KEY_PATTERN.exec(presented);
    if (!match?.[1]) return null;
    const keyId = match[1];
    const now = this.clock.now().getTime();
    const hit = this.cache.get(presented);
    if (hit && now - hit.at < ttlMs && (hit.expiresAt === null || hit.expiresAt > now)) {
      this.touch(keyId, now);
      return hit.result;
    }
    const row = await this.prisma.apiKey.findUnique({ where: { id: keyId } });
    const valid =
      row !== null &&
      this.hasher.matches(presented, row.hash) &&
      !row.revokedAt &&
      (!row.expiresAt || row.expiresAt.getTime() > now);
    if (!row) this.hasher.matches(presented, '00');
    const result = valid
      ? { keyId, clientId: row.clientId, scopes: parseScopes(row.scopes) }
      : null;
    if (this.cache.size > 10_000) this.cache.clear();
    this.cache.set(presented, { result, expiresAt: row?.expiresAt?.getTime() ?? null, at: now });
    if (result) this.touch(keyId, now);
    return result;
  }

  /** lastUsedAt is kept to the minute: writing it on every call would put a write on every read. */
  private touch(keyId: string, now: number): void {
    const last = this.lastUsedWritten.get(keyId) ?? 0;
    if (now - last < LAST_USED_RESOLUTION_MS) return;
    this.lastUsedWritten.set(keyId, now);
    this.prisma.apiKey
      .update({ where: { id: keyId }, data: { lastUsedAt: new Date(now) } })
      .catch(() => this.lastUsedWritten.delete(keyId));
  }

  private async usableRow(keyId: string) {
    const row = await this.prisma.apiKey.findUnique({ where: { id: keyId } });
    const now = this.clock.now();
    if (!row || row.revokedAt || (row.expiresAt && row.expiresAt <= now)) {
      throw new GatehouseError('credential_not_found', {
        detail: 'No active API key with this id.',
      });
    }
    return row;
  }

  private forget(keyId: string): void {
    for (const key of this.cache.keys()) if (key.startsWith(`gh_${keyId}_`)) this.cache.delete(key);
  }
}
