import { ApiProperty } from '@nestjs/swagger';

export const ORDER_STATUSES = [
  'pending',
  'confirmed',
  'picking',
  'shipped',
  'partially_shipped',
  'delivered',
  'cancelled',
] as const;

export class MaskedCustomerDto {
  @ApiProperty({
    description: 'Customer name, masked: first letter of each word. Do not try to guess the rest.',
    example: 'T*** T** L**',
  })
  name!: string;

  @ApiProperty({ description: 'Customer email, masked.', example: 'l***@e***.vn' })
  email!: string;

  @ApiProperty({
    description: 'Customer phone, masked: country code and last three digits.',
    example: '+84*******567',
  })
  phone!: string;
}

export class OrderLineDto {
  @ApiProperty({ description: 'Product SKU.', example: 'BAN-GO-SOI-120' })
  sku!: string;

  @ApiProperty({ description: 'Product name on the order.', example: 'Bàn gỗ sồi 120cm' })
  name!: string;

  @ApiProperty({ description: 'Units ordered.', example: 2 })
  quantityOrdered!: number;

  @ApiProperty({ description: 'Units that have left the warehouse.', example: 2 })
  quantityShipped!: number;
}

export class ShipmentSummaryDto {
  @ApiProperty({ description: 'Number of deliveries planned or made for this order.', example: 1 })
  deliveries!: number;

  @ApiProperty({ description: 'Deliveries completed.', example: 0 })
  delivered!: number;

  @ApiProperty({ description: 'Deliveries on the way.', example: 1 })
  inTransit!: number;

  @ApiProperty({ description: 'Deliveries booked but not yet dispatched.', example: 0 })
  scheduled!: number;

  @ApiProperty({
    description: 'Delivery attempts that failed (usually followed by a new one).',
    example: 0,
  })
  failed!: number;

  @ApiProperty({
    description:
      'Start of the earliest delivery window still open (scheduled or in transit), ISO 8601 UTC; null when nothing is pending. Use get_delivery_schedule for every window.',
    example: '2026-11-02T01:00:00.000Z',
    format: 'date-time',
    type: 'string',
    nullable: true,
  })
  nextWindowStart!: string | null;
}

export class OrderStatusDto {
  @ApiProperty({ description: 'Sales order number.', example: 'SO-2026-000123' })
  orderNumber!: string;

  @ApiProperty({
    description:
      'Where the order stands: pending (received), confirmed, picking (being prepared), shipped (all on the way), partially_shipped, delivered, cancelled.',
    enum: ORDER_STATUSES,
    example: 'shipped',
  })
  status!: string;

  @ApiProperty({
    description: 'When the order was placed, ISO 8601 UTC.',
    example: '2026-07-12T03:25:00.000Z',
    format: 'date-time',
  })
  placedAt!: string;

  @ApiProperty({
    description: 'When anything on the order last changed, ISO 8601 UTC.',
    example: '2026-10-31T09:40:00.000Z',
    format: 'date-time',
  })
  lastUpdatedAt!: string;

  @ApiProperty({
    description: 'The customer, masked. Never read these back to an unverified person.',
    type: MaskedCustomerDto,
  })
  customer!: MaskedCustomerDto;

  @ApiProperty({ description: 'Order lines.', type: [OrderLineDto] })
  lines!: OrderLineDto[];

  @ApiProperty({ description: 'Deliveries at a glance.', type: ShipmentSummaryDto })
  shipmentSummary!: ShipmentSummaryDto;
}
