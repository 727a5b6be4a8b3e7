import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiOkResponse } from '@nestjs/swagger';
import { CurrentPrincipal, type Principal } from '../../auth/principal.js';
import { Scope } from '../../auth/scopes.js';
import { Tool } from '../tool.decorator.js';
import { CustomerProofQuery, OrderParams } from './dto/order-lookup.dto.js';
import { OrderStatusDto } from './dto/order-status.dto.js';
import { OrdersService } from './orders.service.js';
import { CurrentContext, type RequestContext } from '../../common/http/request-context.js';

@Controller('v1/orders')
export class OrdersController {
  constructor(private readonly orders: OrdersService) {}

  @Tool({
    name: 'get_order_status',
    description: [
      'Status of one sales order with its lines and a delivery summary, customer details masked. Read-only; status is pending, confirmed, picking, shipped, partially_shipped, delivered or cancelled; the answer also gives when the order was placed and last updated, each line with quantities ordered and shipped, and the next delivery window.',
      'Use it when a customer asks "where is my order" and gives an order number such as "SO-2026-000123". For the individual delivery windows and tracking numbers use get_delivery_schedule.',
      'Pass the email (customerEmail) or phone (customerPhone, e.g. "+84901234567") the customer gave you: some deployments require one of them, and any you pass must match the order. Customer details in the answer are masked; there is no payment information.',
      'order_not_found means the number does not exist or the contact details do not match it: ask the customer to check both, never guess, and offer a human if they are sure.',
    ].join(' '),
    scopes: [Scope.OrdersRead],
    rateClass: 'read',
    tag: 'orders',
    errors: ['order_not_found'],
  })
  @ApiOkResponse({ type: OrderStatusDto, description: 'The order, customer fields masked.' })
  @Get(':orderNumber')
  status(
    @Param() params: OrderParams,
    @Query() query: CustomerProofQuery,
    @CurrentPrincipal() principal: Principal,
    @CurrentContext() request: RequestContext | undefined,
  ): Promise<OrderStatusDto> {
    return this.orders.status(params.orderNumber, query, principal.policies, request);
  }
}
