import { Inject, Injectable } from '@nestjs/common';
import { PrismaService } from '../database/prisma.service.js';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { Clock } from '../common/clock.js';
import { parseScopes, type Scope } from '../auth/scopes.js';
import { GatehouseError } from '../common/errors/gatehouse.error.js';
import { StatusCache } from '../common/status-cache.js';
import { CredentialHasher, randomId, randomToken } from './credential-hasher.js';
import {
  parseLimits,
  parsePolicies,
  type ClientLimits,
  type ClientPolicies,
} from './client-policies.js';

export interface ClientView {
  id: string;
  name: string;
  scopes: Scope[];
  status: 'active' | 'disabled';
  policies: ClientPolicies;
  limits: ClientLimits;
}

export interface SecretView {
  secretId: string;
  createdAt: string;
  expiresAt: string | null;
  revokedAt: string | null;
  active: boolean;
}

export interface CreatedClient {
  clientId: string;
  clientSecret: string;
  scopes: Scope[];
}

export interface CreateClientInput {
  name: string;
  scopes: Scope[];
  policies?: ClientPolicies;
  limits?: ClientLimits;
}

@Injectable()
export class ClientsService {
  private readonly cache: StatusCache<ClientView | null>;

  constructor(
    private readonly prisma: PrismaService,
    private readonly hasher: CredentialHasher,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.cache = new StatusCache(config.clientCacheTtlMs, 10_000);
  }

  async create(input: CreateClientInput): Promise<CreatedClient & { secretId: string }> {
    const clientId = `cl_${randomId(16)}`;
    const clientSecret = `ghs_${randomToken(32)}`;
    const secretId = `sec_${randomId(12)}`;
    const scopes = [...new Set(input.scopes)];
    await this.prisma.client.create({
      data: {
        id: clientId,
        name: input.name,
        scopes: scopes.join(' '),
        policies: JSON.stringify(input.policies ?? {}),
        limits: JSON.stringify(input.limits ?? {}),
        secrets: {
          create: {
            id: secretId,
            hash: this.hasher.hash(clientSecret),
            createdAt: this.clock.now(),
          },
        },
        createdAt: this.clock.now(),
      },
    });
    return { clientId, clientSecret, scopes, secretId };
  }

  /**
   * The client as of at most CLIENT_CACHE_TTL_MS ago (≤ 5 s, default 2 s):
   * disabling a client reaches every live token within that time.
   */
  async findActive(clientId: string): Promise<ClientView | null> {
    return this.cache.get(clientId, async () => {
      const row = await this.prisma.client.findUnique({ where: { id: clientId } });
      return row && row.status === 'active' ? toView(row) : null;
    });
  }

  /**
   * Checks a client id and secret. Unknown clients, disabled clients and
   * wrong secrets are indistinguishable to the caller; a hash is computed in
   * every case so timing does not tell them apart either.
   */
  async authenticate(
    clientId: string,
    secret: string,
  ): Promise<{ client: ClientView; secretId: string } | null> {
    const row = await this.prisma.client.findUnique({
      where: { id: clientId },
      include: { secrets: true },
    });
    const now = this.clock.now();
    let matched: string | null = null;
    for (const s of row?.secrets ?? []) {
      const usable = !s.revokedAt && (!s.expiresAt || s.expiresAt > now);
      if (this.hasher.matches(secret, s.hash) && usable) matched = s.id;
    }
    if (!row) this.hasher.matches(secret, '00');
    if (!row || row.status !== 'active' || !matched) return null;
    return { client: toView(row), secretId: matched };
  }

  /** Changes scopes, policies, limits or name. Removing a scope also narrows live tokens and keys. */
  async update(
    clientId: string,
    changes: { name?: string; scopes?: Scope[]; policies?: ClientPolicies; limits?: ClientLimits },
  ): Promise<ClientView> {
    await this.require(clientId);
    const row = await this.prisma.client.update({
      where: { id: clientId },
      data: {
        ...(changes.name !== undefined ? { name: changes.name } : {}),
        ...(changes.scopes !== undefined ? { scopes: [...new Set(changes.scopes)].join(' ') } : {}),
        ...(changes.policies !== undefined ? { policies: JSON.stringify(changes.policies) } : {}),
        ...(changes.limits !== undefined ? { limits: JSON.stringify(changes.limits) } : {}),
      },
    });
    this.invalidate(clientId);
    return toView(row);
  }

  /** Disables a client: its secrets, keys and live tokens stop working within the cache TTL. */
  async disable(clientId: string): Promise<ClientView> {
    await this.require(clientId);
    const row = await this.prisma.client.update({
      where: { id: clientId },
      data: { status: 'disabled', disabledAt: this.clock.now() },
    });
    this.invalidate(clientId);
    return toView(row);
  }

  /**
   * Adds a new secret; every current secret keeps working for `graceSeconds`
   * more (0 ends them at once) and then fails, together with tokens issued for it.
   */
  async rotateSecret(
    clientId: string,
    graceSeconds: number,
  ): Promise<{
    clientId: string;
    secretId: string;
    clientSecret: string;
    previousSecretsExpireAt: string;
  }> {
    await this.require(clientId);
    const now = this.clock.now();
    const until = new Date(now.getTime() + graceSeconds * 1000);
    const clientSecret = `ghs_${randomToken(32)}`;
    const secretId = `sec_${randomId(12)}`;
    await this.prisma.$transaction(async (tx) => {
      const current = await tx.clientSecret.findMany({ where: { clientId, revokedAt: null } });
      for (const s of current) {
        if (s.expiresAt && s.expiresAt <= until) continue;
        await tx.clientSecret.update({ where: { id: s.id }, data: { expiresAt: until } });
      }
      await tx.clientSecret.create({
        data: { id: secretId, clientId, hash: this.hasher.hash(clientSecret), createdAt: now },
      });
    });
    return { clientId, secretId, clientSecret, previousSecretsExpireAt: until.toISOString() };
  }

  async revokeSecret(
    clientId: string,
    secretId: string,
  ): Promise<{ secretId: string; revokedAt: string }> {
    const row = await this.prisma.clientSecret.findUnique({ where: { id: secretId } });
    if (!row || row.clientId !== clientId) throw new GatehouseError('credential_not_found');
    const revokedAt = row.revokedAt ?? this.clock.now();
    await this.prisma.clientSecret.update({ where: { id: secretId }, data: { revokedAt } });
    return { secretId, revokedAt: revokedAt.toISOString() };
  }

  async secrets(clientId: string): Promise<SecretView[]> {
    await this.require(clientId);
    const rows = await this.prisma.clientSecret.findMany({
      where: { clientId },
      orderBy: { createdAt: 'asc' },
    });
    const now = this.clock.now();
    return rows.map((r) => ({
      secretId: r.id,
      createdAt: r.createdAt.toISOString(),
      expiresAt: r.expiresAt?.toISOString() ?? null,
      revokedAt: r.revokedAt?.toISOString() ?? null,
      active: !r.revokedAt && (!r.expiresAt || r.expiresAt > now),
    }));
  }

  async get(clientId: string): Promise<ClientView> {
    return toView(await this.require(clientId));
  }

  private async require(clientId: string) {
    const row = await this.prisma.client.findUnique({ where: { id: clientId } });
    if (!row) throw new GatehouseError('client_not_found', { detail: `No client ${clientId}.` });
    return row;
  }

  async list(): Promise<ClientView[]> {
    const rows = await this.prisma.client.findMany({ orderBy: { createdAt: 'asc' } });
    return rows.map(toView);
  }

  invalidate(clientId: string): void {
    this.cache.delete(clientId);
  }
}

function toView(row: {
  id: string;
  name: string;
  scopes: string;
  status: string;
  policies: string;
  limits: string;
}): ClientView {
  return {
    id: row.id,
    name: row.name,
    scopes: parseScopes(row.scopes),
    status: row.status === 'active' ? 'active' : 'disabled',
    policies: parsePolicies(row.policies),
    limits: parseLimits(row.limits),
  };
}
