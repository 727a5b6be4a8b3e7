import { ApiProperty } from '@nestjs/swagger';

export const REGIONS = ['north', 'central', 'south'] as const;
/**
 * Regions in answers: `unknown` when a core system's address names no known
 * province (docs/connectors/odoo.md, erpnext.md); the embedded data always has one.
 */
export const ANSWER_REGIONS = [...REGIONS, 'unknown'] as const;
export const DELIVERY_STATUSES = ['scheduled', 'in_transit', 'delivered', 'failed'] as const;

export class PlannedWindowDto {
  @ApiProperty({
    description: 'Window start, ISO 8601 UTC.',
    example: '2026-11-02T01:00:00.000Z',
    format: 'date-time',
  })
  start!: string;

  @ApiProperty({
    description: 'Window end, ISO 8601 UTC.',
    example: '2026-11-02T05:00:00.000Z',
    format: 'date-time',
  })
  end!: string;
}

export class DeliveryDto {
  @ApiProperty({ description: 'Delivery id.', example: 'DLV-000101' })
  deliveryId!: string;

  @ApiProperty({
    description:
      'scheduled (booked, not yet dispatched), in_transit (with the carrier), delivered, or failed (an attempt that did not succeed).',
    enum: DELIVERY_STATUSES,
    example: 'in_transit',
  })
  status!: string;

  @ApiProperty({ description: 'Carrier handling the delivery.', example: 'GHN' })
  carrier!: string;

  @ApiProperty({
    description: 'Carrier tracking number; null until the parcel is handed to the carrier.',
    example: 'GHN1234567890',
    type: 'string',
    nullable: true,
  })
  trackingNumber!: string | null;

  @ApiProperty({
    description:
      'Planned delivery window. Times are UTC: Vietnam time is UTC+7 (01:00Z is 08:00 in Vietnam).',
    type: PlannedWindowDto,
  })
  plannedWindow!: PlannedWindowDto;

  @ApiProperty({
    description: "Delivery region; unknown when the core system's address names no known province.",
    enum: ANSWER_REGIONS,
    example: 'south',
  })
  region!: string;
}

export class DeliveryScheduleDto {
  @ApiProperty({ description: 'Sales order number.', example: 'SO-2026-000123' })
  orderNumber!: string;

  @ApiProperty({
    description:
      'Every delivery of the order, earliest window first; empty when none is planned yet.',
    type: [DeliveryDto],
  })
  deliveries!: DeliveryDto[];
}

export class DeliveryListItemDto extends DeliveryDto {
  @ApiProperty({ description: 'The order this delivery belongs to.', example: 'SO-2026-000123' })
  orderNumber!: string;
}

export class DeliveryListDto {
  @ApiProperty({
    description: 'Deliveries whose window starts in the range, ordered by window start.',
    type: [DeliveryListItemDto],
  })
  items!: DeliveryListItemDto[];

  @ApiProperty({
    description:
      'Pass this as cursor, with the same from/to/region, to get the next page; null on the last page.',
    example: 'eyJ2IjoxLCJ3cyI6IjIwMjYtMTEtMDJUMDE6MDA6MDAuMDAwWiJ9',
    type: 'string',
    nullable: true,
  })
  nextCursor!: string | null;
}
