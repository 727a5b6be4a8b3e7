import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiOkResponse } from '@nestjs/swagger';
import { CurrentPrincipal, type Principal } from '../../auth/principal.js';
import { Scope } from '../../auth/scopes.js';
import { CustomerProofQuery, OrderParams } from '../orders/dto/order-lookup.dto.js';
import { Tool } from '../tool.decorator.js';
import { DeliveriesService } from './deliveries.service.js';
import { DeliveryListDto, DeliveryScheduleDto } from './dto/delivery.dto.js';
import { ListDeliveriesQuery } from './dto/list-deliveries.dto.js';
import { CurrentContext, type RequestContext } from '../../common/http/request-context.js';

// Two resources: an order's deliveries live under /v1/orders, the date-range listing under /v1/deliveries.
@Controller('v1')
export class DeliveriesController {
  constructor(private readonly deliveries: DeliveriesService) {}

  @Tool({
    name: 'get_delivery_schedule',
    description: [
      'Deliveries of one sales order with carrier, tracking number and planned delivery window. Read-only; each delivery has an id, a status (scheduled, in_transit, delivered, failed), the carrier, the tracking number (null until handed to the carrier), the planned window start/end and the region.',
      'Use it when a customer asks when their order will arrive or for a tracking number, and gives an order number such as "SO-2026-000123". For the overall order status use get_order_status.',
      'Times are UTC (ISO 8601); Vietnam is UTC+7, so tell the customer local time. Pass the email (customerEmail) or phone (customerPhone, e.g. "+84901234567") the customer gave you: some deployments require one, and any you pass must match the order.',
      'An empty deliveries list means no delivery is planned yet. order_not_found means the number does not exist or the contact details do not match: ask the customer to check both; never guess.',
    ].join(' '),
    scopes: [Scope.DeliveriesRead],
    rateClass: 'read',
    tag: 'deliveries',
    errors: ['order_not_found'],
  })
  @ApiOkResponse({ type: DeliveryScheduleDto, description: "The order's deliveries." })
  @Get('orders/:orderNumber/deliveries')
  schedule(
    @Param() params: OrderParams,
    @Query() query: CustomerProofQuery,
    @CurrentPrincipal() principal: Principal,
    @CurrentContext() request: RequestContext | undefined,
  ): Promise<DeliveryScheduleDto> {
    return this.deliveries.schedule(params.orderNumber, query, principal.policies, request);
  }

  @Tool({
    name: 'list_deliveries',
    description: [
      'Deliveries of all orders whose planned window starts in a date range, one page at a time. Read-only; earliest window first, each item with the delivery id, order number, status, carrier, tracking number, planned window and region.',
      'Use it for operational questions such as "what is being delivered in the south this week"; to answer a customer about their own order use get_delivery_schedule instead.',
      'from (inclusive) and to (exclusive) are ISO 8601 dates or date-times in UTC, e.g. from="2026-11-02", to="2026-11-09"; the default is today (UTC) plus 7 days and a range may span at most 31 days. region is north, central or south. limit is 1-100 (default 20).',
      'When nextCursor is not null, call again with cursor=nextCursor and the same from, to and region to get the next page. validation_failed on cursor means it was altered or used with other filters: start again without it.',
    ].join(' '),
    scopes: [Scope.DeliveriesRead],
    rateClass: 'read',
    tag: 'deliveries',
    allCustomers: true,
  })
  @ApiOkResponse({ type: DeliveryListDto, description: 'One page of deliveries.' })
  @Get('deliveries')
  list(
    @Query() query: ListDeliveriesQuery,
    @CurrentContext() request: RequestContext | undefined,
  ): Promise<DeliveryListDto> {
    return this.deliveries.list(query, request);
  }
}
