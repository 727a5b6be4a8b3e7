import type { SystemConnector } from '../connector-registry.js';

/** Filled in by the erpnext adapters. */
export const erpnextConnector: SystemConnector = {};
