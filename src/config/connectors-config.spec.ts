import 'reflect-metadata';
import { describe, expect, it } from '@jest/globals';
import { loadConfig } from './app-config.js';
import { plainHttpWarnings } from './connectors-config.js';
import { configError } from '../../test/utils/config-error.js';

describe('connector configuration', () => {
  it('binds every capability to the embedded store by default, with no system settings', () => {
    const { connectors } = loadConfig({});
    expect(connectors.bindings).toEqual({
      inventory: 'embedded',
      orders: 'embedded',
      deliveries: 'embedded',
      tickets: 'embedded',
      leads: 'embedded',
      notifications: 'embedded',
    });
    expect(connectors.upstream).toEqual({
      timeoutMs: 5_000,
      readRetries: 2,
      breakerFailures: 5,
      breakerHalfOpenMs: 30_000,
    });
    expect(connectors.odoo).toBeUndefined();
  });

  it('reads the settings of a bound system, trimming trailing slashes from its URL', () => {
    const { connectors } = loadConfig({
      CONNECTOR_INVENTORY: 'odoo',
      CONNECTOR_TICKETS: 'jira',
      ODOO_URL: 'https://erp.example.vn/',
      ODOO_DB: 'prod',
      ODOO_USERNAME: 'gatehouse@example.vn',
      ODOO_API_KEY: 'odoo-key',
      JIRA_URL: 'https://example.atlassian.net',
      JIRA_EMAIL: 'bot@example.vn',
      JIRA_API_TOKEN: 'jira-token',
      JIRA_PROJECT_KEY: 'OPS',
      UPSTREAM_READ_RETRIES: '0',
    });
    expect(connectors.bindings).toMatchObject({ inventory: 'odoo', tickets: 'jira' });
    expect(connectors.odoo).toEqual({
      url: 'https://erp.example.vn',
      database: 'prod',
      username: 'gatehouse@example.vn',
      apiKey: 'odoo-key',
      ticketModel: 'helpdesk.ticket',
    });
    expect(connectors.jira).toMatchObject({ projectKey: 'OPS', issueType: 'Task' });
    expect(connectors.upstream.readRetries).toBe(0);
    // Settings of systems nothing is bound to are not kept.
    expect(connectors.erpnext).toBeUndefined();
  });

  it('names every missing setting of a bound system', () => {
    const message = configError({ CONNECTOR_LEADS: 'erpnext', ERPNEXT_URL: 'https://erp.vn' });
    expect(message).toContain('ERPNEXT_API_KEY: required when a CONNECTOR_* variable is erpnext');
    expect(message).toContain('ERPNEXT_API_SECRET');
    expect(message).not.toContain('ERPNEXT_URL:');
  });

  it('refuses a system that cannot serve the capability', () => {
    expect(configError({ CONNECTOR_NOTIFICATIONS: 'jira' })).toContain('CONNECTOR_NOTIFICATIONS');
    expect(configError({ CONNECTOR_INVENTORY: 'webhook' })).toContain('CONNECTOR_INVENTORY');
  });

  it('refuses URLs that are not http(s), short webhook secrets and out-of-range limits', () => {
    const message = configError({
      CONNECTOR_NOTIFICATIONS: 'webhook',
      NOTIFY_WEBHOOK_URL: 'ftp://hooks.example.vn',
      NOTIFY_WEBHOOK_SECRET: 'too-short',
      UPSTREAM_TIMEOUT_MS: '10',
    });
    expect(message).toContain('NOTIFY_WEBHOOK_URL must be an http:// or https:// URL');
    expect(message).toContain('NOTIFY_WEBHOOK_SECRET must be at least 32 characters');
    expect(message).toContain('UPSTREAM_TIMEOUT_MS');
  });

  it('refuses base URLs every call would fail on: credentials, a query, a fragment, a bad port', () => {
    const odoo = {
      CONNECTOR_INVENTORY: 'odoo',
      ODOO_DB: 'prod',
      ODOO_USERNAME: 'bot@example.vn',
      ODOO_API_KEY: 'odoo-api-key-for-config-tests',
    };
    for (const url of [
      'https://admin:hunter2@erp.example.vn',
      'https://erp.example.vn/?db=prod',
      'https://erp.example.vn/#top',
      'https://erp.example.vn?',
      'http://erp.example.vn:99999',
    ]) {
      const message = configError({ ...odoo, ODOO_URL: url });
      expect(message).toContain(
        'ODOO_URL must be an http:// or https:// URL without credentials, query or fragment',
      );
      expect(message).not.toContain('hunter2');
    }
    expect(() =>
      loadConfig({ ...odoo, ODOO_URL: 'https://erp.example.vn:8069/odoo/' }),
    ).not.toThrow();
    // The webhook URL is posted to as it is: a signature in its query is the receiver's business.
    const webhook = {
      CONNECTOR_NOTIFICATIONS: 'webhook',
      NOTIFY_WEBHOOK_SECRET: 'a-webhook-secret-of-at-least-32-chars',
    };
    expect(
      loadConfig({ ...webhook, NOTIFY_WEBHOOK_URL: 'https://hooks.example.vn/flow?sig=abc' })
        .connectors.webhook?.url,
    ).toBe('https://hooks.example.vn/flow?sig=abc');
    expect(
      configError({ ...webhook, NOTIFY_WEBHOOK_URL: 'https://u:p@hooks.example.vn/flow' }),
    ).toContain(
      'NOTIFY_WEBHOOK_URL must be an http:// or https:// URL without credentials or fragment',
    );
  });

  it('warns about each core system reached over plain http:// beyond this host', () => {
    const config = loadConfig({
      CONNECTOR_TICKETS: 'jira',
      JIRA_URL: 'http://jira.example.vn',
      JIRA_EMAIL: 'bot@example.vn',
      JIRA_API_TOKEN: 'jira-token-for-config-tests',
      JIRA_PROJECT_KEY: 'OPS',
      CONNECTOR_NOTIFICATIONS: 'webhook',
      NOTIFY_WEBHOOK_URL: 'http://127.0.0.1:9000/hook',
      NOTIFY_WEBHOOK_SECRET: 'a-webhook-secret-of-at-least-32-chars',
    });
    expect(plainHttpWarnings(config.connectors)).toEqual([
      'JIRA_URL uses plain http:// to jira.example.vn: credentials and data travel unencrypted',
    ]);
  });

  it('reads the ERPNext site time zone, UTC by default', () => {
    const erpnext = {
      CONNECTOR_ORDERS: 'erpnext',
      ERPNEXT_URL: 'https://erp.example.vn',
      ERPNEXT_API_KEY: 'key',
      ERPNEXT_API_SECRET: 'secret',
    };
    expect(loadConfig(erpnext).connectors.erpnext?.timeZone).toBe('UTC');
    expect(
      loadConfig({ ...erpnext, ERPNEXT_TIME_ZONE: 'Asia/Ho_Chi_Minh' }).connectors.erpnext,
    ).toEqual({
      url: 'https://erp.example.vn',
      apiKey: 'key',
      apiSecret: 'secret',
      timeZone: 'Asia/Ho_Chi_Minh',
    });
  });

  it('refuses a time zone that Intl does not know, or an offset, naming the variable', () => {
    for (const zone of ['Asia/Hanoi', 'GMT+7:00', 'Vietnam Standard Time']) {
      expect(configError({ ERPNEXT_TIME_ZONE: zone })).toContain(
        'ERPNEXT_TIME_ZONE: ERPNEXT_TIME_ZONE must be an IANA time zone name',
      );
    }
  });

  it('puts tasks in ODOO_TICKET_PROJECT_ID and tickets in ODOO_HELPDESK_TEAM_ID', () => {
    const odoo = {
      CONNECTOR_TICKETS: 'odoo',
      ODOO_URL: 'https://erp.example.vn',
      ODOO_DB: 'prod',
      ODOO_USERNAME: 'gatehouse@example.vn',
      ODOO_API_KEY: 'odoo-key',
    };
    const tasks = loadConfig({
      ...odoo,
      ODOO_TICKET_MODEL: 'project.task',
      ODOO_TICKET_PROJECT_ID: '12',
    });
    expect(tasks.connectors.odoo).toMatchObject({
      ticketModel: 'project.task',
      ticketProjectId: 12,
    });
    expect(tasks.connectors.odoo).not.toHaveProperty('helpdeskTeamId');
    const tickets = loadConfig({ ...odoo, ODOO_HELPDESK_TEAM_ID: '3' });
    expect(tickets.connectors.odoo).toMatchObject({
      ticketModel: 'helpdesk.ticket',
      helpdeskTeamId: 3,
    });
    expect(tickets.connectors.odoo).not.toHaveProperty('ticketProjectId');
    // An id for the other model is a misconfiguration, not something to ignore.
    expect(configError({ ...odoo, ODOO_TICKET_PROJECT_ID: '12' })).toContain(
      'ODOO_TICKET_PROJECT_ID: applies only when ODOO_TICKET_MODEL is project.task',
    );
    expect(
      configError({ ...odoo, ODOO_TICKET_MODEL: 'project.task', ODOO_HELPDESK_TEAM_ID: '3' }),
    ).toContain('ODOO_HELPDESK_TEAM_ID: applies only when ODOO_TICKET_MODEL is helpdesk.ticket');
  });

  it('refuses a project or team id that is not a positive integer', () => {
    for (const id of ['abc', '12.5', '0', '-4', '2147483648']) {
      const message = configError({
        ODOO_TICKET_MODEL: 'project.task',
        ODOO_TICKET_PROJECT_ID: id,
        ODOO_HELPDESK_TEAM_ID: id,
      });
      expect(message).toContain(
        'ODOO_TICKET_PROJECT_ID: ODOO_TICKET_PROJECT_ID must be the positive integer id of a project.project record',
      );
      expect(message).toContain('ODOO_HELPDESK_TEAM_ID must be the positive integer id');
    }
  });

  it('never echoes a secret value in its error', () => {
    const message = configError({
      CONNECTOR_TICKETS: 'jira',
      JIRA_URL: 'not a url',
      JIRA_API_TOKEN: 'jira-secret-token-value',
    });
    expect(message).not.toContain('jira-secret-token-value');
  });
});
