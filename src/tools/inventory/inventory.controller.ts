import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiOkResponse } from '@nestjs/swagger';
import { Scope } from '../../auth/scopes.js';
import { Tool } from '../tool.decorator.js';
import {
  CheckInventoryParams,
  CheckInventoryQuery,
  StockReportDto,
} from './dto/check-inventory.dto.js';
import { ProductSearchResultDto, SearchProductsQuery } from './dto/search-products.dto.js';
import { InventoryService } from './inventory.service.js';
import { CurrentContext, type RequestContext } from '../../common/http/request-context.js';

@Controller('v1/inventory')
export class InventoryController {
  constructor(private readonly inventory: InventoryService) {}

  @Tool({
    name: 'search_products',
    description: [
      'Find products by name or SKU, with list price and total units in stock. Read-only; returns for each product its SKU, name, sales unit, list price (amount + currency) and the units available across all warehouses.',
      'Use it when the customer describes a product in words or gives part of a code, to find the exact SKU before calling check_inventory, or to answer "do you sell X and how much is it".',
      'Matching ignores accents and case, in Vietnamese and English: q="ban go soi" finds "Bàn gỗ sồi 120cm"; every word of q must appear in the name or SKU. limit is 1-50 (default 10).',
      'An empty items list means nothing matched: try fewer or different words, do not invent products. List prices are not quotes; do not promise discounts.',
    ].join(' '),
    scopes: [Scope.InventoryRead],
    rateClass: 'read',
    tag: 'inventory',
  })
  @ApiOkResponse({ type: ProductSearchResultDto, description: 'Matching products.' })
  @Get()
  search(
    @Query() query: SearchProductsQuery,
    @CurrentContext() request: RequestContext | undefined,
  ): Promise<ProductSearchResultDto> {
    return this.inventory.search(query, request);
  }

  @Tool({
    name: 'check_inventory',
    description: [
      'Stock of one product per warehouse: units on hand, reserved and available, with totals. Read-only; asOf tells when the figures were last updated.',
      'Use it when the customer asks whether a specific product is in stock, how many, or where; find the SKU with search_products first if you only have a name.',
      'sku looks like "BAN-GO-SOI-120"; the optional warehouse code looks like "HCM-01" and narrows the answer to that warehouse.',
      '"available" is what can still be sold. Errors: product_not_found means no product has this SKU (search for it instead of guessing); warehouse_not_found means the warehouse code does not exist (call again without it to see the valid codes).',
    ].join(' '),
    scopes: [Scope.InventoryRead],
    rateClass: 'read',
    tag: 'inventory',
    errors: ['product_not_found', 'warehouse_not_found'],
    // The product's name, not a person's.
    auditPlain: ['name'],
  })
  @ApiOkResponse({ type: StockReportDto, description: 'Stock of the product per warehouse.' })
  @Get(':sku')
  check(
    @Param() params: CheckInventoryParams,
    @Query() query: CheckInventoryQuery,
    @CurrentContext() request: RequestContext | undefined,
  ): Promise<StockReportDto> {
    return this.inventory.check(params.sku, query, request);
  }
}
