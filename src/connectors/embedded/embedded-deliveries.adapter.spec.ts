import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { copyTemplateDb } from '../../../test/utils/template-db.js';
import { loadConfig } from '../../config/app-config.js';
import { createPrismaClient, type PrismaService } from '../../database/prisma.service.js';
import { buildDemoData } from '../../database/seed/demo-data.js';
import type { DeliveryRecord } from '../ports/deliveries.port.js';
import { EmbeddedDeliveriesAdapter } from './embedded-deliveries.adapter.js';

const DAY = 24 * 3600_000;

describe(EmbeddedDeliveriesAdapter.name, () => {
  const demo = buildDemoData();
  let dir: string;
  let prisma: PrismaService;
  let adapter: EmbeddedDeliveriesAdapter;

  beforeAll(async () => {
    const db = await copyTemplateDb();
    dir = db.dir;
    prisma = createPrismaClient(loadConfig({ DATABASE_URL: `file:${db.file}` }));
    adapter = new EmbeddedDeliveriesAdapter(prisma);
  });

  afterAll(async () => {
    await prisma.$disconnect();
    rmSync(dir, { recursive: true, force: true });
  });

  it("reads an order's deliveries, earliest window first", async () => {
    const found = await adapter.forOrder('SO-2026-000123');
    const seeded = demo.deliveries.filter((d) => d.orderNumber === 'SO-2026-000123');
    expect(found.length).toBe(seeded.length);
    expect(found.length).toBeGreaterThan(0);
    expect(found[0]).toEqual({
      id: seeded[0]?.id,
      orderNumber: 'SO-2026-000123',
      status: seeded[0]?.status,
      carrier: seeded[0]?.carrier,
      trackingNumber: seeded[0]?.trackingNumber,
      windowStart: seeded[0]?.windowStart,
      windowEnd: seeded[0]?.windowEnd,
      region: 'south',
    });
    expect(await adapter.forOrder('SO-2026-999999')).toEqual([]);
  });

  it('pages through a range by (windowStart, id) with no duplicates or gaps', async () => {
    const from = new Date('2026-10-25T00:00:00Z');
    const to = new Date(from.getTime() + 14 * DAY);
    const expected = demo.deliveries
      .filter((d) => d.windowStart >= from && d.windowStart < to && d.region === 'north')
      .sort((a, b) => a.windowStart.getTime() - b.windowStart.getTime() || a.id.localeCompare(b.id))
      .map((d) => d.id);
    expect(expected.length).toBeGreaterThan(30);

    const seen: string[] = [];
    let after: DeliveryRecord | undefined;
    for (;;) {
      const page = await adapter.list({
        from,
        to,
        region: 'north',
        ...(after ? { after: { windowStart: after.windowStart, id: after.id } } : {}),
        limit: 13,
      });
      seen.push(...page.map((d) => d.id));
      if (page.length < 13) break;
      after = page[page.length - 1];
    }
    expect(seen).toEqual(expected);
  });

  it('includes from and excludes to', async () => {
    const first = demo.deliveries.reduce((a, b) => (a.windowStart <= b.windowStart ? a : b));
    const exact = await adapter.list({
      from: first.windowStart,
      to: new Date(first.windowStart.getTime() + 1),
      limit: 100,
    });
    expect(exact.map((d) => d.id)).toContain(first.id);
    const none = await adapter.list({
      from: new Date(first.windowStart.getTime() - DAY),
      to: first.windowStart,
      limit: 100,
    });
    expect(none.map((d) => d.id)).not.toContain(first.id);
  });
});
