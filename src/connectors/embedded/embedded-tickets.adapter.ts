import { Injectable } from '@nestjs/common';
import { randomId } from '../../clients/credential-hasher.js';
import { Clock } from '../../common/clock.js';
import { PrismaService } from '../../database/prisma.service.js';
import { TicketsPort, type SinkDelivery, type SinkReceipt } from '../ports/sinks.port.js';

/** The demo help desk: a ticket is a row keyed by the outbox message id. */
@Injectable()
export class EmbeddedTicketsAdapter extends TicketsPort {
  constructor(
    private readonly prisma: PrismaService,
    private readonly clock: Clock,
  ) {
    super();
  }

  async createTicket({ messageId, payload }: SinkDelivery): Promise<SinkReceipt> {
    // The message id is the key: a redelivery returns the ticket created the first time.
    const record = await this.prisma.embeddedSinkRecord.upsert({
      where: { messageId },
      create: {
        messageId,
        sink: 'tickets',
        reference: `HD-${randomId(8).toUpperCase()}`,
        payload: JSON.stringify(payload),
        receivedAt: this.clock.now(),
      },
      update: {},
    });
    return { reference: record.reference };
  }
}
