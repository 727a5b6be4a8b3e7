import { Injectable } from '@nestjs/common';
import { PrismaService } from '../../database/prisma.service.js';
import { SalesRepsPort, type SalesRep } from '../ports/sales-reps.port.js';

/** Sales reps and product lines from Gatehouse's own demo tables. */
@Injectable()
export class EmbeddedSalesRepsAdapter extends SalesRepsPort {
  constructor(private readonly prisma: PrismaService) {
    super();
  }

  async activeReps(): Promise<SalesRep[]> {
    const reps = await this.prisma.salesRep.findMany({
      where: { active: true },
      orderBy: { id: 'asc' },
    });
    return reps.map((rep) => ({
      id: rep.id,
      name: rep.name,
      email: rep.email,
      region: rep.region,
      productLines: rep.productLines
        .split(',')
        .map((line) => line.trim())
        .filter((line) => line.length > 0),
    }));
  }

  async productLinesOf(skus: string[]): Promise<string[]> {
    if (skus.length === 0) return [];
    const products = await this.prisma.product.findMany({
      where: { sku: { in: [...new Set(skus.map((sku) => sku.toUpperCase()))] } },
      select: { productLine: true },
      distinct: ['productLine'],
      orderBy: { productLine: 'asc' },
    });
    return products.map((p) => p.productLine);
  }
}
