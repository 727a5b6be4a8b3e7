import { Inject, Injectable } from '@nestjs/common';
import { PrismaService } from '../database/prisma.service.js';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { Clock } from '../common/clock.js';
import { parseScopes, type Scope } from '../auth/scopes.js';
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

interface CacheEntry {
  client: ClientView | null;
  at: number;
}

@Injectable()
export class ClientsService {
  private readonly cache = new Map<string, CacheEntry>();

  constructor(
    private readonly prisma: PrismaService,
    private readonly hasher: CredentialHasher,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async create(input: CreateClientInput): Promise<CreatedClient> {
    const clientId = `cl_${randomId(16)}`;
    const clientSecret = `ghs_${randomToken(32)}`;
    await this.prisma.client.create({
      data: {
        id: clientId,
        name: input.name,
        scopes: input.scopes.join(' '),
        policies: JSON.stringify(input.policies ?? {}),
        limits: JSON.stringify(input.limits ?? {}),
        secrets: {
          create: { id: `sec_${randomId(12)}`, hash: this.hasher.hash(clientSecret) },
        },
      },
    });
    return { clientId, clientSecret, scopes: input.scopes };
  }

  /**
   * The client as of at most CLIENT_CACHE_TTL_MS ago (≤ 5 s, default 2 s):
   * disabling a client reaches every live token within that time.
   */
  async findActive(clientId: string): Promise<ClientView | null> {
    const nowMs = Date.now();
    const hit = this.cache.get(clientId);
    if (hit && nowMs - hit.at < this.config.clientCacheTtlMs) return hit.client;
    const row = await this.prisma.client.findUnique({ where: { id: clientId } });
    const client = row && row.status === 'active' ? toView(row) : null;
    if (this.cache.size > 10_000) this.cache.clear();
    this.cache.set(clientId, { client, at: nowMs });
    return client;
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
