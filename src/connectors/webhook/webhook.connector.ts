import type { SystemConnector } from '../connector-registry.js';

/** Filled in by the webhook adapters. */
export const webhookConnector: SystemConnector = {};
