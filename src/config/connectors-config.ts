import { plainToInstance, Type } from 'class-transformer';
import { constraintMessages } from '../common/validation/constraint-messages.js';
import {
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsTimeZone,
  Matches,
  Max,
  Min,
  validateSync,
  ValidateBy,
  type ValidationError,
} from 'class-validator';

/** The core systems a capability can be bound to (SPEC §6). */
export type ConnectorSystem = 'embedded' | 'odoo' | 'erpnext' | 'jira' | 'webhook';

/** Which systems can serve each capability; `embedded` is the default everywhere. */
export const CAPABILITY_SYSTEMS = {
  inventory: ['embedded', 'odoo', 'erpnext'],
  orders: ['embedded', 'odoo', 'erpnext'],
  deliveries: ['embedded', 'odoo', 'erpnext'],
  tickets: ['embedded', 'odoo', 'erpnext', 'jira'],
  leads: ['embedded', 'odoo', 'erpnext'],
  notifications: ['embedded', 'webhook'],
} as const satisfies Record<string, readonly ConnectorSystem[]>;

export type Capability = keyof typeof CAPABILITY_SYSTEMS;
export type Bindings = { [C in Capability]: (typeof CAPABILITY_SYSTEMS)[C][number] };

export interface OdooSettings {
  url: string;
  database: string;
  username: string;
  /** An Odoo API key (or password) for `username`. */
  apiKey: string;
  /** Where tickets go: Helpdesk (Enterprise) or a Project task. */
  ticketModel: 'helpdesk.ticket' | 'project.task';
  /** `project.project` id for tasks (project.task only); without it tasks are private. */
  ticketProjectId?: number;
  /** `helpdesk.team` id for tickets (helpdesk.ticket only); without it Odoo picks a default team. */
  helpdeskTeamId?: number;
}

export interface ErpNextSettings {
  url: string;
  apiKey: string;
  apiSecret: string;
  /** IANA zone the site stores its zone-less dates and datetimes in (System Settings → Time Zone). */
  timeZone: string;
}

export interface JiraSettings {
  url: string;
  email: string;
  apiToken: string;
  projectKey: string;
  issueType: string;
}

export interface WebhookSettings {
  url: string;
  /** HMAC-SHA-256 key for the signature header. */
  secret: string;
}

export interface ConnectorsConfig {
  bindings: Bindings;
  /** Applied to every upstream HTTP call. */
  upstream: {
    timeoutMs: number;
    /** Extra attempts for reads after a transient failure; writes are retried by the outbox. */
    readRetries: number;
    /** Consecutive transient failures that open a system's circuit. */
    breakerFailures: number;
    /** How long an open circuit fails fast before letting one call through. */
    breakerHalfOpenMs: number;
  };
  odoo?: OdooSettings;
  erpnext?: ErpNextSettings;
  jira?: JiraSettings;
  webhook?: WebhookSettings;
}

/**
 * A core system's base URL: http(s), parsable (a port over 65535 is not), and
 * with no user:password (fetch refuses such URLs, so every call would fail
 * quietly), query or fragment (paths are appended to it). `query: true` is
 * for a URL used as it is (the webhook's: receivers may sign it with `?sig=`).
 */
function IsBaseUrl(options: { query?: boolean } = {}): PropertyDecorator {
  const refused = options.query ? /#/ : /[?#]/;
  return ValidateBy({
    name: 'isBaseUrl',
    validator: {
      validate: (value: unknown) => {
        if (typeof value !== 'string' || !/^https?:\/\/\S+$/.test(value) || refused.test(value)) {
          return false;
        }
        try {
          const url = new URL(value);
          return url.username === '' && url.password === '';
        } catch {
          return false;
        }
      },
      defaultMessage: (args) =>
        `${args?.property ?? 'URL'} must be an http:// or https:// URL without ${options.query ? 'credentials or fragment' : 'credentials, query or fragment'}`,
    },
  });
}

/** Odoo ids are PostgreSQL `integer` keys. */
const ODOO_MAX_ID = 2_147_483_647;
const ID_MESSAGE = (name: string, model: string): { message: string } => ({
  message: `${name} must be the positive integer id of a ${model} record`,
});

/** The connector part of the environment; `.env.example` documents each variable. */
export class ConnectorEnvironment {
  @IsOptional()
  @IsIn(CAPABILITY_SYSTEMS.inventory)
  CONNECTOR_INVENTORY: Bindings['inventory'] = 'embedded';

  @IsOptional()
  @IsIn(CAPABILITY_SYSTEMS.orders)
  CONNECTOR_ORDERS: Bindings['orders'] = 'embedded';

  @IsOptional()
  @IsIn(CAPABILITY_SYSTEMS.deliveries)
  CONNECTOR_DELIVERIES: Bindings['deliveries'] = 'embedded';

  @IsOptional()
  @IsIn(CAPABILITY_SYSTEMS.tickets)
  CONNECTOR_TICKETS: Bindings['tickets'] = 'embedded';

  @IsOptional()
  @IsIn(CAPABILITY_SYSTEMS.leads)
  CONNECTOR_LEADS: Bindings['leads'] = 'embedded';

  @IsOptional()
  @IsIn(CAPABILITY_SYSTEMS.notifications)
  CONNECTOR_NOTIFICATIONS: Bindings['notifications'] = 'embedded';

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(100)
  @Max(120_000)
  UPSTREAM_TIMEOUT_MS = 5_000;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(5)
  UPSTREAM_READ_RETRIES = 2;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1000)
  UPSTREAM_BREAKER_FAILURES = 5;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(100)
  @Max(3_600_000)
  UPSTREAM_BREAKER_HALF_OPEN_MS = 30_000;

  @IsOptional()
  @IsBaseUrl()
  ODOO_URL?: string;

  @IsOptional()
  @IsString()
  ODOO_DB?: string;

  @IsOptional()
  @IsString()
  ODOO_USERNAME?: string;

  @IsOptional()
  @IsString()
  ODOO_API_KEY?: string;

  @IsOptional()
  @IsIn(['helpdesk.ticket', 'project.task'])
  ODOO_TICKET_MODEL: OdooSettings['ticketModel'] = 'helpdesk.ticket';

  @IsOptional()
  @Type(() => Number)
  @IsInt(ID_MESSAGE('ODOO_TICKET_PROJECT_ID', 'project.project'))
  @Min(1, ID_MESSAGE('ODOO_TICKET_PROJECT_ID', 'project.project'))
  @Max(ODOO_MAX_ID, ID_MESSAGE('ODOO_TICKET_PROJECT_ID', 'project.project'))
  ODOO_TICKET_PROJECT_ID?: number;

  @IsOptional()
  @Type(() => Number)
  @IsInt(ID_MESSAGE('ODOO_HELPDESK_TEAM_ID', 'helpdesk.team'))
  @Min(1, ID_MESSAGE('ODOO_HELPDESK_TEAM_ID', 'helpdesk.team'))
  @Max(ODOO_MAX_ID, ID_MESSAGE('ODOO_HELPDESK_TEAM_ID', 'helpdesk.team'))
  ODOO_HELPDESK_TEAM_ID?: number;

  @IsOptional()
  @IsBaseUrl()
  ERPNEXT_URL?: string;

  @IsOptional()
  @IsString()
  ERPNEXT_API_KEY?: string;

  @IsOptional()
  @IsString()
  ERPNEXT_API_SECRET?: string;

  // Intl.DateTimeFormat decides: an unknown zone stops the boot here, not at the first read.
  @IsOptional()
  @IsTimeZone({
    message: 'ERPNEXT_TIME_ZONE must be an IANA time zone name, e.g. Asia/Ho_Chi_Minh or UTC',
  })
  ERPNEXT_TIME_ZONE = 'UTC';

  @IsOptional()
  @IsBaseUrl()
  JIRA_URL?: string;

  @IsOptional()
  @IsString()
  JIRA_EMAIL?: string;

  @IsOptional()
  @IsString()
  JIRA_API_TOKEN?: string;

  @IsOptional()
  @Matches(/^[A-Z][A-Z0-9_]{1,9}$/, { message: 'JIRA_PROJECT_KEY must be a Jira project key' })
  JIRA_PROJECT_KEY?: string;

  @IsOptional()
  @IsString()
  JIRA_ISSUE_TYPE = 'Task';

  @IsOptional()
  @IsBaseUrl({ query: true })
  NOTIFY_WEBHOOK_URL?: string;

  @IsOptional()
  @IsString()
  @Matches(/^.{32,}$/s, { message: 'NOTIFY_WEBHOOK_SECRET must be at least 32 characters' })
  NOTIFY_WEBHOOK_SECRET?: string;
}

/** One `  - NAME: message` line per failed constraint, as loadConfig reports them. */
export function problemLines(errors: ValidationError[]): string[] {
  return errors.flatMap((e) => constraintMessages(e).map((m) => `  - ${e.property}: ${m}`));
}

/** Variables each system needs once any capability is bound to it. */
const REQUIRED: Record<Exclude<ConnectorSystem, 'embedded'>, (keyof ConnectorEnvironment)[]> = {
  odoo: ['ODOO_URL', 'ODOO_DB', 'ODOO_USERNAME', 'ODOO_API_KEY'],
  erpnext: ['ERPNEXT_URL', 'ERPNEXT_API_KEY', 'ERPNEXT_API_SECRET'],
  jira: ['JIRA_URL', 'JIRA_EMAIL', 'JIRA_API_TOKEN', 'JIRA_PROJECT_KEY'],
  webhook: ['NOTIFY_WEBHOOK_URL', 'NOTIFY_WEBHOOK_SECRET'],
};

/**
 * Validates the connector variables; returns the configuration or the list of
 * problems (each `  - NAME: message`), which loadConfig reports with the rest.
 */
export function readConnectorsConfig(
  defined: Record<string, string | undefined>,
): ConnectorsConfig | string[] {
  const env = plainToInstance(ConnectorEnvironment, defined, { exposeDefaultValues: true });
  const problems = problemLines(validateSync(env));
  if (problems.length > 0) return problems;

  const bindings: Bindings = {
    inventory: env.CONNECTOR_INVENTORY,
    orders: env.CONNECTOR_ORDERS,
    deliveries: env.CONNECTOR_DELIVERIES,
    tickets: env.CONNECTOR_TICKETS,
    leads: env.CONNECTOR_LEADS,
    notifications: env.CONNECTOR_NOTIFICATIONS,
  };
  const used = new Set<ConnectorSystem>(Object.values(bindings));
  for (const [system, names] of Object.entries(REQUIRED)) {
    if (!used.has(system as ConnectorSystem)) continue;
    for (const name of names) {
      if (!env[name])
        problems.push(`  - ${name}: required when a CONNECTOR_* variable is ${system}`);
    }
  }
  if (bindings.tickets === 'odoo') {
    // Each id names a record of a different model: a team id sent as a project would be a wrong link.
    if (env.ODOO_TICKET_PROJECT_ID !== undefined && env.ODOO_TICKET_MODEL !== 'project.task') {
      problems.push(
        '  - ODOO_TICKET_PROJECT_ID: applies only when ODOO_TICKET_MODEL is project.task (helpdesk tickets take ODOO_HELPDESK_TEAM_ID)',
      );
    }
    if (env.ODOO_HELPDESK_TEAM_ID !== undefined && env.ODOO_TICKET_MODEL !== 'helpdesk.ticket') {
      problems.push(
        '  - ODOO_HELPDESK_TEAM_ID: applies only when ODOO_TICKET_MODEL is helpdesk.ticket',
      );
    }
  }
  if (problems.length > 0) return problems;

  const trimUrl = (url: string): string => url.replace(/\/+$/, '');
  return {
    bindings,
    upstream: {
      timeoutMs: env.UPSTREAM_TIMEOUT_MS,
      readRetries: env.UPSTREAM_READ_RETRIES,
      breakerFailures: env.UPSTREAM_BREAKER_FAILURES,
      breakerHalfOpenMs: env.UPSTREAM_BREAKER_HALF_OPEN_MS,
    },
    ...(used.has('odoo') && {
      odoo: {
        url: trimUrl(env.ODOO_URL!),
        database: env.ODOO_DB!,
        username: env.ODOO_USERNAME!,
        apiKey: env.ODOO_API_KEY!,
        ticketModel: env.ODOO_TICKET_MODEL,
        ...(env.ODOO_TICKET_PROJECT_ID !== undefined && {
          ticketProjectId: env.ODOO_TICKET_PROJECT_ID,
        }),
        ...(env.ODOO_HELPDESK_TEAM_ID !== undefined && {
          helpdeskTeamId: env.ODOO_HELPDESK_TEAM_ID,
        }),
      },
    }),
    ...(used.has('erpnext') && {
      erpnext: {
        url: trimUrl(env.ERPNEXT_URL!),
        apiKey: env.ERPNEXT_API_KEY!,
        apiSecret: env.ERPNEXT_API_SECRET!,
        timeZone: env.ERPNEXT_TIME_ZONE,
      },
    }),
    ...(used.has('jira') && {
      jira: {
        url: trimUrl(env.JIRA_URL!),
        email: env.JIRA_EMAIL!,
        apiToken: env.JIRA_API_TOKEN!,
        projectKey: env.JIRA_PROJECT_KEY!,
        issueType: env.JIRA_ISSUE_TYPE,
      },
    }),
    ...(used.has('webhook') && {
      webhook: { url: env.NOTIFY_WEBHOOK_URL!, secret: env.NOTIFY_WEBHOOK_SECRET! },
    }),
  };
}

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * One warning per core system reached over plain http:// beyond this host:
 * its credentials (Basic auth, API keys, the webhook's customer data) would
 * cross the network unencrypted. A warning, not an error: a private network
 * or a sidecar proxy may be the operator's choice.
 */
export function plainHttpWarnings(connectors: ConnectorsConfig): string[] {
  const systems = {
    ODOO_URL: connectors.odoo?.url,
    ERPNEXT_URL: connectors.erpnext?.url,
    JIRA_URL: connectors.jira?.url,
    NOTIFY_WEBHOOK_URL: connectors.webhook?.url,
  };
  return Object.entries(systems).flatMap(([name, url]) => {
    if (url === undefined) return [];
    const { protocol, hostname } = new URL(url);
    if (protocol !== 'http:' || LOOPBACK_HOSTS.has(hostname)) return [];
    return [`${name} uses plain http:// to ${hostname}: credentials and data travel unencrypted`];
  });
}
