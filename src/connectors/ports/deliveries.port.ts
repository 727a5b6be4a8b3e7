export type DeliveryStatus = 'scheduled' | 'in_transit' | 'delivered' | 'failed';

export interface DeliveryRecord {
  id: string;
  orderNumber: string;
  status: DeliveryStatus;
  carrier: string;
  trackingNumber: string | null;
  windowStart: Date;
  windowEnd: Date;
  region: string;
}

export interface DeliveryRange {
  from: Date;
  to: Date;
  region?: string;
  /** Keyset position: list strictly after (windowStart, id). */
  after?: { windowStart: Date; id: string };
  limit: number;
}

export abstract class DeliveriesPort {
  abstract forOrder(orderNumber: string): Promise<DeliveryRecord[]>;
  /** Deliveries whose window starts in [from, to), ordered by (windowStart, id). */
  abstract list(range: DeliveryRange): Promise<DeliveryRecord[]>;
}
