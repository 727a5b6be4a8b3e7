import { Injectable } from '@nestjs/common';
import { Clock } from '../../common/clock.js';
import { PrismaService } from '../../database/prisma.service.js';
import { recordSinkDelivery } from './sink-records.js';
import { CrmLeadsPort, type SinkDelivery, type SinkReceipt } from '../ports/sinks.port.js';

/** The demo CRM: a lead is a row keyed by the outbox message id. */
@Injectable()
export class EmbeddedCrmAdapter extends CrmLeadsPort {
  constructor(
    private readonly prisma: PrismaService,
    private readonly clock: Clock,
  ) {
    super();
  }

  async pushLead(delivery: SinkDelivery): Promise<SinkReceipt> {
    // The message id is the key: a redelivery returns what the first delivery created.
    return recordSinkDelivery(this.prisma, 'crm.leads', 'CRM', delivery, this.clock.now());
  }
}
