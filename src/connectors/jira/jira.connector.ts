import type { SystemConnector } from '../connector-registry.js';
import { jiraHttp, jiraSettings } from './jira-http.js';
import { JiraTicketsAdapter } from './jira-tickets.adapter.js';

/** Jira serves tickets only (SPEC §6); see docs/connectors/jira.md. */
export const jiraConnector: SystemConnector = {
  tickets: (context) => new JiraTicketsAdapter(jiraHttp(context), jiraSettings(context)),
};
