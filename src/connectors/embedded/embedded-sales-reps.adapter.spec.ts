import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { copyTemplateDb } from '../../../test/utils/template-db.js';
import { loadConfig } from '../../config/app-config.js';
import { createPrismaClient, type PrismaService } from '../../database/prisma.service.js';
import { EmbeddedSalesRepsAdapter } from './embedded-sales-reps.adapter.js';

describe(EmbeddedSalesRepsAdapter.name, () => {
  let dir: string;
  let prisma: PrismaService;
  let adapter: EmbeddedSalesRepsAdapter;

  beforeAll(async () => {
    const db = await copyTemplateDb();
    dir = db.dir;
    prisma = createPrismaClient(loadConfig({ DATABASE_URL: `file:${db.file}` }));
    adapter = new EmbeddedSalesRepsAdapter(prisma);
  });

  afterAll(async () => {
    await prisma.$disconnect();
    rmSync(dir, { recursive: true, force: true });
  });

  it('lists only active reps, with their product lines split', async () => {
    const reps = await adapter.activeReps();
    expect(reps.map((r) => r.id)).not.toContain('REP-008');
    expect(reps[0]).toEqual({
      id: 'REP-001',
      name: 'Phạm Quốc Bảo',
      email: 'bao.pham@example.vn',
      region: 'north',
      productLines: ['furniture', 'office'],
    });
  });

  it('finds the distinct product lines of SKUs, skipping unknown ones', async () => {
    expect(await adapter.productLinesOf(['BAN-GO-SOI-120', 'desk-oak-140', 'NO-SUCH-SKU'])).toEqual(
      ['furniture'],
    );
    expect(await adapter.productLinesOf([])).toEqual([]);
  });
});
