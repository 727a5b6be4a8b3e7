import type { Provider } from '@nestjs/common';

/** Binds the sink ports (tickets, CRM leads, notifications) to the embedded store. */
export const EMBEDDED_SINK_PROVIDERS: Provider[] = [];
