import type { JiraSettings } from '../../config/connectors-config.js';
import type { ConnectorProbe } from '../../health/connectors.health.js';
import { UpstreamStatusError, type UpstreamHttp } from '../http/upstream-http.js';
import { TicketsPort, type SinkDelivery, type SinkReceipt } from '../ports/sinks.port.js';
import { UpstreamError } from '../ports/upstream.error.js';
import { jiraDeliveryError } from './jira-delivery-error.js';
import { messageLabel, toIssueFields } from './jira-issue.mapper.js';

/** Jira Cloud's search; the older `/search` is gone there but is all Data Center has. */
const ENHANCED_SEARCH = '/rest/api/2/search/jql';
const LEGACY_SEARCH = '/rest/api/2/search';
const ISSUE_KEY = /^[A-Z][A-Z0-9_]*-[1-9][0-9]*$/;

interface FoundIssues {
  issues?: { id?: unknown; key?: unknown }[];
}

interface CreatedIssue {
  id?: unknown;
  key?: unknown;
}

/**
 * Tickets as Jira issues (REST v2, `POST /rest/api/2/issue`). Idempotent on
 * the outbox message id: the issue carries it as a label, and every delivery
 * searches for that label before creating anything.
 */
export class JiraTicketsAdapter extends TicketsPort implements ConnectorProbe {
  private searchPath = ENHANCED_SEARCH;

  constructor(
    private readonly http: UpstreamHttp,
    private readonly settings: JiraSettings,
  ) {
    super();
  }

  async createTicket(delivery: SinkDelivery): Promise<SinkReceipt> {
    const fields = toIssueFields(this.settings, delivery);
    const existing = await this.find(messageLabel(delivery.messageId)).catch((error: unknown) => {
      throw jiraDeliveryError(error, 'search for an earlier delivery');
    });
    if (existing) return { reference: existing };
    const created = await this.http
      .request<CreatedIssue>({
        operation: 'issue.create',
        method: 'POST',
        path: '/rest/api/2/issue',
        body: { fields },
        idempotent: false,
      })
      .catch((error: unknown) => {
        throw jiraDeliveryError(error, 'create the issue');
      });
    const key = created.body.key;
    // Retried rather than trusted: the next delivery finds the issue by its label.
    if (typeof key !== 'string' || !ISSUE_KEY.test(key))
      throw new UpstreamError('jira', 'issue.create');
    return { reference: key };
  }

  /** Readiness: `myself` also proves the credentials, which `serverInfo` does not. */
  async ping(signal: AbortSignal): Promise<void> {
    await this.http.request({
      operation: 'myself',
      method: 'GET',
      path: '/rest/api/2/myself',
      idempotent: true,
      signal,
    });
  }

  private async find(label: string): Promise<string | undefined> {
    const jql = `project = "${this.settings.projectKey}" AND labels = "${label}"`;
    const query = { jql, fields: 'summary', maxResults: 1 };
    let found;
    try {
      found = await this.search(this.searchPath, query);
    } catch (error) {
      if (!(error instanceof UpstreamStatusError) || error.upstreamStatus !== 404) throw error;
      if (this.searchPath === LEGACY_SEARCH) throw error;
      // Data Center has no enhanced search. Cloud has no old one (410), and a proxy may answer
      // one 404 for the enhanced search: the old endpoint is kept only once it has worked, and
      // otherwise the 404 stands (retried later), not the old endpoint's refusal.
      found = await this.search(LEGACY_SEARCH, query).catch(() => {
        throw error;
      });
      this.searchPath = LEGACY_SEARCH;
    }
    const issue = found.issues?.[0];
    if (!issue) return undefined;
    if (typeof issue.key === 'string' && ISSUE_KEY.test(issue.key)) return issue.key;
    // Found but without a usable key: its id still beats creating a duplicate.
    if (typeof issue.id === 'string' && /^[0-9]+$/.test(issue.id)) return issue.id;
    throw new UpstreamError('jira', 'search');
  }

  private async search(path: string, query: Record<string, string | number>): Promise<FoundIssues> {
    const response = await this.http.request<FoundIssues | string | null>({
      operation: 'search',
      method: 'GET',
      path,
      query,
      idempotent: true,
    });
    const body = response.body;
    if (body === null || typeof body !== 'object') throw new UpstreamError('jira', 'search');
    return body;
  }
}
