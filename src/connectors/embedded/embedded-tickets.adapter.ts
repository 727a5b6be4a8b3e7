import { Injectable } from '@nestjs/common';
import { Clock } from '../../common/clock.js';
import { PrismaService } from '../../database/prisma.service.js';
import { recordSinkDelivery } from './sink-records.js';
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

  async createTicket(delivery: SinkDelivery): Promise<SinkReceipt> {
    // The message id is the key: a redelivery returns what the first delivery created.
    return recordSinkDelivery(this.prisma, 'tickets', 'HD', delivery, this.clock.now());
  }
}
