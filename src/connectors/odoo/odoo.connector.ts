import type { SystemConnector } from '../connector-registry.js';

/** Filled in by the odoo adapters. */
export const odooConnector: SystemConnector = {};
