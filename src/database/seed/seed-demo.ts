import type { PrismaClient } from '../../generated/sqlite/client.js';
import { buildDemoData, DEMO_ANCHOR } from './demo-data.js';

export const DEMO_SEEDED_SETTING = 'demo.seeded';

const CHUNK_SIZE = 500;

function chunks<T>(rows: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < rows.length; i += CHUNK_SIZE) out.push(rows.slice(i, i + CHUNK_SIZE));
  return out;
}

/**
 * Fills the embedded core system's tables with the demo data set, once. The marker setting is
 * written in the same transaction as the rows, so a crash mid-seed leaves nothing behind and the
 * next start seeds again.
 */
export async function seedDemoData(prisma: PrismaClient): Promise<{ seeded: boolean }> {
  const isSeeded = async (client: Pick<PrismaClient, 'setting'>): Promise<boolean> =>
    (await client.setting.findUnique({ where: { key: DEMO_SEEDED_SETTING } })) !== null;
  if (await isSeeded(prisma)) return { seeded: false };

  const data = buildDemoData(DEMO_ANCHOR);
  return prisma.$transaction(
    async (tx) => {
      // Checked again inside the transaction: another instance may have seeded meanwhile.
      if (await isSeeded(tx)) return { seeded: false };
      // Parents before children, so the foreign keys hold at every step.
      for (const rows of chunks(data.warehouses)) await tx.warehouse.createMany({ data: rows });
      for (const rows of chunks(data.products)) await tx.product.createMany({ data: rows });
      for (const rows of chunks(data.stockLevels)) await tx.stockLevel.createMany({ data: rows });
      for (const rows of chunks(data.salesReps)) await tx.salesRep.createMany({ data: rows });
      for (const rows of chunks(data.orders)) await tx.salesOrder.createMany({ data: rows });
      for (const rows of chunks(data.orderLines)) await tx.orderLine.createMany({ data: rows });
      for (const rows of chunks(data.deliveries)) await tx.delivery.createMany({ data: rows });
      await tx.setting.create({
        data: { key: DEMO_SEEDED_SETTING, value: DEMO_ANCHOR.toISOString() },
      });
      return { seeded: true };
    },
    { timeout: 120_000 },
  );
}
