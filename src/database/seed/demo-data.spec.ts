import { describe, expect, it } from '@jest/globals';

import { normalizeSearchText } from '../../common/text/normalize-search.js';
import { buildDemoData, DEMO_ANCHOR } from './demo-data.js';

const SKU_PATTERN = /^[A-Z0-9][A-Z0-9-]{2,39}$/;
const ORDER_STATUSES = [
  'pending',
  'confirmed',
  'picking',
  'shipped',
  'partially_shipped',
  'delivered',
  'cancelled',
];
const DAY = 24 * 60 * 60 * 1000;

describe(buildDemoData.name, () => {
  const data = buildDemoData();
  const anchor = DEMO_ANCHOR.getTime();
  const skus = new Set(data.products.map((product) => product.sku));
  const ordersByNumber = new Map(data.orders.map((order) => [order.orderNumber, order]));

  it('is deterministic', () => {
    expect(buildDemoData()).toEqual(data);
    expect(buildDemoData(new Date('2026-11-01T00:00:00Z'))).toEqual(data);
  });

  it('derives every date from the anchor', () => {
    const later = buildDemoData(new Date(anchor + 10 * DAY));
    expect(later.orders[0].placedAt.getTime()).toBe(data.orders[0].placedAt.getTime() + 10 * DAY);
    expect(later.products).toEqual(data.products);
  });

  it('has a realistic size', () => {
    expect(data.warehouses.length).toBeGreaterThanOrEqual(3);
    expect(data.products.length).toBeGreaterThanOrEqual(300);
    expect(data.orders.length).toBeGreaterThanOrEqual(1000);
    expect(data.salesReps.length).toBeGreaterThanOrEqual(6);
    expect(data.deliveries.length).toBeGreaterThanOrEqual(1000);
  });

  it('has unique, well-formed SKUs, order numbers and delivery ids', () => {
    expect(skus.size).toBe(data.products.length);
    expect(ordersByNumber.size).toBe(data.orders.length);
    expect(new Set(data.deliveries.map((delivery) => delivery.id)).size).toBe(
      data.deliveries.length,
    );
    for (const sku of skus) expect(sku).toMatch(SKU_PATTERN);
    for (const order of data.orders) expect(order.orderNumber).toMatch(/^SO-2026-\d{6}$/);
    for (const delivery of data.deliveries) expect(delivery.id).toMatch(/^DLV-\d{6}$/);
  });

  it('stores the normalised product name for search', () => {
    expect(normalizeSearchText('Bàn gỗ sồi 120cm')).toBe('ban go soi 120cm');
    for (const product of data.products) {
      expect(product.nameNormalized).toBe(normalizeSearchText(product.name));
      expect(Number.isInteger(product.listPrice) && product.listPrice > 0).toBe(true);
      expect(product.currency).toBe('VND');
    }
  });

  it('includes the products the docs name', () => {
    const bySku = new Map(data.products.map((product) => [product.sku, product]));
    expect(bySku.get('BAN-GO-SOI-120')).toMatchObject({
      name: 'Bàn gỗ sồi 120cm',
      nameNormalized: 'ban go soi 120cm',
    });
    expect(bySku.get('DESK-OAK-140')).toMatchObject({ name: 'Oak Desk 140cm' });
  });

  it('stocks every product in 2 to 4 known warehouses, never reserving more than is on hand', () => {
    const warehouses = new Set(data.warehouses.map((warehouse) => warehouse.code));
    const perSku = new Map<string, number[]>();
    for (const level of data.stockLevels) {
      expect(skus.has(level.sku)).toBe(true);
      expect(warehouses.has(level.warehouseCode)).toBe(true);
      expect(level.onHand).toBeGreaterThanOrEqual(0);
      expect(level.onHand).toBeLessThanOrEqual(500);
      expect(level.reserved).toBeGreaterThanOrEqual(0);
      expect(level.reserved).toBeLessThanOrEqual(level.onHand);
      perSku.set(level.sku, [...(perSku.get(level.sku) ?? []), level.onHand]);
    }
    expect(perSku.size).toBe(skus.size);
    for (const onHand of perSku.values()) {
      expect(onHand.length).toBeGreaterThanOrEqual(2);
      expect(onHand.length).toBeLessThanOrEqual(4);
    }
    const soldOut = [...perSku.values()].filter((onHand) => onHand.every((n) => n === 0));
    expect(soldOut.length).toBeGreaterThanOrEqual(3);
  });

  it('has the SO-2026-000123 order the README uses', () => {
    expect(ordersByNumber.get('SO-2026-000123')).toMatchObject({
      status: 'shipped',
      customerName: 'Trần Thị Lan',
      customerEmail: 'lan.tran@example.vn',
      customerPhone: '+84901234567',
    });
    const deliveries = data.deliveries.filter((d) => d.orderNumber === 'SO-2026-000123');
    expect(deliveries.length).toBeGreaterThanOrEqual(1);
  });

  it('keeps orders within the 120 days before the anchor, with plausible customers', () => {
    for (const order of data.orders) {
      expect(ORDER_STATUSES).toContain(order.status);
      expect(order.placedAt.getTime()).toBeGreaterThanOrEqual(anchor - 120 * DAY);
      expect(order.placedAt.getTime()).toBeLessThan(anchor);
      expect(order.updatedAt.getTime()).toBeGreaterThanOrEqual(order.placedAt.getTime());
      expect(order.updatedAt.getTime()).toBeLessThanOrEqual(anchor);
      expect(order.customerEmail).toMatch(/^[a-z0-9.]+@example\.(vn|com)$/);
      expect(order.customerPhone).toMatch(/^\+84\d{9}$/);
      expect(['north', 'central', 'south']).toContain(order.region);
    }
  });

  it('gives every order 1 to 5 lines of real products, shipped consistently with its status', () => {
    const linesByOrder = new Map<string, typeof data.orderLines>();
    for (const line of data.orderLines) {
      expect(skus.has(line.sku)).toBe(true);
      expect(line.quantity).toBeGreaterThanOrEqual(1);
      expect(line.quantity).toBeLessThanOrEqual(20);
      expect(line.shipped).toBeGreaterThanOrEqual(0);
      expect(line.shipped).toBeLessThanOrEqual(line.quantity);
      linesByOrder.set(line.orderNumber, [...(linesByOrder.get(line.orderNumber) ?? []), line]);
    }
    for (const order of data.orders) {
      const lines = linesByOrder.get(order.orderNumber) ?? [];
      expect(lines.length).toBeGreaterThanOrEqual(1);
      expect(lines.length).toBeLessThanOrEqual(5);
      const shipped = lines.reduce((sum, line) => sum + line.shipped, 0);
      const ordered = lines.reduce((sum, line) => sum + line.quantity, 0);
      if (order.status === 'shipped' || order.status === 'delivered') {
        expect(shipped).toBe(ordered);
      } else if (order.status === 'partially_shipped') {
        expect(shipped).toBeGreaterThan(0);
        expect(shipped).toBeLessThan(ordered);
      } else {
        expect(shipped).toBe(0);
      }
    }
  });

  it('schedules deliveries consistent with their order', () => {
    const deliveriesByOrder = new Map<string, typeof data.deliveries>();
    for (const delivery of data.deliveries) {
      const order = ordersByNumber.get(delivery.orderNumber);
      expect(order).toBeDefined();
      if (!order) continue;
      expect(delivery.region).toBe(order.region);
      expect(['GHN', 'GHTK', 'Viettel Post', 'J&T Express']).toContain(delivery.carrier);
      expect(delivery.trackingNumber === null).toBe(delivery.status === 'scheduled');
      expect(delivery.windowEnd.getTime() - delivery.windowStart.getTime()).toBe(
        4 * 60 * 60 * 1000,
      );
      expect(delivery.windowStart.getTime()).toBeGreaterThanOrEqual(order.placedAt.getTime());
      expect(delivery.windowStart.getTime()).toBeLessThanOrEqual(anchor + 14 * DAY);
      if (delivery.status === 'delivered' || delivery.status === 'failed') {
        expect(delivery.windowEnd.getTime()).toBeLessThanOrEqual(anchor);
      }
      deliveriesByOrder.set(delivery.orderNumber, [
        ...(deliveriesByOrder.get(delivery.orderNumber) ?? []),
        delivery,
      ]);
    }
    // The per-status checks below would pass unseen for a status the seed never uses.
    expect(new Set(data.orders.map((order) => order.status))).toEqual(new Set(ORDER_STATUSES));
    for (const order of data.orders) {
      const statuses = (deliveriesByOrder.get(order.orderNumber) ?? []).map((d) => d.status);
      if (['pending', 'confirmed', 'cancelled'].includes(order.status)) {
        expect(statuses).toEqual([]);
        continue;
      }
      expect(statuses.length).toBeGreaterThanOrEqual(1);
      expect(statuses.length).toBeLessThanOrEqual(2);
      if (order.status === 'picking') expect(statuses).toEqual(['scheduled']);
      if (order.status === 'shipped') expect(statuses).toContain('in_transit');
      if (order.status === 'delivered') expect(statuses.at(-1)).toBe('delivered');
      if (order.status === 'partially_shipped') {
        expect(['delivered', 'in_transit']).toContain(statuses[0]);
      }
    }
  });
});
