import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import type { Principal } from '../../auth/principal.js';
import { randomId } from '../../clients/credential-hasher.js';
import { Clock } from '../../common/clock.js';
import { normalizeEmail, normalizePhone } from '../../common/contact/normalize-contact.js';
import { GatehouseError } from '../../common/errors/gatehouse.error.js';
import { APP_CONFIG, type AppConfig } from '../../config/app-config.js';
import { SalesRepsPort, type SalesRep } from '../../connectors/ports/sales-reps.port.js';
import { CrmLeadsPort, NotificationsPort } from '../../connectors/ports/sinks.port.js';
import type { Lead } from '../../generated/sqlite/client.js';
import type { IdempotentOutcome, Transaction } from '../../idempotency/idempotency.service.js';
import { OutboxService } from '../../outbox/outbox.service.js';
import type { CreateLeadDto } from './dto/create-lead.dto.js';
import type { AssignedRepDto, LeadResultDto } from './dto/lead-result.dto.js';
import { assignLead } from './lead-assignment.js';
import { LeadsRepository } from './leads.repository.js';
import type { RequestContext } from '../../common/http/request-context.js';
import { forRequest, recordingInto } from '../../connectors/instrument-port.js';

/** What assignment needs from the sales-rep directory, read before the write transaction. */
export interface AssignmentContext {
  reps: SalesRep[];
  productLines: string[];
}

@Injectable()
export class LeadsService implements OnModuleInit {
  constructor(
    private readonly repository: LeadsRepository,
    private readonly outbox: OutboxService,
    private readonly salesReps: SalesRepsPort,
    private readonly crm: CrmLeadsPort,
    private readonly notifications: NotificationsPort,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    this.outbox.register('crm.lead', {
      deliver: (delivery, upstream) => recordingInto(this.crm, upstream).pushLead(delivery),
    });
    this.outbox.register('sales.notify', {
      deliver: (delivery, upstream) =>
        recordingInto(this.notifications, upstream).notify('sales', delivery),
    });
  }

  /** Reads the rep directory through its port; must run outside the write transaction. */
  async assignmentContext(
    dto: CreateLeadDto,
    request?: RequestContext,
  ): Promise<AssignmentContext> {
    const salesReps = forRequest(this.salesReps, request);
    const reps = await salesReps.activeReps();
    const skus = dto.interest?.skus ?? [];
    const productLines =
      this.config.leadAssignment === 'product_line' && skus.length > 0
        ? await salesReps.productLinesOf(skus)
        : [];
    return { reps, productLines };
  }

  /**
   * Returns the existing lead (200, duplicate) when the normalised email or
   * phone is known; otherwise creates, assigns and queues it for the CRM and
   * the sales team (201).
   */
  async create(
    tx: Transaction,
    principal: Principal,
    dto: CreateLeadDto,
    context: AssignmentContext,
  ): Promise<IdempotentOutcome<LeadResultDto>> {
    const email = dto.email === undefined ? null : normalizeEmail(dto.email);
    const phone = dto.phone === undefined ? null : normalizePhone(dto.phone);
    if (dto.phone !== undefined && phone === null) {
      throw new GatehouseError('validation_failed', {
        detail: 'The phone number is not valid.',
        errors: [{ field: 'phone', message: 'phone must be a valid phone number' }],
      });
    }
    const existing = await this.repository.findByContact(tx, { email, phone });
    if (existing) {
      return {
        status: 200,
        body: result(existing, true, repView(existing.assignedRepId, context.reps)),
      };
    }
    const skus = dto.interest?.skus ?? [];
    const rep = assignLead({
      strategy: this.config.leadAssignment,
      reps: context.reps,
      leadCount: await this.repository.nextAssignmentPosition(tx),
      region: dto.region ?? null,
      productLines: context.productLines,
    });
    const lead = await this.repository.create(tx, {
      id: `LD-${randomId(12).toUpperCase()}`,
      clientId: principal.clientId,
      name: dto.name.trim(),
      email,
      phone,
      company: dto.company ?? null,
      interestSkus: skus,
      interestNote: dto.interest?.note ?? null,
      channel: dto.channel,
      consent: dto.consent,
      conversationId: dto.conversationId ?? null,
      region: dto.region ?? null,
      assignedRepId: rep?.id ?? null,
      createdAt: this.clock.now(),
    });
    const details = {
      leadId: lead.id,
      name: lead.name,
      email: lead.email,
      phone: lead.phone,
      company: lead.company,
      interest: { skus, note: lead.interestNote },
      channel: lead.channel,
      consent: lead.consent,
      conversationId: lead.conversationId,
      region: lead.region,
      source: { clientId: principal.clientId, clientName: principal.clientName },
      createdAt: lead.createdAt.toISOString(),
    };
    const assignee = rep ? { id: rep.id, name: rep.name, email: rep.email } : null;
    await this.outbox.enqueueAll(tx, [
      {
        topic: 'crm.lead',
        aggregateId: lead.id,
        payload: { ...details, assignedRepId: rep?.id ?? null },
      },
      {
        topic: 'sales.notify',
        aggregateId: lead.id,
        payload: { event: 'lead.created', assignedTo: assignee, lead: details },
      },
    ]);
    return { status: 201, body: result(lead, false, rep ? { id: rep.id, name: rep.name } : null) };
  }
}

function result(lead: Lead, duplicate: boolean, assignedTo: AssignedRepDto | null): LeadResultDto {
  return { leadId: lead.id, duplicate, assignedTo, status: 'new' };
}

function repView(id: string | null, reps: readonly SalesRep[]): AssignedRepDto | null {
  const rep = id === null ? undefined : reps.find((r) => r.id === id);
  return rep ? { id: rep.id, name: rep.name } : null;
}
