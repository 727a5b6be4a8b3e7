import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { copyTemplateDb } from '../../../test/utils/template-db.js';
import { loadConfig } from '../../config/app-config.js';
import { createPrismaClient, type PrismaService } from '../../database/prisma.service.js';
import { buildDemoData } from '../../database/seed/demo-data.js';
import { EmbeddedOrdersAdapter } from './embedded-orders.adapter.js';

describe(EmbeddedOrdersAdapter.name, () => {
  const demo = buildDemoData();
  let dir: string;
  let prisma: PrismaService;
  let adapter: EmbeddedOrdersAdapter;

  beforeAll(async () => {
    const db = await copyTemplateDb();
    dir = db.dir;
    prisma = createPrismaClient(loadConfig({ DATABASE_URL: `file:${db.file}` }));
    adapter = new EmbeddedOrdersAdapter(prisma);
  });

  afterAll(async () => {
    await prisma.$disconnect();
    rmSync(dir, { recursive: true, force: true });
  });

  it('reads an order with its customer and lines in line order', async () => {
    const order = await adapter.getOrder('SO-2026-000123');
    const seeded = demo.orders.find((o) => o.orderNumber === 'SO-2026-000123');
    const lines = demo.orderLines.filter((l) => l.orderNumber === 'SO-2026-000123');
    expect(order).toEqual({
      orderNumber: 'SO-2026-000123',
      status: 'shipped',
      placedAt: seeded?.placedAt,
      updatedAt: seeded?.updatedAt,
      region: 'south',
      customer: { name: 'Trần Thị Lan', email: 'lan.tran@example.vn', phone: '+84901234567' },
      lines: lines.map((l) => ({
        sku: l.sku,
        name: l.name,
        quantity: l.quantity,
        shipped: l.shipped,
      })),
    });
    expect(order?.lines[0]?.sku).toBe('BAN-GO-SOI-120');
  });

  it('answers null for an unknown order', async () => {
    expect(await adapter.getOrder('SO-2026-999999')).toBeNull();
  });
});
