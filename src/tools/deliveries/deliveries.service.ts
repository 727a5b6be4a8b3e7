import { Injectable } from '@nestjs/common';
import type { ClientPolicies } from '../../clients/client-policies.js';
import { Clock } from '../../common/clock.js';
import { GatehouseError } from '../../common/errors/gatehouse.error.js';
import type { CustomerProof } from '../../common/privacy/customer-match.js';
import { DeliveriesPort, type DeliveryRecord } from '../../connectors/ports/deliveries.port.js';
import { OrdersPort } from '../../connectors/ports/orders.port.js';
import { findAuthorizedOrder } from '../orders/order-access.policy.js';
import { keysetPage } from '../../common/http/page-cursor.js';
import { decodeCursor, encodeCursor, invalidCursor } from './delivery-cursor.js';
import type {
  DeliveryDto,
  DeliveryListDto,
  DeliveryListItemDto,
  DeliveryScheduleDto,
} from './dto/delivery.dto.js';
import {
  DEFAULT_RANGE_DAYS,
  MAX_RANGE_DAYS,
  type ListDeliveriesQuery,
} from './dto/list-deliveries.dto.js';
import type { RequestContext } from '../../common/http/request-context.js';
import { forRequest } from '../../connectors/instrument-port.js';

const DAY_MS = 24 * 60 * 60 * 1000;

@Injectable()
export class DeliveriesService {
  constructor(
    private readonly orders: OrdersPort,
    private readonly deliveries: DeliveriesPort,
    private readonly clock: Clock,
  ) {}

  async schedule(
    rawOrderNumber: string,
    proof: CustomerProof,
    policies: ClientPolicies,
    request?: RequestContext,
  ): Promise<DeliveryScheduleDto> {
    const orders = forRequest(this.orders, request);
    const order = await findAuthorizedOrder(orders, rawOrderNumber, policies, proof);
    const deliveries = await forRequest(this.deliveries, request).forOrder(order.orderNumber);
    return { orderNumber: order.orderNumber, deliveries: deliveries.map(toDelivery) };
  }

  async list(query: ListDeliveriesQuery, request?: RequestContext): Promise<DeliveryListDto> {
    const cursor = query.cursor === undefined ? undefined : decodeCursor(query.cursor);
    // A cursor carries its range, so a follow-up call that leaves from/to out (or runs past
    // midnight, when the default "today" moves) still continues the same listing.
    const from = parseDate(query.from, 'from') ?? cursor?.from ?? startOfUtcDay(this.clock.now());
    const to =
      parseDate(query.to, 'to') ??
      (cursor && query.from === undefined
        ? cursor.to
        : new Date(from.getTime() + DEFAULT_RANGE_DAYS * DAY_MS));
    if (to.getTime() <= from.getTime()) {
      throw rangeError(`to must be after from (${from.toISOString()})`);
    }
    if (to.getTime() - from.getTime() > MAX_RANGE_DAYS * DAY_MS) {
      throw rangeError(`the range from..to may span at most ${MAX_RANGE_DAYS} days`);
    }
    const region = query.region ?? null;
    if (
      cursor &&
      (cursor.from.getTime() !== from.getTime() ||
        cursor.to.getTime() !== to.getTime() ||
        cursor.region !== region)
    ) {
      throw invalidCursor('cursor belongs to a listing with a different from, to or region');
    }

    const rows = await forRequest(this.deliveries, request).list({
      from,
      to,
      ...(region === null ? {} : { region }),
      ...(cursor ? { after: { windowStart: cursor.windowStart, id: cursor.id } } : {}),
      limit: query.limit + 1,
    });
    return keysetPage(rows, query.limit, toListItem, (last) =>
      encodeCursor({ windowStart: last.windowStart, id: last.id, from, to, region }),
    );
  }
}

function toDelivery(d: DeliveryRecord): DeliveryDto {
  return {
    deliveryId: d.id,
    status: d.status,
    carrier: d.carrier,
    trackingNumber: d.trackingNumber,
    plannedWindow: { start: d.windowStart.toISOString(), end: d.windowEnd.toISOString() },
    region: d.region,
  };
}

function toListItem(d: DeliveryRecord): DeliveryListItemDto {
  return { ...toDelivery(d), orderNumber: d.orderNumber };
}

function parseDate(value: string | undefined, field: 'from' | 'to'): Date | undefined {
  if (value === undefined) return undefined;
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) {
    throw new GatehouseError('validation_failed', {
      detail: 'One or more fields are invalid.',
      errors: [{ field, message: `${field} must be a calendar date such as "2026-11-02"` }],
    });
  }
  return date;
}

function startOfUtcDay(now: Date): Date {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
}

function rangeError(message: string): GatehouseError {
  return new GatehouseError('validation_failed', {
    detail: 'The date range is not valid.',
    errors: [{ field: 'to', message }],
  });
}
