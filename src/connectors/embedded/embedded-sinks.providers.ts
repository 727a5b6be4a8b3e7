import type { Provider } from '@nestjs/common';
import { CrmLeadsPort, NotificationsPort, TicketsPort } from '../ports/sinks.port.js';
import { EmbeddedCrmAdapter } from './embedded-crm.adapter.js';
import { EmbeddedNotificationsAdapter } from './embedded-notifications.adapter.js';
import { EmbeddedTicketsAdapter } from './embedded-tickets.adapter.js';

/** Binds the sink ports (tickets, CRM leads, notifications) to the embedded store. */
export const EMBEDDED_SINK_PROVIDERS: Provider[] = [
  { provide: TicketsPort, useClass: EmbeddedTicketsAdapter },
  { provide: CrmLeadsPort, useClass: EmbeddedCrmAdapter },
  { provide: NotificationsPort, useClass: EmbeddedNotificationsAdapter },
];
