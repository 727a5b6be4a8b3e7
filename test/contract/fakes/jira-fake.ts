import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readAll } from './read-body.js';

/** An issue as the fake Jira stores it. */
export interface FakeIssue {
  id: string;
  key: string;
  fields: {
    project: { key: string };
    issuetype: { name: string };
    summary: string;
    description?: string;
    labels: string[];
  };
}

/** A canned answer for the next matching request, in place of the normal one. */
export interface Fault {
  status?: number;
  body?: unknown;
  headers?: Record<string, string>;
  /** Never answer (a Jira that hangs). */
  hang?: boolean;
}

export interface JiraFakeOptions {
  email: string;
  apiToken: string;
  projectKey: string;
  issueTypes?: string[];
  /** Cloud has the enhanced `/search/jql` and no longer `/search`; Data Center the opposite. */
  flavour?: 'cloud' | 'datacenter';
}

export interface RecordedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  authorization: string | undefined;
  body: unknown;
}

/**
 * A local Jira that speaks the REST v2 shapes the Jira connector uses: Basic
 * auth, `POST /rest/api/2/issue` with field validation (400 `errors` map),
 * JQL search by project and label, `myself` and `serverInfo`.
 */
export class JiraFake {
  readonly issues: FakeIssue[] = [];
  readonly requests: RecordedRequest[] = [];
  private readonly faults: { path: string; fault: Fault }[] = [];
  private readonly hanging = new Set<ServerResponse>();
  private server: Server | null = null;
  private nextId = 10000;
  url = '';

  constructor(private readonly options: JiraFakeOptions) {}

  async start(): Promise<this> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    for (const res of this.hanging) res.destroy();
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }

  /** The next request to `path` gets `fault` instead of its normal answer. */
  failNext(path: string, fault: Fault): void {
    this.faults.push({ path, fault });
  }

  /** Requests to `path`, e.g. `/rest/api/2/issue`. */
  calls(path: string): RecordedRequest[] {
    return this.requests.filter((r) => r.path === path);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://jira.test');
    const raw = await readAll(req);
    let body: unknown = undefined;
    if (raw !== '') {
      if (!(req.headers['content-type'] ?? '').startsWith('application/json')) {
        return send(res, 415, { errorMessages: ['Unsupported Media Type'], errors: {} });
      }
      try {
        body = JSON.parse(raw);
      } catch {
        return send(res, 400, { errorMessages: ['Unexpected character'], errors: {} });
      }
    }
    this.requests.push({
      method: req.method ?? '',
      path: url.pathname,
      query: url.searchParams,
      authorization: req.headers.authorization,
      body,
    });

    const index = this.faults.findIndex((f) => f.path === url.pathname);
    if (index >= 0) {
      const [{ fault }] = this.faults.splice(index, 1);
      if (fault.hang) {
        this.hanging.add(res);
        return;
      }
      return send(
        res,
        fault.status ?? 500,
        fault.body ?? { errorMessages: ['boom'] },
        fault.headers,
      );
    }

    const expected = `Basic ${Buffer.from(`${this.options.email}:${this.options.apiToken}`).toString('base64')}`;
    if (req.headers.authorization !== expected) {
      return send(res, 401, {
        errorMessages: [
          'You are not authenticated. Authentication required to perform this operation.',
        ],
        errors: {},
      });
    }

    const flavour = this.options.flavour ?? 'cloud';
    const route = `${req.method} ${url.pathname}`;
    switch (route) {
      case 'GET /rest/api/2/myself':
        return send(res, 200, {
          accountId: '5b10a2844c20165700ede21g',
          emailAddress: this.options.email,
          displayName: 'Gatehouse bot',
          active: true,
        });
      case 'GET /rest/api/2/serverInfo':
        return send(res, 200, { baseUrl: this.url, version: '1001.0.0', deploymentType: 'Cloud' });
      case 'POST /rest/api/2/issue':
        return this.create(res, body);
      case 'GET /rest/api/2/search/jql':
        if (flavour !== 'cloud') break;
        return this.search(res, url.searchParams, 'enhanced');
      case 'GET /rest/api/2/search':
        if (flavour !== 'datacenter') {
          return send(res, 410, { errorMessages: ['The requested API has been removed.'] });
        }
        return this.search(res, url.searchParams, 'legacy');
    }
    send(res, 404, { errorMessages: ['Not found'] });
  }

  private create(res: ServerResponse, body: unknown): void {
    const fields = (body as { fields?: Record<string, unknown> } | undefined)?.fields ?? {};
    const errors: Record<string, string> = {};
    const project = (fields.project as { key?: unknown } | undefined)?.key;
    if (project !== this.options.projectKey) errors.project = 'valid project is required';
    const issueType = (fields.issuetype as { name?: unknown } | undefined)?.name;
    if (!(this.options.issueTypes ?? ['Task', 'Bug']).includes(String(issueType))) {
      errors.issuetype = 'valid issue type is required';
    }
    const summary = fields.summary;
    if (typeof summary !== 'string' || summary.trim() === '') {
      errors.summary = 'You must specify a summary of the issue.';
    } else if (summary.length > 255) {
      errors.summary = 'Summary must be less than 255 characters.';
    } else if (/[\r\n]/.test(summary)) {
      errors.summary = 'The summary is invalid because it contains newline characters.';
    }
    if (fields.description !== undefined && typeof fields.description !== 'string') {
      errors.description = 'Operation value must be a string';
    }
    const labels = fields.labels ?? [];
    if (!Array.isArray(labels) || labels.some((l) => typeof l !== 'string')) {
      errors.labels = 'Operation value must be a string';
    } else if (labels.some((l: string) => /\s/.test(l))) {
      errors.labels = "The label 'x y' contains spaces which is invalid.";
    } else if (labels.some((l: string) => l.length > 255)) {
      errors.labels = 'The label must not exceed 255 characters.';
    }
    for (const name of Object.keys(fields)) {
      if (!['project', 'issuetype', 'summary', 'description', 'labels'].includes(name)) {
        errors[name] =
          `Field '${name}' cannot be set. It is not on the appropriate screen, or unknown.`;
      }
    }
    if (Object.keys(errors).length > 0) return send(res, 400, { errorMessages: [], errors });

    const id = String(this.nextId++);
    const key = `${this.options.projectKey}-${this.issues.length + 1}`;
    this.issues.push({
      id,
      key,
      fields: {
        project: { key: project as string },
        issuetype: { name: String(issueType) },
        summary: summary as string,
        ...(typeof fields.description === 'string' && { description: fields.description }),
        labels: labels as string[],
      },
    });
    send(res, 201, { id, key, self: `${this.url}/rest/api/2/issue/${id}` });
  }

  /** Understands the one JQL shape the connector sends: `project = "X" AND labels = "Y"`. */
  private search(res: ServerResponse, query: URLSearchParams, kind: 'enhanced' | 'legacy'): void {
    const jql = query.get('jql') ?? '';
    const match = /^project = "([A-Z][A-Z0-9_]*)" AND labels = "([^"\s]+)"$/.exec(jql);
    if (!match) {
      return send(res, 400, { errorMessages: [`Error in the JQL Query: ${jql}`], errors: {} });
    }
    const [, project, label] = match;
    if (project !== this.options.projectKey) {
      return send(res, 400, {
        errorMessages: [`The value '${project}' does not exist for the field 'project'.`],
        errors: {},
      });
    }
    const max = Number(query.get('maxResults') ?? 50);
    const found = this.issues
      .filter((i) => i.fields.project.key === project && i.fields.labels.includes(label))
      .slice(0, max)
      .map((i) => ({
        id: i.id,
        key: i.key,
        self: `${this.url}/rest/api/2/issue/${i.id}`,
        fields: { summary: i.fields.summary },
      }));
    if (kind === 'enhanced') return send(res, 200, { issues: found, isLast: true });
    send(res, 200, {
      expand: 'names,schema',
      startAt: 0,
      maxResults: max,
      total: found.length,
      issues: found,
    });
  }
}

function send(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, { 'content-type': 'application/json;charset=UTF-8', ...headers });
  res.end(JSON.stringify(body));
}
