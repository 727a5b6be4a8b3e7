import 'reflect-metadata';
import { rmSync } from 'node:fs';
import { Logger } from '@nestjs/common';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';

import { postgresBinDir, startPostgres } from '../../test/utils/postgres-server.js';
import { describeWithServer } from '../../test/utils/native-servers.js';
import { copyTemplateDb } from '../../test/utils/template-db.js';
import { TestClock } from '../../test/utils/test-clock.js';
import { loadConfig } from '../config/app-config.js';
import { UpstreamError } from '../connectors/ports/upstream.error.js';
import { prepareStore } from '../database/prepare-store.js';
import { createPrismaClient, type PrismaService } from '../database/prisma.service.js';
import { OutboxAdminService } from './outbox-admin.service.js';
import { OutboxService } from './outbox.service.js';
import type { OutboxTopic } from './outbox.types.js';
import { OutboxWorker } from './outbox.worker.js';

const MINUTE = 60_000;
const EMAIL = 'khach.hang@example.vn';

interface Store {
  databaseUrl: string;
  close(): void;
}

/**
 * The same suite on both stores: the CLI reaches the outbox through Prisma,
 * whichever DATABASE_URL names. Messages are dead-lettered for real, by a
 * worker whose core system keeps failing.
 */
function outboxAdminSuite(open: () => Promise<Store>): void {
  let store: Store;
  let prisma: PrismaService;
  let clock: TestClock;
  let outbox: OutboxService;
  let worker: OutboxWorker;
  let admin: OutboxAdminService;
  let upstreamUp: boolean;
  let delivered: string[];

  beforeAll(async () => {
    Logger.overrideLogger(false);
    store = await open();
    const config = loadConfig({
      DATABASE_URL: store.databaseUrl,
      OUTBOX_MAX_ATTEMPTS: '2',
      OUTBOX_ENABLED: 'false',
    });
    await prepareStore(config, () => undefined);
    prisma = createPrismaClient(config);
    clock = new TestClock(Date.parse('2026-11-22T08:00:00Z'));
    outbox = new OutboxService(clock, prisma);
    const handler = {
      deliver: ({ messageId }: { messageId: string }) => {
        if (!upstreamUp) return Promise.reject(new UpstreamError('crm', 'lead.create', 503));
        delivered.push(messageId);
        return Promise.resolve({ reference: `REF-${messageId}` });
      },
    };
    for (const topic of ['crm.lead', 'sales.notify'] as const) outbox.register(topic, handler);
    worker = new OutboxWorker(prisma, outbox, clock, config);
    admin = new OutboxAdminService(prisma, clock);
  }, 120_000);

  afterAll(async () => {
    await worker?.stop();
    await prisma?.$disconnect();
    store?.close();
  });

  beforeEach(async () => {
    await prisma.outboxMessage.deleteMany({});
    upstreamUp = false;
    delivered = [];
  });

  const enqueue = (topic: OutboxTopic, aggregateId: string) =>
    prisma.$transaction((tx) =>
      outbox.enqueue(tx, { topic, aggregateId, payload: { email: EMAIL } }),
    );

  /** Two failed attempts (OUTBOX_MAX_ATTEMPTS=2) with the backoff in between. */
  const failTwice = async () => {
    await worker.drain();
    clock.advanceMs(10 * MINUTE);
    await worker.drain();
  };

  const row = (id: string) => prisma.outboxMessage.findUniqueOrThrow({ where: { id } });

  it('lists a dead-lettered message with its error and never its payload', async () => {
    const id = await enqueue('crm.lead', 'LD-1');
    await failTwice();

    const dead = await admin.list({ status: 'dead', limit: 10 });
    expect(dead).toEqual({
      total: 1,
      messages: [
        {
          id,
          topic: 'crm.lead',
          aggregateId: 'LD-1',
          status: 'dead',
          attempts: 2,
          lastError: 'crm lead.create failed (status 503)',
          createdAt: '2026-11-22T08:00:00.000Z',
          nextAttemptAt: expect.any(String),
        },
      ],
    });
    expect(JSON.stringify(dead)).not.toContain(EMAIL);
    await expect(admin.list({ status: 'pending', limit: 10 })).resolves.toEqual({
      messages: [],
      total: 0,
    });
    await expect(admin.list({ topic: 'sales.notify', limit: 10 })).resolves.toMatchObject({
      total: 0,
    });
  });

  it('resends a dead message once the core system is back: pending, attempts 0, due now, then delivered', async () => {
    const id = await enqueue('crm.lead', 'LD-2');
    await failTwice();
    expect(await row(id)).toMatchObject({ status: 'dead', attempts: 2 });
    await expect(worker.drain()).resolves.toBe(0);

    upstreamUp = true;
    await expect(admin.retry({ ids: [id] })).resolves.toEqual({ requeued: [id], skipped: [] });
    const requeued = await row(id);
    expect(requeued).toMatchObject({ status: 'pending', attempts: 0, lockedBy: null });
    expect(requeued.nextAttemptAt.getTime()).toBe(clock.now().getTime());

    await expect(worker.drain()).resolves.toBe(1);
    expect(await row(id)).toMatchObject({ status: 'delivered', attempts: 1, lastError: null });
    expect(delivered).toEqual([id]);
  });

  it('requeues a message once when two retries race, and says why it skipped the others', async () => {
    const [dead, alsoDead] = [await enqueue('crm.lead', 'LD-3'), await enqueue('crm.lead', 'LD-4')];
    await failTwice();
    const pending = await enqueue('crm.lead', 'LD-5');

    const results = await Promise.all([
      admin.retry({ ids: [dead, alsoDead] }),
      admin.retry({ ids: [alsoDead, dead] }),
    ]);
    expect(results.flatMap((r) => r.requeued).sort()).toEqual([dead, alsoDead].sort());
    expect(results.flatMap((r) => r.skipped)).toHaveLength(2);

    await expect(admin.retry({ ids: [dead, pending, 'msg_nope'] })).resolves.toEqual({
      requeued: [],
      skipped: [
        { id: dead, status: 'pending' },
        { id: pending, status: 'pending' },
        { id: 'msg_nope', status: 'not_found' },
      ],
    });

    upstreamUp = true;
    await worker.drain();
    expect(delivered.sort()).toEqual([dead, alsoDead, pending].sort());
  });

  it('requeues every dead message, or only those of one topic', async () => {
    const lead = await enqueue('crm.lead', 'LD-6');
    const notify = await enqueue('sales.notify', 'LD-6');
    await failTwice();
    const pending = await enqueue('crm.lead', 'LD-7');

    await expect(admin.retry({ allDead: true, topic: 'sales.notify' })).resolves.toEqual({
      requeued: [notify],
      skipped: [],
    });
    expect(await row(lead)).toMatchObject({ status: 'dead' });
    await expect(admin.retry({ allDead: true })).resolves.toEqual({
      requeued: [lead],
      skipped: [],
    });
    expect(await row(pending)).toMatchObject({ status: 'pending', attempts: 0 });
    await expect(admin.list({ status: 'dead', limit: 10 })).resolves.toMatchObject({ total: 0 });
  });
}

describe(`${OutboxAdminService.name} on SQLite`, () => {
  outboxAdminSuite(async () => {
    const db = await copyTemplateDb();
    return {
      databaseUrl: `file:${db.file}`,
      close: () => rmSync(db.dir, { recursive: true, force: true }),
    };
  });
});

describeWithServer(postgresBinDir() !== null, 'postgresql')(
  `${OutboxAdminService.name} on PostgreSQL`,
  () => {
    outboxAdminSuite(async () => {
      const server = await startPostgres();
      server.createDatabase('gatehouse');
      return { databaseUrl: server.url('gatehouse'), close: () => server.stop() };
    });
  },
);
