import 'reflect-metadata';
import { inspect } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { SystemClock } from '../../src/common/clock.js';
import { loadConfig } from '../../src/config/app-config.js';
import { createConnectorContext } from '../../src/connectors/connector-registry.js';
import { UpstreamStatusError } from '../../src/connectors/http/upstream-http.js';
import { jiraConnector } from '../../src/connectors/jira/jira.connector.js';
import type { JiraTicketsAdapter } from '../../src/connectors/jira/jira-tickets.adapter.js';
import {
  PermanentDeliveryError,
  type SinkDelivery,
} from '../../src/connectors/ports/sinks.port.js';
import { UpstreamError } from '../../src/connectors/ports/upstream.error.js';
import { TEST_SECRETS_ENV } from '../utils/template-db.js';
import { JiraFake, type JiraFakeOptions } from './fakes/jira-fake.js';
import { failure } from './fakes/failure.js';

const EMAIL = 'gatehouse-bot@example.vn';
const TOKEN = 'ATATT3xFfGF0-jira-api-token-for-contract-tests-only';
const PROJECT = 'ED';

/** What InternalRequestsService enqueues on `ticket.create`. */
function ticket(messageId: string, overrides: Record<string, unknown> = {}): SinkDelivery {
  return {
    messageId,
    payload: {
      requestId: 'IR-4F7KQ2MXAB12',
      type: 'stock_transfer',
      summary: 'Move 20 ergonomic chairs from Hà Nội to Đà Nẵng',
      description: 'Customer order SO-2026-000123 needs them by Friday.',
      priority: 'high',
      requester: { name: 'Trần Thị Mai', email: 'mai.tran@example.vn', team: 'Sales Đà Nẵng' },
      relatedOrderNumber: 'SO-2026-000123',
      relatedSku: 'CHAIR-ERGO-01',
      conversationId: 'conv-42',
      source: { clientId: 'cli_sales_agent' },
      createdAt: '2026-03-02T08:15:00.000Z',
      ...overrides,
    },
  };
}

function expectNoSecrets(error: unknown, fake: JiraFake): void {
  const text = `${String(error)} ${inspect(error, { depth: 6 })}`;
  expect(text).not.toContain(TOKEN);
  expect(text).not.toContain(Buffer.from(`${EMAIL}:${TOKEN}`).toString('base64'));
  expect(text).not.toContain(fake.url);
  expect(text).not.toContain('127.0.0.1');
}

describe('Jira tickets connector (contract)', () => {
  let fake: JiraFake;

  const start = async (options: Partial<JiraFakeOptions> = {}): Promise<void> => {
    fake = await new JiraFake({
      email: EMAIL,
      apiToken: TOKEN,
      projectKey: PROJECT,
      ...options,
    }).start();
  };

  /** A fresh app context each time: its own client and circuit breaker. */
  const adapter = (env: Record<string, string> = {}): JiraTicketsAdapter => {
    const config = loadConfig({
      ...TEST_SECRETS_ENV,
      CONNECTOR_TICKETS: 'jira',
      JIRA_URL: `${fake.url}/`,
      JIRA_EMAIL: EMAIL,
      JIRA_API_TOKEN: TOKEN,
      JIRA_PROJECT_KEY: PROJECT,
      UPSTREAM_TIMEOUT_MS: '300',
      UPSTREAM_READ_RETRIES: '0',
      ...env,
    });
    const create = jiraConnector.tickets!;
    return create(createConnectorContext(config, new SystemClock())) as JiraTicketsAdapter;
  };

  beforeEach(async () => start());
  afterEach(async () => fake.stop());

  it('creates an issue with Basic auth, the project, issue type, summary, description and labels', async () => {
    const receipt = await adapter().createTicket(
      ticket('msg_0195f1c2-0000-7000-8000-000000000001'),
    );

    expect(receipt).toEqual({ reference: 'ED-1' });
    const [create] = fake.calls('/rest/api/2/issue');
    expect(create?.method).toBe('POST');
    expect(create?.authorization).toBe(
      `Basic ${Buffer.from(`${EMAIL}:${TOKEN}`).toString('base64')}`,
    );
    expect(fake.issues).toHaveLength(1);
    const { fields } = fake.issues[0];
    expect(fields).toEqual({
      project: { key: 'ED' },
      issuetype: { name: 'Task' },
      summary: 'Move 20 ergonomic chairs from Hà Nội to Đà Nẵng',
      description: expect.any(String),
      labels: [
        'gatehouse',
        'gatehouse-msg_0195f1c2-0000-7000-8000-000000000001',
        'gatehouse-type-stock_transfer',
        'gatehouse-priority-high',
      ],
    });
    expect(fields.description).toContain(
      '{noformat}\nCustomer order SO-2026-000123 needs them by Friday.\n{noformat}',
    );
    expect(fields.description).toContain(
      '* *Requested by:* Trần Thị Mai <mai.tran@example.vn> (Sales Đà Nẵng)',
    );
    expect(fields.description).toContain('* *Related order:* SO-2026-000123');
    expect(fields.description).toContain('* *Gatehouse request:* IR-4F7KQ2MXAB12');
  });

  it('uses JIRA_ISSUE_TYPE', async () => {
    await fake.stop();
    await start({ issueTypes: ['Service Request'] });
    await adapter({ JIRA_ISSUE_TYPE: 'Service Request' }).createTicket(ticket('msg_type'));
    expect(fake.issues[0]?.fields.issuetype).toEqual({ name: 'Service Request' });
  });

  it('keeps the summary on one line and within 255 characters', async () => {
    const summary = `Line one\r\nline two\t${'ổ'.repeat(300)}`;
    await adapter().createTicket(ticket('msg_long', { summary }));
    const created = fake.issues[0].fields.summary;
    expect(created.length).toBeLessThanOrEqual(255);
    expect(created).toMatch(/^Line one line two ổ+…$/);
  });

  it('shows agent text verbatim instead of rendering its wiki markup', async () => {
    await adapter().createTicket(
      ticket('msg_markup', {
        description: 'See [here|http://evil.example] {noformat} !http://evil.example/x.png!',
        requester: { name: '[click|http://evil.example]' },
      }),
    );
    const description = fake.issues[0].fields.description!;
    // Exactly one noformat block: the text cannot close it early.
    expect(description.match(/\{noformat\}/g)).toHaveLength(2);
    expect(description).toContain('* *Requested by:* \\[click\\|http://evil.example\\]');
  });

  it('redelivering the same message returns the first issue instead of creating another', async () => {
    const jira = adapter();
    const first = await jira.createTicket(ticket('msg_same'));
    const again = await jira.createTicket(ticket('msg_same'));
    const fromAnotherInstance = await adapter().createTicket(ticket('msg_same'));

    expect(again).toEqual(first);
    expect(fromAnotherInstance).toEqual(first);
    expect(fake.issues).toHaveLength(1);
    expect(fake.calls('/rest/api/2/issue')).toHaveLength(1);
    const [search] = fake.calls('/rest/api/2/search/jql');
    expect(search?.query.get('jql')).toBe('project = "ED" AND labels = "gatehouse-msg_same"');
  });

  it('finds an issue whose creation answer was lost (created, then the call timed out)', async () => {
    fake.failNext('/rest/api/2/issue', { hang: true });
    const lost = await failure(adapter().createTicket(ticket('msg_lost')));
    expect(lost).toBeInstanceOf(UpstreamError);
    // Jira did create it; the hang only lost the answer.
    fake.issues.push({
      id: '10500',
      key: 'ED-77',
      fields: {
        project: { key: 'ED' },
        issuetype: { name: 'Task' },
        summary: 'Move 20 ergonomic chairs',
        labels: ['gatehouse', 'gatehouse-msg_lost'],
      },
    });
    await expect(adapter().createTicket(ticket('msg_lost'))).resolves.toEqual({
      reference: 'ED-77',
    });
    expect(fake.issues).toHaveLength(1);
  });

  it('uses the Data Center search when the enhanced one does not exist, and remembers it', async () => {
    await fake.stop();
    await start({ flavour: 'datacenter' });
    const jira = adapter();
    const first = await jira.createTicket(ticket('msg_dc'));
    await expect(jira.createTicket(ticket('msg_dc'))).resolves.toEqual(first);

    expect(fake.issues).toHaveLength(1);
    expect(fake.calls('/rest/api/2/search/jql')).toHaveLength(1);
    expect(fake.calls('/rest/api/2/search')).toHaveLength(2);
  });

  it('on Cloud, one 404 from the enhanced search (a proxy) is retried, and does not switch to the old search', async () => {
    const jira = adapter();
    fake.failNext('/rest/api/2/search/jql', { status: 404, body: 'Not Found' });
    const error = await failure(jira.createTicket(ticket('msg_proxy_404')));
    expect(error).toBeInstanceOf(UpstreamError);
    expect(error).not.toBeInstanceOf(PermanentDeliveryError);
    expect(fake.calls('/rest/api/2/search')).toHaveLength(1); // tried once; Cloud answers 410

    // The next delivery, and every later one, uses the enhanced search again.
    await expect(jira.createTicket(ticket('msg_proxy_404'))).resolves.toEqual({
      reference: expect.stringMatching(/^ED-\d+$/),
    });
    await expect(jira.createTicket(ticket('msg_after'))).resolves.toEqual({
      reference: expect.stringMatching(/^ED-\d+$/),
    });
    expect(fake.calls('/rest/api/2/search')).toHaveLength(1);
    expect(fake.issues).toHaveLength(2);
  });

  it('a 400 with field errors is a PermanentDeliveryError naming only the fields', async () => {
    const error = await failure(
      adapter({ JIRA_ISSUE_TYPE: 'Epic' }).createTicket(ticket('msg_400')),
    );

    expect(error).toBeInstanceOf(PermanentDeliveryError);
    expect((error as Error).message).toBe(
      'jira refused to create the issue (status 400, fields: issuetype)',
    );
    expect((error as Error).message).not.toContain('valid issue type');
    expectNoSecrets(error, fake);
    expect(fake.issues).toHaveLength(0);
  });

  it.each([500, 502, 503])('a %i is an UpstreamError the outbox retries', async (status) => {
    fake.failNext('/rest/api/2/issue', {
      status,
      body: { errorMessages: ['Internal server error'] },
    });
    const jira = adapter();
    const error = await failure(jira.createTicket(ticket('msg_5xx')));

    expect(error).toBeInstanceOf(UpstreamError);
    expect(error).not.toBeInstanceOf(PermanentDeliveryError);
    expect((error as UpstreamError).upstreamStatus).toBe(status);
    expectNoSecrets(error, fake);
    await expect(jira.createTicket(ticket('msg_5xx'))).resolves.toEqual({ reference: 'ED-1' });
  });

  it('a Jira that does not answer is an UpstreamError after UPSTREAM_TIMEOUT_MS', async () => {
    fake.failNext('/rest/api/2/issue', { hang: true });
    const error = await failure(adapter().createTicket(ticket('msg_slow')));

    expect(error).toBeInstanceOf(UpstreamError);
    expect((error as UpstreamError).upstreamStatus).toBeUndefined();
    expectNoSecrets(error, fake);
  });

  it('a 429 with Retry-After is retryable, not a refusal', async () => {
    fake.failNext('/rest/api/2/issue', {
      status: 429,
      headers: { 'retry-after': '30' },
      body: { errorMessages: ['Rate limit exceeded.'] },
    });
    const error = await failure(adapter().createTicket(ticket('msg_429')));

    expect(error).toBeInstanceOf(UpstreamStatusError);
    expect((error as UpstreamStatusError).upstreamStatus).toBe(429);
    expect(error).not.toBeInstanceOf(PermanentDeliveryError);
  });

  it('bad credentials (401) stay retryable: fixing JIRA_API_TOKEN delivers the backlog', async () => {
    const error = await failure(
      adapter({ JIRA_API_TOKEN: 'wrong-token' }).createTicket(ticket('msg_401')),
    );

    expect(error).toBeInstanceOf(UpstreamStatusError);
    expect((error as UpstreamStatusError).upstreamStatus).toBe(401);
    expect(error).not.toBeInstanceOf(PermanentDeliveryError);
    expect(inspect(error)).not.toContain('wrong-token');
    await expect(adapter().createTicket(ticket('msg_401'))).resolves.toEqual({ reference: 'ED-1' });
  });

  it('an unknown project (400 on the search) is permanent', async () => {
    const error = await failure(
      adapter({ JIRA_PROJECT_KEY: 'NOPE' }).createTicket(ticket('msg_p')),
    );
    expect(error).toBeInstanceOf(PermanentDeliveryError);
    expect((error as Error).message).toBe(
      'jira refused to search for an earlier delivery (status 400)',
    );
  });

  describe('ping (readiness)', () => {
    it('asks /rest/api/2/myself with the credentials', async () => {
      await expect(adapter().ping(AbortSignal.timeout(2_000))).resolves.toBeUndefined();
      expect(fake.calls('/rest/api/2/myself')).toHaveLength(1);
    });

    it('fails with bad credentials, without them in the error', async () => {
      const error = await failure(
        adapter({ JIRA_API_TOKEN: 'wrong-token' }).ping(AbortSignal.timeout(2_000)),
      );
      expect(error).toBeInstanceOf(UpstreamError);
      expect((error as UpstreamError).upstreamStatus).toBe(401);
      expect(inspect(error)).not.toContain('wrong-token');
    });

    it('gives up when the probe deadline passes', async () => {
      fake.failNext('/rest/api/2/myself', { hang: true });
      const error = await failure(
        adapter({ UPSTREAM_TIMEOUT_MS: '5000' }).ping(AbortSignal.timeout(200)),
      );
      expect(error).toBeInstanceOf(UpstreamError);
    });
  });
});
