import { rmSync } from 'node:fs';
import { Logger } from '@nestjs/common';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';

import { copyTemplateDb } from '../../test/utils/template-db.js';
import type { Principal } from '../auth/principal.js';
import { loadConfig, type AppConfig } from '../config/app-config.js';
import { EmbeddedNotificationsAdapter } from '../connectors/embedded/embedded-notifications.adapter.js';
import { EmbeddedTicketsAdapter } from '../connectors/embedded/embedded-tickets.adapter.js';
import { PermanentDeliveryError, type SinkDelivery } from '../connectors/ports/sinks.port.js';
import { UpstreamError } from '../connectors/ports/upstream.error.js';
import { createPrismaClient, type PrismaService } from '../database/prisma.service.js';
import { CreateInternalRequestDto } from '../tools/requests/dto/create-internal-request.dto.js';
import { InternalRequestsRepository } from '../tools/requests/requests.repository.js';
import { InternalRequestsService } from '../tools/requests/requests.service.js';
import { OutboxService } from './outbox.service.js';
import type { OutboxHandler, OutboxTopic } from './outbox.types.js';
import { claimLockMs, deliveryBudgetMs, OutboxWorker } from './outbox.worker.js';
import { deferred, TestClock } from '../../test/utils/test-clock.js';

const PRINCIPAL: Principal = {
  clientId: 'cl_outbox',
  clientName: 'outbox-test',
  scopes: new Set(),
  credentialType: 'jwt',
  credentialId: 'jti-1',
  policies: {},
  limits: {},
};

/**
 * The same client, but once `crashed()` is true every write fails and nothing
 * can be claimed: the process is gone between send and acknowledge.
 */
function crashingPrisma(prisma: PrismaService, crashed: () => boolean): PrismaService {
  const dead = () => Promise.reject(new Error('process crashed'));
  return new Proxy(prisma, {
    get(target, property) {
      if (crashed() && property === '$transaction') return dead;
      if (crashed() && property === 'outboxMessage') {
        return { findMany: () => Promise.resolve([]), updateMany: dead };
      }
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? (value as () => unknown).bind(target) : value;
    },
  });
}

describe(OutboxWorker.name, () => {
  let dir: string;
  let config: AppConfig;
  let prisma: PrismaService;
  let clock: TestClock;
  let outbox: OutboxService;
  let tickets: EmbeddedTicketsAdapter;
  let requests: InternalRequestsService;
  const workers: OutboxWorker[] = [];

  const worker = (options: { prisma?: PrismaService; outbox?: OutboxService } = {}) => {
    const created = new OutboxWorker(
      options.prisma ?? prisma,
      options.outbox ?? outbox,
      clock,
      config,
    );
    workers.push(created);
    return created;
  };

  const enqueue = (count: number, topic: OutboxTopic = 'crm.lead') =>
    prisma.$transaction(async (tx) => {
      const ids: string[] = [];
      for (let i = 0; i < count; i++) {
        ids.push(await outbox.enqueue(tx, { topic, aggregateId: `LD-${i}`, payload: { n: i } }));
      }
      return ids;
    });

  const createRequest = async () => {
    const dto = Object.assign(new CreateInternalRequestDto(), {
      type: 'quote',
      summary: 'Quote for 40 oak desks',
    });
    const { body } = await prisma.$transaction((tx) => requests.create(tx, PRINCIPAL, dto));
    return body.id;
  };

  const message = (id: string) => prisma.outboxMessage.findUniqueOrThrow({ where: { id } });

  beforeAll(() => {
    Logger.overrideLogger(false);
  });

  beforeEach(async () => {
    const db = await copyTemplateDb();
    dir = db.dir;
    config = loadConfig({
      DATABASE_URL: `file:${db.file}`,
      OUTBOX_MAX_ATTEMPTS: '3',
      OUTBOX_POLL_MS: '10',
      OUTBOX_ENABLED: 'false',
    });
    prisma = createPrismaClient(config);
    clock = new TestClock(Date.parse('2026-11-22T08:00:00Z'));
    outbox = new OutboxService(clock, prisma);
    tickets = new EmbeddedTicketsAdapter(prisma, clock);
    requests = new InternalRequestsService(
      new InternalRequestsRepository(prisma),
      outbox,
      tickets,
      clock,
    );
    requests.onModuleInit();
  });

  afterEach(async () => {
    await Promise.all(workers.splice(0).map((w) => w.stop()));
    await prisma.$disconnect();
    rmSync(dir, { recursive: true, force: true });
  });

  it('delivers a queued internal request to the ticket system and marks it submitted', async () => {
    const id = await createRequest();
    await expect(worker().drain()).resolves.toBe(1);

    const [row] = await prisma.outboxMessage.findMany({ where: { aggregateId: id } });
    expect(row).toMatchObject({ topic: 'ticket.create', status: 'delivered', attempts: 1 });
    expect(row?.lockedBy).toBeNull();
    const sink = await prisma.embeddedSinkRecord.findUniqueOrThrow({
      where: { messageId: row?.id },
    });
    expect(sink.sink).toBe('tickets');
    await expect(
      prisma.internalRequest.findUniqueOrThrow({ where: { id } }),
    ).resolves.toMatchObject({ status: 'submitted', ticketRef: sink.reference });
  });

  it('delivers exactly once when a worker dies between send and acknowledge', async () => {
    const id = await createRequest();
    let crashed = false;
    const doomedOutbox = new OutboxService(clock, prisma);
    doomedOutbox.register('ticket.create', {
      deliver: async (delivery) => {
        const receipt = await tickets.createTicket(delivery);
        crashed = true;
        return receipt;
      },
    });
    const doomed = worker({ prisma: crashingPrisma(prisma, () => crashed), outbox: doomedOutbox });
    await doomed.drain();

    const [stuck] = await prisma.outboxMessage.findMany({ where: { aggregateId: id } });
    expect(stuck).toMatchObject({ status: 'processing', lockedBy: doomed.workerId });
    expect(await prisma.embeddedSinkRecord.count()).toBe(1);

    const survivor = worker();
    await expect(survivor.drain()).resolves.toBe(0);
    clock.advanceMs(claimLockMs(config) + 1);
    await expect(survivor.drain()).resolves.toBe(1);

    const row = await message(stuck.id);
    expect(row).toMatchObject({ status: 'delivered', attempts: 2, lockedBy: null });
    const sinks = await prisma.embeddedSinkRecord.findMany();
    expect(sinks).toHaveLength(1);
    await expect(
      prisma.internalRequest.findUniqueOrThrow({ where: { id } }),
    ).resolves.toMatchObject({ status: 'submitted', ticketRef: sinks[0]?.reference });
  });

  it('starts a delivery only while its whole time budget fits in the claim, so none outlives it', async () => {
    const budget = deliveryBudgetMs(config);
    const started: { id: string; spareMs: number }[] = [];
    outbox.register('crm.lead', {
      deliver: async (delivery: SinkDelivery) => {
        const row = await message(delivery.messageId);
        started.push({
          id: delivery.messageId,
          spareMs: (row.lockedUntil?.getTime() ?? 0) - (clock.now().getTime() + budget),
        });
        // A slow core system: each delivery takes three quarters of its budget.
        clock.advanceMs((budget * 3) / 4);
        return { reference: `ref-${delivery.messageId}` };
      },
    });
    const ids = await enqueue(3);
    const oneLane = { ...config, outbox: { ...config.outbox, concurrency: 1 } };
    const slow = new OutboxWorker(prisma, outbox, clock, oneLane);
    workers.push(slow);

    await expect(slow.drain()).resolves.toBe(3);
    expect(started.map((s) => s.id).sort()).toEqual([...ids].sort());
    for (const { spareMs } of started) expect(spareMs).toBeGreaterThanOrEqual(0);
    // Messages put back unstarted were not counted as attempts.
    for (const id of ids) {
      expect(await message(id)).toMatchObject({ status: 'delivered', attempts: 1 });
    }
  });

  it('retries a failed delivery with capped exponential backoff', async () => {
    let calls = 0;
    outbox.register('crm.lead', {
      deliver: () => {
        calls += 1;
        if (calls <= 2) return Promise.reject(new UpstreamError('crm', 'pushLead', 503));
        return Promise.resolve({ reference: 'CRM-1' });
      },
    });
    const [id] = await enqueue(1);
    const w = worker();

    await w.drain();
    let row = await message(id);
    expect(row).toMatchObject({
      status: 'pending',
      attempts: 1,
      lastError: 'crm pushLead failed (status 503)',
      lockedBy: null,
    });
    let delay = row.nextAttemptAt.getTime() - clock.now().getTime();
    expect(delay).toBeGreaterThanOrEqual(1_000);
    expect(delay).toBeLessThanOrEqual(2_000);

    await expect(w.drain()).resolves.toBe(0);
    clock.advanceMs(delay);
    await w.drain();
    row = await message(id);
    expect(row).toMatchObject({ status: 'pending', attempts: 2 });
    delay = row.nextAttemptAt.getTime() - clock.now().getTime();
    expect(delay).toBeGreaterThanOrEqual(2_000);
    expect(delay).toBeLessThanOrEqual(4_000);

    clock.advanceMs(delay);
    await w.drain();
    row = await message(id);
    expect(row).toMatchObject({ status: 'delivered', attempts: 3, lastError: null });
    expect(calls).toBe(3);
  });

  it("waits as long as a rate-limited core system's Retry-After asks", async () => {
    outbox.register('crm.lead', {
      deliver: () =>
        Promise.reject(new UpstreamError('jira', 'issue.create', 429, { retryAfterMs: 300_000 })),
    });
    const [id] = await enqueue(1);
    await worker().drain();
    const row = await message(id);
    expect(row).toMatchObject({ status: 'pending', attempts: 1 });
    expect(row.nextAttemptAt.getTime() - clock.now().getTime()).toBe(300_000);
  });

  it('dead-letters a message after OUTBOX_MAX_ATTEMPTS failures, without secrets in lastError', async () => {
    outbox.register('crm.lead', {
      deliver: () =>
        Promise.reject(new Error('POST https://user:hunter2@crm.internal/api refused')),
    });
    const [id] = await enqueue(1);
    const w = worker();
    for (let i = 0; i < 3; i++) {
      await w.drain();
      clock.advanceMs(60 * 60_000);
    }
    const row = await message(id);
    expect(row).toMatchObject({ status: 'dead', attempts: 3, lockedBy: null });
    expect(row.lastError).toBe('Error: POST [url] refused');
    await expect(w.drain()).resolves.toBe(0);
  });

  it('dead-letters at once on a permanent failure, an unknown topic or a corrupt payload', async () => {
    outbox.register('crm.lead', {
      deliver: () => Promise.reject(new PermanentDeliveryError('lead rejected: invalid region')),
    });
    const [permanent] = await enqueue(1);
    await prisma.outboxMessage.create({
      data: {
        id: 'msg_unknown',
        topic: 'mystery.topic',
        aggregateId: 'x',
        payload: '{}',
        nextAttemptAt: clock.now(),
      },
    });
    await prisma.outboxMessage.create({
      data: {
        id: 'msg_corrupt',
        topic: 'crm.lead',
        aggregateId: 'x',
        payload: 'not json',
        nextAttemptAt: clock.now(),
      },
    });
    await worker().drain();

    await expect(message(permanent)).resolves.toMatchObject({
      status: 'dead',
      attempts: 1,
      lastError: 'PermanentDeliveryError: lead rejected: invalid region',
    });
    await expect(message('msg_unknown')).resolves.toMatchObject({
      status: 'dead',
      lastError: 'PermanentDeliveryError: no handler for topic mystery.topic',
    });
    await expect(message('msg_corrupt')).resolves.toMatchObject({ status: 'dead' });
  });

  it('lets two racing workers claim and deliver each message once', async () => {
    const deliveries = new Map<string, number>();
    const handler: OutboxHandler = {
      deliver: async ({ messageId }: SinkDelivery) => {
        deliveries.set(messageId, (deliveries.get(messageId) ?? 0) + 1);
        await new Promise((r) => setTimeout(r, Math.random() * 3));
        return { reference: `REF-${messageId}` };
      },
    };
    outbox.register('crm.lead', handler);
    const ids = await enqueue(30);

    const [a, b] = await Promise.all([worker().drain(), worker().drain()]);

    expect(a + b).toBe(30);
    expect([...deliveries.keys()].sort()).toEqual([...ids].sort());
    expect([...deliveries.values()].every((n) => n === 1)).toBe(true);
    expect(await prisma.outboxMessage.count({ where: { status: 'delivered' } })).toBe(30);
  });

  it('on stop finishes the message in progress and releases the claims it has not started', async () => {
    config = { ...config, outbox: { ...config.outbox, concurrency: 1 } };
    const gate = deferred();
    const started = deferred();
    let calls = 0;
    outbox.register('crm.lead', {
      deliver: async () => {
        calls += 1;
        started.resolve();
        await gate.promise;
        return { reference: 'CRM-1' };
      },
    });
    const ids = await enqueue(3);
    const w = worker();
    w.start();
    await started.promise;

    const stopped = w.stop();
    gate.resolve();
    await stopped;

    const rows = await prisma.outboxMessage.findMany({ where: { id: { in: ids } } });
    expect(calls).toBe(1);
    expect(rows.filter((r) => r.status === 'delivered')).toHaveLength(1);
    const released = rows.filter((r) => r.status !== 'delivered');
    expect(released).toHaveLength(2);
    for (const row of released) {
      expect(row).toMatchObject({
        status: 'pending',
        attempts: 0,
        lockedBy: null,
        lockedUntil: null,
      });
    }
  });

  it('delivers up to OUTBOX_CONCURRENCY messages at once, one at a time per aggregate', async () => {
    config = { ...config, outbox: { ...config.outbox, concurrency: 3 } };
    const gate = deferred();
    const order: string[] = [];
    let inFlight = 0;
    let peak = 0;
    const byAggregate = new Map<string, number>();
    outbox.register('crm.lead', {
      deliver: async ({ payload }) => {
        const aggregate = String(payload.aggregate);
        // Two messages of one aggregate must never be in flight together.
        expect(byAggregate.get(aggregate) ?? 0).toBe(0);
        byAggregate.set(aggregate, 1);
        inFlight += 1;
        peak = Math.max(peak, inFlight);
        order.push(String(payload.n));
        await gate.promise;
        inFlight -= 1;
        byAggregate.set(aggregate, 0);
        return { reference: `CRM-${String(payload.n)}` };
      },
    });
    // Five aggregates; LD-A has three messages that must keep their order.
    const ids = await prisma.$transaction(async (tx) => {
      const made: string[] = [];
      const plan = ['A', 'B', 'A', 'C', 'D', 'A', 'E'];
      for (const [n, aggregate] of plan.entries()) {
        made.push(
          await outbox.enqueue(tx, {
            topic: 'crm.lead',
            aggregateId: `LD-${aggregate}`,
            payload: { n, aggregate },
          }),
        );
        clock.advance(1);
      }
      return made;
    });
    const w = worker();
    const drained = w.drain();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(peak).toBe(3);
    gate.resolve();
    expect(await drained).toBe(7);

    expect(peak).toBe(3);
    const aOrder = order.filter((n) => ['0', '2', '5'].includes(n));
    expect(aOrder).toEqual(['0', '2', '5']);
    const rows = await prisma.outboxMessage.findMany({ where: { id: { in: ids } } });
    expect(rows.every((r) => r.status === 'delivered')).toBe(true);
  });

  it('polls in the background once started', async () => {
    const delivered = deferred();
    outbox.register('crm.lead', {
      deliver: () => {
        delivered.resolve();
        return Promise.resolve({ reference: 'CRM-1' });
      },
    });
    const w = worker();
    w.start();
    await enqueue(1);
    await delivered.promise;
    await w.stop();
    expect(await prisma.outboxMessage.count({ where: { status: 'delivered' } })).toBe(1);
  });
});

describe('embedded sinks', () => {
  let dir: string;
  let prisma: PrismaService;

  beforeEach(async () => {
    const db = await copyTemplateDb();
    dir = db.dir;
    prisma = createPrismaClient(loadConfig({ DATABASE_URL: `file:${db.file}` }));
  });

  afterEach(async () => {
    await prisma.$disconnect();
    rmSync(dir, { recursive: true, force: true });
  });

  it('return the first reference when a message is delivered again', async () => {
    const clock = new TestClock(0);
    const tickets = new EmbeddedTicketsAdapter(prisma, clock);
    const notifications = new EmbeddedNotificationsAdapter(prisma, clock);
    const first = await tickets.createTicket({ messageId: 'msg_1', payload: { a: 1 } });
    const again = await tickets.createTicket({ messageId: 'msg_1', payload: { a: 1 } });
    expect(first.reference).toMatch(/^HD-[A-Z0-9]{8}$/);
    expect(again).toEqual(first);
    const note = await notifications.notify('staff', { messageId: 'msg_2', payload: {} });
    await expect(
      notifications.notify('staff', { messageId: 'msg_2', payload: {} }),
    ).resolves.toEqual(note);
    const records = await prisma.embeddedSinkRecord.findMany({ orderBy: { messageId: 'asc' } });
    expect(records.map((r) => [r.messageId, r.sink])).toEqual([
      ['msg_1', 'tickets'],
      ['msg_2', 'notifications.staff'],
    ]);
  });
});
