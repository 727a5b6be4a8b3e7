import { Injectable } from '@nestjs/common';
import { Clock } from '../../common/clock.js';
import { PrismaService } from '../../database/prisma.service.js';
import { recordSinkDelivery } from './sink-records.js';
import { NotificationsPort, type SinkDelivery, type SinkReceipt } from '../ports/sinks.port.js';

/** The demo notification channel: each notification is a row keyed by the outbox message id. */
@Injectable()
export class EmbeddedNotificationsAdapter extends NotificationsPort {
  constructor(
    private readonly prisma: PrismaService,
    private readonly clock: Clock,
  ) {
    super();
  }

  async notify(channel: 'sales' | 'staff', delivery: SinkDelivery): Promise<SinkReceipt> {
    // The message id is the key: a redelivery does not notify anyone twice.
    return recordSinkDelivery(
      this.prisma,
      `notifications.${channel}`,
      'NTF',
      delivery,
      this.clock.now(),
    );
  }
}
