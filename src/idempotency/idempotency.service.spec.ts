import { rmSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';

import { copyTemplateDb } from '../../test/utils/template-db.js';
import { GatehouseError } from '../common/errors/gatehouse.error.js';
import { loadConfig } from '../config/app-config.js';
import {
  createPrismaClient,
  sqliteDirectOf,
  type PrismaService,
} from '../database/prisma.service.js';
import { insertRow } from '../database/sqlite-sql.js';
import {
  ABANDONED_AFTER_MS,
  IdempotencyService,
  type IdempotentRequest,
  type Transaction,
} from './idempotency.service.js';
import { requestFingerprint } from './request-fingerprint.js';
import { deferred, TestClock } from '../../test/utils/test-clock.js';

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof GatehouseError) return error.code;
    throw error;
  }
  throw new Error('expected a GatehouseError');
}

describe(IdempotencyService.name, () => {
  let dir: string;
  let prisma: PrismaService;
  let clock: TestClock;
  let service: IdempotencyService;
  let writes: number;

  const request = (body: unknown, key = 'key-0001', clientId = 'cl_a'): IdempotentRequest => ({
    principal: { clientId },
    key,
    method: 'POST',
    route: '/v1/things',
    body,
  });

  /**
   * A business write: one Setting row per call, so the test can count what
   * committed. On the embedded store writes go through the direct connection,
   * as the repositories' do; the Prisma transaction client is not available.
   */
  const writeNamed = (_tx: Transaction, name: string) => {
    writes += 1;
    const direct = sqliteDirectOf(prisma);
    if (!direct) throw new Error('the test store is SQLite');
    direct.joinTransaction((db) =>
      insertRow(db, 'Setting', { key: name, value: 'x', updatedAt: new Date() }),
    );
    return Promise.resolve({ status: 201, body: { name, createdAt: new Date(0) } });
  };
  const write = (tx: Transaction) => writeNamed(tx, `thing-${writes + 1}`);

  const things = () => prisma.setting.count({ where: { key: { startsWith: 'thing-' } } });

  beforeEach(async () => {
    const db = await copyTemplateDb();
    dir = db.dir;
    const config = loadConfig({ DATABASE_URL: `file:${db.file}`, IDEMPOTENCY_TTL_HOURS: '24' });
    prisma = createPrismaClient(config);
    clock = new TestClock(Date.parse('2026-11-22T08:00:00Z'));
    service = new IdempotencyService(prisma, clock, config);
    writes = 0;
  });

  afterEach(async () => {
    await prisma.$disconnect();
    rmSync(dir, { recursive: true, force: true });
  });

  it('requires a well-formed key', async () => {
    await expect(codeOf(service.execute({ ...request({}), key: undefined }, write))).resolves.toBe(
      'idempotency_key_required',
    );
    await expect(codeOf(service.execute(request({}, ''), write))).resolves.toBe(
      'idempotency_key_required',
    );
    const malformed = service.execute(request({}, 'short'), write);
    await expect(malformed).rejects.toMatchObject({
      code: 'validation_failed',
      options: { errors: [{ field: 'Idempotency-Key' }] },
    });
    await expect(codeOf(service.execute(request({}, 'has space 123'), write))).resolves.toBe(
      'validation_failed',
    );
    expect(writes).toBe(0);
  });

  it('runs the write once and stores the response with the record', async () => {
    const first = await service.execute(request({ a: 1 }), write);
    expect(first).toEqual({
      status: 201,
      body: { name: 'thing-1', createdAt: '1970-01-01T00:00:00.000Z' },
      replayed: false,
    });
    const record = await prisma.idempotencyRecord.findUniqueOrThrow({
      where: { clientId_key: { clientId: 'cl_a', key: 'key-0001' } },
    });
    expect(record).toMatchObject({
      status: 'completed',
      responseStatus: 201,
      requestHash: requestFingerprint({ method: 'POST', route: '/v1/things', body: { a: 1 } }),
    });
    expect(record.expiresAt.getTime() - clock.now().getTime()).toBe(24 * 3_600_000);
  });

  it('replays the stored response for the same key and body, without writing again', async () => {
    const first = await service.execute(request({ a: 1, b: [1, 2] }), write);
    const again = await service.execute(request({ b: [1, 2], a: 1 }), write);
    expect(again).toEqual({ ...first, replayed: true });
    expect(writes).toBe(1);
    expect(await things()).toBe(1);
  });

  it('refuses the same key with a different body (422)', async () => {
    await service.execute(request({ a: 1 }), write);
    await expect(codeOf(service.execute(request({ a: 2 }), write))).resolves.toBe(
      'idempotency_key_reused',
    );
    expect(writes).toBe(1);
  });

  it('keeps keys per client', async () => {
    await service.execute(request({ a: 1 }, 'key-0001', 'cl_a'), write);
    const other = await service.execute(request({ a: 2 }, 'key-0001', 'cl_b'), write);
    expect(other.replayed).toBe(false);
    expect(writes).toBe(2);
  });

  it('answers 409 while the first call with the key is still in flight', async () => {
    const gate = deferred();
    const entered = deferred();
    // prepare runs once the key is claimed: entering it means the marker is written.
    const first = service.execute(request({ a: 1 }), write, () => {
      entered.resolve();
      return gate.promise;
    });
    await entered.promise;
    const second = service.execute(request({ a: 1 }), write);
    await expect(second).rejects.toMatchObject({
      code: 'idempotency_key_in_flight',
      options: { retryAfterSeconds: 1 },
    });
    gate.resolve();
    await expect(first).resolves.toMatchObject({ replayed: false });
    await expect(service.execute(request({ a: 1 }), write)).resolves.toMatchObject({
      replayed: true,
    });
    expect(writes).toBe(1);
  });

  it('lets exactly one of several concurrent calls with the same key write', async () => {
    const outcomes = await Promise.allSettled(
      Array.from({ length: 5 }, () => service.execute(request({ a: 1 }), write)),
    );
    expect(writes).toBe(1);
    expect(await things()).toBe(1);
    for (const outcome of outcomes) {
      if (outcome.status === 'rejected') {
        expect((outcome.reason as GatehouseError).code).toBe('idempotency_key_in_flight');
      }
    }
    expect(outcomes.filter((o) => o.status === 'fulfilled').length).toBeGreaterThanOrEqual(1);
  });

  it('rolls the write back and frees the key when the write fails', async () => {
    const failing = async (tx: Transaction) => {
      await write(tx);
      throw new Error('boom');
    };
    await expect(service.execute(request({ a: 1 }), failing)).rejects.toThrow('boom');
    expect(await things()).toBe(0);
    expect(await prisma.idempotencyRecord.count()).toBe(0);
    await expect(service.execute(request({ a: 1 }), write)).resolves.toMatchObject({
      status: 201,
      replayed: false,
    });
    expect(await things()).toBe(1);
  });

  it('frees the key when the preparation fails', async () => {
    const prepare = () => Promise.reject(new Error('directory down'));
    await expect(service.execute(request({ a: 1 }), write, prepare)).rejects.toThrow(
      'directory down',
    );
    expect(await prisma.idempotencyRecord.count()).toBe(0);
    expect(writes).toBe(0);
  });

  it('takes over an in-flight marker abandoned by a crashed process', async () => {
    const hash = requestFingerprint({ method: 'POST', route: '/v1/things', body: { a: 1 } });
    await prisma.idempotencyRecord.create({
      data: {
        clientId: 'cl_a',
        key: 'key-0001',
        requestHash: hash,
        status: 'in_flight',
        createdAt: clock.now(),
        expiresAt: new Date(clock.now().getTime() + 3_600_000),
      },
    });
    await expect(codeOf(service.execute(request({ a: 1 }), write))).resolves.toBe(
      'idempotency_key_in_flight',
    );
    clock.advanceMs(ABANDONED_AFTER_MS);
    await expect(service.execute(request({ a: 1 }), write)).resolves.toMatchObject({
      replayed: false,
    });
    expect(writes).toBe(1);
  });

  it('does not let a call whose marker was taken over commit its write', async () => {
    const gate = deferred();
    const entered = deferred();
    const slow = service.execute(request({ a: 1 }), write, () => {
      entered.resolve();
      return gate.promise;
    });
    await entered.promise; // the slow call's marker is written
    clock.advanceMs(ABANDONED_AFTER_MS + 1);
    await expect(service.execute(request({ a: 1 }), write)).resolves.toMatchObject({
      replayed: false,
    });
    gate.resolve();
    await expect(codeOf(slow)).resolves.toBe('idempotency_key_in_flight');
    expect(await things()).toBe(1);
    await expect(service.execute(request({ a: 1 }), write)).resolves.toMatchObject({
      replayed: true,
    });
  });

  it('ignores and overwrites an expired record', async () => {
    await service.execute(request({ a: 1 }), write);
    clock.advanceMs(24 * 3_600_000);
    const reused = await service.execute(request({ a: 2 }), write);
    expect(reused).toMatchObject({ replayed: false, body: { name: 'thing-2' } });
    expect(await things()).toBe(2);
  });

  it('runs the write again once when a concurrent transaction won a unique constraint', async () => {
    await prisma.setting.create({ data: { key: 'taken', value: 'x' } });
    let calls = 0;
    const racing = async (tx: Transaction) => {
      calls += 1;
      return writeNamed(tx, calls === 1 ? 'taken' : 'thing-after-retry');
    };
    await expect(service.execute(request({ a: 1 }), racing)).resolves.toMatchObject({
      body: { name: 'thing-after-retry' },
    });
    expect(calls).toBe(2);
  });

  it('purges expired records', async () => {
    await service.execute(request({ a: 1 }, 'key-0001'), write);
    clock.advanceMs(12 * 3_600_000);
    await service.execute(request({ a: 1 }, 'key-0002'), write);
    clock.advanceMs(12 * 3_600_000);
    await expect(service.purgeExpired()).resolves.toBe(1);
    expect(await prisma.idempotencyRecord.count()).toBe(1);
  });
});
