import { Injectable } from '@nestjs/common';
import { randomId } from '../../clients/credential-hasher.js';
import { Clock } from '../../common/clock.js';
import { PrismaService } from '../../database/prisma.service.js';
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

  async pushLead({ messageId, payload }: SinkDelivery): Promise<SinkReceipt> {
    // The message id is the key: a redelivery returns the CRM lead created the first time.
    const record = await this.prisma.embeddedSinkRecord.upsert({
      where: { messageId },
      create: {
        messageId,
        sink: 'crm.leads',
        reference: `CRM-${randomId(8).toUpperCase()}`,
        payload: JSON.stringify(payload),
        receivedAt: this.clock.now(),
      },
      update: {},
    });
    return { reference: record.reference };
  }
}
