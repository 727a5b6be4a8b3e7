import type { SystemConnector } from '../connector-registry.js';

/** Filled in by the jira adapters. */
export const jiraConnector: SystemConnector = {};
