import { Body, Controller, Get, HttpCode, Param, Patch, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { RevocationService } from '../auth/revocation.service.js';
import { Scope } from '../auth/scopes.js';
import { ApiKeysService } from '../clients/api-keys.service.js';
import { ClientsService } from '../clients/clients.service.js';
import { ApiProblems, RequiresScopes } from '../tools/tool.decorator.js';
import {
  clientChanges,
  ClientParams,
  CreateApiKeyDto,
  CreateClientDto,
  KeyParams,
  newClientInput,
  RotateDto,
  SecretParams,
  UpdateClientDto,
} from './dto/admin.dto.js';
import { ActingAdmin } from './acting-admin.decorator.js';
import { SecurityEventsService } from './security-events.service.js';

const DEFAULT_GRACE_SECONDS = 24 * 3600;

/** The security team's API (scope clients:admin). Secrets appear once, in create/rotate answers only. */
@ApiTags('admin')
@RequiresScopes(Scope.ClientsAdmin)
@ApiProblems([
  'validation_failed',
  'missing_credentials',
  'invalid_token',
  'insufficient_scope',
  'client_not_found',
  'credential_not_found',
])
@Controller('v1/admin')
export class AdminController {
  constructor(
    private readonly clients: ClientsService,
    private readonly apiKeys: ApiKeysService,
    private readonly events: SecurityEventsService,
    private readonly revocation: RevocationService,
  ) {}

  @Get('clients')
  @ApiOperation({ operationId: 'admin_list_clients', summary: 'List clients' })
  async list() {
    return { clients: await this.clients.list() };
  }

  @Post('clients')
  @ApiOperation({
    operationId: 'admin_create_client',
    summary: 'Create a client; the secret is shown once',
  })
  async create(@Body() body: CreateClientDto, @ActingAdmin() by: ActingAdmin) {
    const created = await this.clients.create(newClientInput(body));
    await this.events.record('client.created', {
      clientId: created.clientId,
      credentialId: created.secretId,
      ...by,
    });
    return created;
  }

  @Get('clients/:clientId')
  @ApiOperation({
    operationId: 'admin_get_client',
    summary: 'A client with its secrets and API keys (never the secret values)',
  })
  async get(@Param() { clientId }: ClientParams) {
    const [client, secrets, apiKeys] = await Promise.all([
      this.clients.get(clientId),
      this.clients.secrets(clientId),
      this.apiKeys.list(clientId),
    ]);
    return { ...client, secrets, apiKeys };
  }

  @Patch('clients/:clientId')
  @ApiOperation({
    operationId: 'admin_update_client',
    summary: 'Set scopes, policies, limits or name',
  })
  async update(
    @Param() { clientId }: ClientParams,
    @Body() body: UpdateClientDto,
    @ActingAdmin() by: ActingAdmin,
  ) {
    const updated = await this.clients.update(clientId, clientChanges(body));
    await this.events.record('client.updated', { clientId, ...by });
    return updated;
  }

  @Post('clients/:clientId/disable')
  @HttpCode(200)
  @ApiOperation({
    operationId: 'admin_disable_client',
    summary: 'Disable a client at once (tokens and keys included)',
  })
  async disable(@Param() { clientId }: ClientParams, @ActingAdmin() by: ActingAdmin) {
    const client = await this.clients.disable(clientId);
    await this.events.record('client.disabled', { clientId, ...by });
    return client;
  }

  @Post('clients/:clientId/secrets/rotate')
  @ApiOperation({
    operationId: 'admin_rotate_secret',
    summary: 'Add a new secret; old ones work for the grace period',
  })
  async rotateSecret(
    @Param() { clientId }: ClientParams,
    @Body() body: RotateDto,
    @ActingAdmin() by: ActingAdmin,
  ) {
    const rotated = await this.clients.rotateSecret(
      clientId,
      body.graceSeconds ?? DEFAULT_GRACE_SECONDS,
    );
    this.revocation.forgetSecrets();
    await this.events.record('secret.rotated', {
      clientId,
      credentialId: rotated.secretId,
      ...by,
    });
    return rotated;
  }

  @Post('clients/:clientId/secrets/:secretId/revoke')
  @HttpCode(200)
  @ApiOperation({
    operationId: 'admin_revoke_secret',
    summary: 'Revoke a secret at once (tokens issued for it too)',
  })
  async revokeSecret(
    @Param() { clientId, secretId }: SecretParams,
    @ActingAdmin() by: ActingAdmin,
  ) {
    const revoked = await this.clients.revokeSecret(clientId, secretId);
    this.revocation.forgetSecrets();
    await this.events.record('secret.revoked', { clientId, credentialId: secretId, ...by });
    return revoked;
  }

  @Post('clients/:clientId/keys')
  @ApiOperation({
    operationId: 'admin_create_api_key',
    summary: 'Create a scoped API key; shown once',
  })
  async createKey(
    @Param() { clientId }: ClientParams,
    @Body() body: CreateApiKeyDto,
    @ActingAdmin() by: ActingAdmin,
  ) {
    const created = await this.apiKeys.create(clientId, {
      ...(body.name ? { name: body.name } : {}),
      ...(body.scopes ? { scopes: body.scopes } : {}),
      expiresAt: body.expiresAt ? new Date(body.expiresAt) : null,
    });
    await this.events.record('api_key.created', {
      clientId,
      credentialId: created.keyId,
      ...by,
    });
    return created;
  }

  @Post('keys/:keyId/rotate')
  @ApiOperation({
    operationId: 'admin_rotate_api_key',
    summary: 'Replace an API key; the old one works for the grace period',
  })
  async rotateKey(
    @Param() { keyId }: KeyParams,
    @Body() body: RotateDto,
    @ActingAdmin() by: ActingAdmin,
  ) {
    const rotated = await this.apiKeys.rotate(keyId, body.graceSeconds ?? DEFAULT_GRACE_SECONDS);
    await this.events.record('api_key.rotated', {
      clientId: rotated.clientId,
      credentialId: keyId,
      ...by,
    });
    return rotated;
  }

  @Post('keys/:keyId/revoke')
  @HttpCode(200)
  @ApiOperation({ operationId: 'admin_revoke_api_key', summary: 'Revoke an API key at once' })
  async revokeKey(@Param() { keyId }: KeyParams, @ActingAdmin() by: ActingAdmin) {
    const revoked = await this.apiKeys.revoke(keyId);
    await this.events.record('api_key.revoked', { credentialId: keyId, ...by });
    return revoked;
  }
}
