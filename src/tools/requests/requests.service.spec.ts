import { rmSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';

import { copyTemplateDb } from '../../../test/utils/template-db.js';
import type { Principal } from '../../auth/principal.js';
import { SystemClock } from '../../common/clock.js';
import { GatehouseError } from '../../common/errors/gatehouse.error.js';
import { loadConfig } from '../../config/app-config.js';
import { EmbeddedTicketsAdapter } from '../../connectors/embedded/embedded-tickets.adapter.js';
import { createPrismaClient, type PrismaService } from '../../database/prisma.service.js';
import { OutboxService } from '../../outbox/outbox.service.js';
import { CreateInternalRequestDto } from './dto/create-internal-request.dto.js';
import { InternalRequestsRepository } from './requests.repository.js';
import { InternalRequestsReviewService } from './requests-review.service.js';
import { InternalRequestsService } from './requests.service.js';

const principal = (clientId: string, approval?: 'required'): Principal => ({
  clientId,
  clientName: clientId,
  scopes: new Set(),
  credentialType: 'jwt',
  credentialId: 'jti',
  policies: approval ? { requestApproval: approval } : {},
  limits: {},
});

describe(InternalRequestsService.name, () => {
  let dir: string;
  let prisma: PrismaService;
  let service: InternalRequestsService;
  let review: InternalRequestsReviewService;

  const dto = Object.assign(new CreateInternalRequestDto(), {
    type: 'purchase',
    summary: '  Buy 3 label printers  ',
    requester: { name: 'Mai', email: ' Mai@Example.VN' },
  });

  const create = (who: Principal) => prisma.$transaction((tx) => service.create(tx, who, dto));
  const outboxRows = (id: string) => prisma.outboxMessage.findMany({ where: { aggregateId: id } });

  beforeEach(async () => {
    const db = await copyTemplateDb();
    dir = db.dir;
    prisma = createPrismaClient(loadConfig({ DATABASE_URL: `file:${db.file}` }));
    const clock = new SystemClock();
    const repository = new InternalRequestsRepository(prisma);
    const outbox = new OutboxService(clock, prisma);
    service = new InternalRequestsService(
      repository,
      outbox,
      new EmbeddedTicketsAdapter(prisma, clock),
      clock,
    );
    review = new InternalRequestsReviewService(repository, outbox, clock);
  });

  afterEach(async () => {
    await prisma.$disconnect();
    rmSync(dir, { recursive: true, force: true });
  });

  it('queues a request for the ticket system unless the client requires approval', async () => {
    const { status, body } = await create(principal('cl_a'));
    expect(status).toBe(201);
    expect(body).toMatchObject({
      status: 'queued',
      summary: 'Buy 3 label printers',
      priority: 'normal',
    });
    const [row] = await outboxRows(body.id);
    expect(row?.topic).toBe('ticket.create');
    expect(JSON.parse(row?.payload ?? '{}')).toMatchObject({
      requestId: body.id,
      requester: { name: 'Mai', email: 'mai@example.vn' },
      source: { clientId: 'cl_a' },
    });
  });

  it('holds a request for review, then approve() queues it exactly once', async () => {
    const { body } = await create(principal('cl_a', 'required'));
    expect(body.status).toBe('pending_review');
    expect(await outboxRows(body.id)).toHaveLength(0);

    const first = await review.approve(body.id);
    expect(first).toMatchObject({ changed: true, request: { id: body.id, status: 'queued' } });
    const again = await review.approve(body.id);
    expect(again).toMatchObject({ changed: false, request: { status: 'queued' } });
    expect((await outboxRows(body.id)).map((r) => r.topic)).toEqual(['ticket.create']);
  });

  it('reject() ends a held request without a ticket, and only once', async () => {
    const { body } = await create(principal('cl_a', 'required'));
    await expect(review.reject(body.id)).resolves.toMatchObject({
      changed: true,
      request: { status: 'rejected' },
    });
    await expect(review.approve(body.id)).resolves.toMatchObject({
      changed: false,
      request: { status: 'rejected' },
    });
    await expect(review.reject(body.id)).resolves.toMatchObject({ changed: false });
    expect(await outboxRows(body.id)).toHaveLength(0);
    await expect(service.get(principal('cl_a'), body.id)).resolves.toMatchObject({
      status: 'rejected',
      message: expect.stringContaining('could not take on'),
    });
  });

  it('reject() of a request that was never held changes nothing', async () => {
    const { body } = await create(principal('cl_a'));
    await expect(review.reject(body.id)).resolves.toMatchObject({
      changed: false,
      request: { status: 'queued' },
    });
    expect(await outboxRows(body.id)).toHaveLength(1);
  });

  it('approve() or reject() of an unknown request is internal_request_not_found', async () => {
    await expect(review.approve('IR-UNKNOWN00000')).rejects.toBeInstanceOf(GatehouseError);
    await expect(review.reject('IR-UNKNOWN00000')).rejects.toMatchObject({
      code: 'internal_request_not_found',
    });
  });

  it('shows a request only to the client that created it', async () => {
    const { body } = await create(principal('cl_a'));
    await expect(service.get(principal('cl_a'), body.id)).resolves.toMatchObject({ id: body.id });
    await expect(service.get(principal('cl_b'), body.id)).rejects.toMatchObject({
      code: 'internal_request_not_found',
    });
  });
});
