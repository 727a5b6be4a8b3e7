import path from 'node:path';
import { plainToInstance, Transform, Type } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  Min,
  MinLength,
  validateSync,
} from 'class-validator';
import { pino } from 'pino';
import { problemLines, readConnectorsConfig, type ConnectorsConfig } from './connectors-config.js';

const IP_OR_CIDR = String.raw`(?:[0-9]{1,3}(?:\.[0-9]{1,3}){3}|[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*)(?:\/[0-9]{1,3})?`;
const TRUST_PROXY_ENTRY = `(?:${IP_OR_CIDR}|loopback|linklocal|uniquelocal)`;
const TRUST_PROXY_LIST = new RegExp(
  `^\\s*${TRUST_PROXY_ENTRY}(?:\\s*,\\s*${TRUST_PROXY_ENTRY})*\\s*$`,
);

/** A phrase that completes "a colleague will contact you …": one line, plain text. */
const RESPONSE_PROMISE = /^[^\n\r<>{}]{3,120}$/;
const RESPONSE_PROMISE_MESSAGE = (name: string): string =>
  `${name} must be one line of 3 to 120 characters (it completes "a colleague will contact you …")`;

const TRUE_WORDS = new Set(['1', 'true', 'yes', 'on']);
const FALSE_WORDS = new Set(['0', 'false', 'no', 'off']);
/**
 * A flag's word as a boolean; any other text stays a string so @IsBoolean
 * refuses it: `OUTBOX_ENABLED=ture` must stop the start, not silently turn
 * deliveries off.
 */
const toBool = ({ value }: { value: unknown }): unknown => {
  if (typeof value !== 'string') return value;
  const word = value.trim().toLowerCase();
  return TRUE_WORDS.has(word) ? true : FALSE_WORDS.has(word) ? false : value;
};

/** The environment Gatehouse reads, validated once at boot. `.env.example` documents each. */
export class EnvironmentVariables {
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(65535)
  PORT = 3000;

  @IsOptional()
  @IsString()
  HOST = '127.0.0.1';

  @IsOptional()
  @Matches(/^(file:.+|postgres(ql)?:\/\/.+)$/, {
    message: 'DATABASE_URL must start with file: (SQLite) or postgresql:// (PostgreSQL)',
  })
  DATABASE_URL = 'file:./data/gatehouse.db';

  @IsOptional()
  @IsString()
  GATEHOUSE_DATA_DIR?: string;

  @IsOptional()
  @IsString()
  @MinLength(1)
  TOKEN_ISSUER?: string;

  @IsOptional()
  @IsString()
  @MinLength(1)
  TOKEN_AUDIENCE = 'gatehouse';

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(30)
  @Max(3600)
  TOKEN_TTL_SECONDS = 300;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(300)
  TOKEN_CLOCK_TOLERANCE_SECONDS = 30;

  @IsOptional()
  @Matches(/^[A-Za-z0-9+/_=-]{43,}$/, {
    message: 'GATEHOUSE_PEPPER must be at least 32 random bytes, base64 encoded',
  })
  GATEHOUSE_PEPPER?: string;

  @IsOptional()
  @Matches(/^[A-Za-z0-9+/_=-]{43,44}$/, {
    message: 'GATEHOUSE_KEY_ENCRYPTION_KEY must be exactly 32 random bytes, base64 encoded',
  })
  GATEHOUSE_KEY_ENCRYPTION_KEY?: string;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(5000)
  CLIENT_CACHE_TTL_MS = 2000;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(60000)
  OUTBOX_POLL_MS = 500;

  /**
   * Delivery attempts before a message is dead-lettered. With the backoff
   * (2 s doubling, capped at 10 min, equal jitter) 60 attempts keep retrying
   * for 4.3-8.6 hours (outbox-retry.ts retryWindowMs), so an upstream outage
   * of a few hours heals by itself; `gatehouse outbox retry` resends the rest.
   */
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1000)
  OUTBOX_MAX_ATTEMPTS = 60;

  @IsOptional()
  @Transform(toBool)
  @IsBoolean()
  OUTBOX_ENABLED = true;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(32)
  OUTBOX_CONCURRENCY = 4;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  // SPEC §5.8: a retry a day later must still replay, not write again.
  @Min(24, { message: 'IDEMPOTENCY_TTL_HOURS must be at least 24 (keys are kept at least a day)' })
  @Max(720)
  IDEMPOTENCY_TTL_HOURS = 24;

  @IsOptional()
  @IsIn(['round_robin', 'region', 'product_line'])
  LEAD_ASSIGNMENT = 'round_robin';

  @IsOptional()
  @Matches(RESPONSE_PROMISE, { message: RESPONSE_PROMISE_MESSAGE('HANDOFF_RESPONSE_HIGH') })
  HANDOFF_RESPONSE_HIGH = 'within 15 minutes during business hours';

  @IsOptional()
  @Matches(RESPONSE_PROMISE, { message: RESPONSE_PROMISE_MESSAGE('HANDOFF_RESPONSE_NORMAL') })
  HANDOFF_RESPONSE_NORMAL = 'within 2 business hours';

  @IsOptional()
  @Matches(RESPONSE_PROMISE, { message: RESPONSE_PROMISE_MESSAGE('HANDOFF_RESPONSE_LOW') })
  HANDOFF_RESPONSE_LOW = 'within 1 business day';

  @IsOptional()
  @IsString()
  CORS_ORIGINS?: string;

  @IsOptional()
  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL = 'info';

  // Unset: seed on the embedded store (the demo), not on PostgreSQL (production), where demo
  // orders and a demo client holding every tool scope would be a liability.
  @IsOptional()
  @Transform(toBool)
  @IsBoolean()
  SEED_DEMO_DATA?: boolean;

  @IsOptional()
  @IsString()
  AUDIT_REDACT_FIELDS?: string;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  DATABASE_POOL_SIZE = 10;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(60_000)
  READ_CACHE_TTL_MS = 1000;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(60_000)
  READINESS_PING_CACHE_MS = 5000;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(120_000)
  SQLITE_BUSY_TIMEOUT_MS = 10_000;

  @IsOptional()
  @IsString()
  LOG_REDACT_PATHS?: string;

  @IsOptional()
  @IsString()
  @MinLength(16, { message: 'METRICS_TOKEN must be at least 16 characters' })
  METRICS_TOKEN?: string;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(600_000)
  SHUTDOWN_TIMEOUT_MS = 10_000;

  @IsOptional()
  @Matches(/^rediss?:\/\/.+/, { message: 'REDIS_URL must start with redis:// or rediss://' })
  REDIS_URL?: string;

  @IsOptional()
  @Matches(TRUST_PROXY_LIST, {
    message:
      'TRUST_PROXY must be a comma-separated list of IP addresses, CIDR ranges or loopback/linklocal/uniquelocal',
  })
  TRUST_PROXY?: string;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  THROTTLE_READ_PER_MINUTE = 120;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  THROTTLE_WRITE_PER_MINUTE = 20;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  THROTTLE_TOKEN_PER_MINUTE = 10;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  THROTTLE_TOKEN_PER_IP_PER_MINUTE = 30;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  THROTTLE_AUTH_FAILURES_PER_IP_PER_MINUTE = 20;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1000)
  @Max(600_000)
  REQUEST_TIMEOUT_MS = 30_000;
}

export interface AppConfig {
  port: number;
  host: string;
  databaseUrl: string;
  database: 'sqlite' | 'postgresql';
  dataDir: string;
  token: { issuer: string; audience: string; ttlSeconds: number; clockToleranceSeconds: number };
  pepper?: string;
  keyEncryptionKey?: string;
  clientCacheTtlMs: number;
  /** `concurrency`: deliveries in flight at once per instance (one at a time per aggregate). */
  outbox: { enabled: boolean; pollMs: number; maxAttempts: number; concurrency: number };
  idempotencyTtlHours: number;
  leadAssignment: 'round_robin' | 'region' | 'product_line';
  /** What agents promise customers on a handoff, by urgency: the staff's own commitments. */
  handoffResponseTimes: { high: string; normal: string; low: string };
  corsOrigins: string[];
  logLevel: string;
  seedDemoData: boolean;
  /** PostgreSQL connections per instance. */
  databasePoolSize: number;
  /** How long read-only connector answers are reused (0 = off). */
  readCacheTtlMs: number;
  /** How long a core system's readiness ping answers every /readyz (0: only concurrent probes share one). */
  readinessPingCacheMs: number;
  /** Embedded store: how long a write waits while another process (the CLI) holds the write lock. */
  sqliteBusyTimeoutMs: number;
  /** Extra field names or dotted paths the audit trail redacts, beyond the safe defaults. */
  auditRedactFields: string[];
  /** Extra pino redact paths for the JSON logs, beyond the built-in secret paths. */
  logRedactPaths: string[];
  /** Unset: GET /metrics answers loopback callers only. */
  metricsToken?: string;
  /** How long a SIGTERM waits for in-flight requests before closing their connections. */
  shutdownTimeoutMs: number;
  /** Unset: rate-limit counters are local to this instance. */
  redisUrl?: string;
  /** Proxies whose X-Forwarded-For is believed; empty: the socket address is the client. */
  trustProxy: string[];
  /** Default limits per minute; clients override read, write and token individually. */
  throttle: {
    readPerMinute: number;
    writePerMinute: number;
    tokenPerMinute: number;
    tokenPerIpPerMinute: number;
    authFailuresPerIpPerMinute: number;
  };
  /** Longest time a client may take to send one whole request (slow-loris bound). */
  requestTimeoutMs: number;
  /** Which core system serves each capability, and how to reach it. */
  connectors: ConnectorsConfig;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Reads and validates the environment; throws a ConfigError listing every bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const defined = Object.fromEntries(
    Object.entries(env).filter(([, v]) => v !== undefined && v !== ''),
  );
  const vars = plainToInstance(EnvironmentVariables, defined, { exposeDefaultValues: true });
  const errors = validateSync(vars, { skipMissingProperties: false });
  const connectors = readConnectorsConfig(defined);
  const logRedactPaths = (vars.LOG_REDACT_PATHS ?? '')
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean);
  const lines = [
    ...problemLines(errors),
    ...invalidRedactPaths(logRedactPaths).map(
      (p) =>
        `  - LOG_REDACT_PATHS: ${JSON.stringify(p)} is not a pino redact path (e.g. req.body.ssn, headers["x-secret"])`,
    ),
    ...(Array.isArray(connectors) ? connectors : []),
  ];
  if (lines.length > 0 || Array.isArray(connectors)) {
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const database = vars.DATABASE_URL.startsWith('file:') ? 'sqlite' : 'postgresql';
  const dataDir =
    vars.GATEHOUSE_DATA_DIR ??
    (database === 'sqlite'
      ? path.dirname(path.resolve(vars.DATABASE_URL.slice('file:'.length)))
      : path.resolve('data'));
  return {
    port: vars.PORT,
    host: vars.HOST,
    databaseUrl: vars.DATABASE_URL,
    database,
    dataDir,
    token: {
      issuer: vars.TOKEN_ISSUER ?? `http://${hostForUrl(vars.HOST)}:${vars.PORT}`,
      audience: vars.TOKEN_AUDIENCE,
      ttlSeconds: vars.TOKEN_TTL_SECONDS,
      clockToleranceSeconds: vars.TOKEN_CLOCK_TOLERANCE_SECONDS,
    },
    pepper: vars.GATEHOUSE_PEPPER,
    keyEncryptionKey: vars.GATEHOUSE_KEY_ENCRYPTION_KEY,
    clientCacheTtlMs: vars.CLIENT_CACHE_TTL_MS,
    outbox: {
      enabled: vars.OUTBOX_ENABLED,
      pollMs: vars.OUTBOX_POLL_MS,
      maxAttempts: vars.OUTBOX_MAX_ATTEMPTS,
      concurrency: vars.OUTBOX_CONCURRENCY,
    },
    idempotencyTtlHours: vars.IDEMPOTENCY_TTL_HOURS,
    leadAssignment: vars.LEAD_ASSIGNMENT as AppConfig['leadAssignment'],
    handoffResponseTimes: {
      high: vars.HANDOFF_RESPONSE_HIGH.trim(),
      normal: vars.HANDOFF_RESPONSE_NORMAL.trim(),
      low: vars.HANDOFF_RESPONSE_LOW.trim(),
    },
    corsOrigins: (vars.CORS_ORIGINS ?? '')
      .split(',')
      .map((o) => o.trim())
      .filter(Boolean),
    logLevel: vars.LOG_LEVEL,
    seedDemoData: vars.SEED_DEMO_DATA ?? database === 'sqlite',
    databasePoolSize: vars.DATABASE_POOL_SIZE,
    readCacheTtlMs: vars.READ_CACHE_TTL_MS,
    readinessPingCacheMs: vars.READINESS_PING_CACHE_MS,
    sqliteBusyTimeoutMs: vars.SQLITE_BUSY_TIMEOUT_MS,
    auditRedactFields: (vars.AUDIT_REDACT_FIELDS ?? '')
      .split(',')
      .map((f) => f.trim())
      .filter(Boolean),
    logRedactPaths,
    ...(vars.METRICS_TOKEN ? { metricsToken: vars.METRICS_TOKEN } : {}),
    shutdownTimeoutMs: vars.SHUTDOWN_TIMEOUT_MS,
    ...(vars.REDIS_URL ? { redisUrl: vars.REDIS_URL } : {}),
    trustProxy: (vars.TRUST_PROXY ?? '')
      .split(',')
      .map((p) => p.trim())
      .filter(Boolean),
    throttle: {
      readPerMinute: vars.THROTTLE_READ_PER_MINUTE,
      writePerMinute: vars.THROTTLE_WRITE_PER_MINUTE,
      tokenPerMinute: vars.THROTTLE_TOKEN_PER_MINUTE,
      tokenPerIpPerMinute: vars.THROTTLE_TOKEN_PER_IP_PER_MINUTE,
      authFailuresPerIpPerMinute: vars.THROTTLE_AUTH_FAILURES_PER_IP_PER_MINUTE,
    },
    requestTimeoutMs: vars.REQUEST_TIMEOUT_MS,
    connectors,
  };
}

const DISCARD = { write: () => undefined };

/** The paths pino would refuse at start-up. Pino itself judges, so the rules cannot drift from it. */
function invalidRedactPaths(paths: string[]): string[] {
  return paths.filter((p) => {
    try {
      pino({ redact: [p] }, DISCARD);
      return false;
    } catch {
      return true;
    }
  });
}

function hostForUrl(host: string): string {
  if (host === '0.0.0.0' || host === '::') return 'localhost';
  return host.includes(':') ? `[${host}]` : host;
}

/** Injection token for the validated configuration. */
export const APP_CONFIG = Symbol('APP_CONFIG');
