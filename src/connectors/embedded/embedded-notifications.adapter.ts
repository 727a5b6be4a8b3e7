import { Injectable } from '@nestjs/common';
import { randomId } from '../../clients/credential-hasher.js';
import { Clock } from '../../common/clock.js';
import { PrismaService } from '../../database/prisma.service.js';
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

  async notify(
    channel: 'sales' | 'staff',
    { messageId, payload }: SinkDelivery,
  ): Promise<SinkReceipt> {
    // The message id is the key: a redelivery does not notify anyone twice.
    const record = await this.prisma.embeddedSinkRecord.upsert({
      where: { messageId },
      create: {
        messageId,
        sink: `notifications.${channel}`,
        reference: `NTF-${randomId(8).toUpperCase()}`,
        payload: JSON.stringify(payload),
        receivedAt: this.clock.now(),
      },
      update: {},
    });
    return { reference: record.reference };
  }
}
