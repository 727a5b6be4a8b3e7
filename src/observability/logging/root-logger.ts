import {
  pino,
  stdTimeFunctions,
  type DestinationStream,
  type Logger,
  type LoggerOptions,
} from 'pino';
import type { AppConfig } from '../../config/app-config.js';

const SECRET_KEYS = [
  'authorization',
  'cookie',
  'password',
  'secret',
  'token',
  'client_secret',
  'clientSecret',
  'access_token',
  'accessToken',
  'refresh_token',
  'apiKey',
  'api_key',
  'pepper',
  'privateKey',
];
const HEADER_KEYS = ['authorization', 'cookie', '["set-cookie"]', '["x-api-key"]'];
const BODY_KEYS = ['client_secret', 'password', 'token', 'access_token', 'refresh_token'];
const join = (parent: string, key: string) =>
  key.startsWith('[') ? `${parent}${key}` : `${parent}.${key}`;

/**
 * Secrets that must never reach a log line, whoever logs what. The request
 * line itself carries no headers or bodies; these paths cover the shapes other
 * lines use (a request or response dump, an error with its HTTP config). They
 * are explicit on purpose: each wildcard path costs pino 1.5–3 µs on every
 * line (measured: the same list with `*.` wildcards took 50 µs a line).
 */
export const DEFAULT_REDACT_PATHS: readonly string[] = [
  ...SECRET_KEYS,
  ...['credentials', 'user', 'client', 'response', 'body', 'params'].flatMap((parent) =>
    SECRET_KEYS.map((key) => join(parent, key)),
  ),
  ...[
    'headers',
    'req.headers',
    'res.headers',
    'request.headers',
    'response.headers',
    'err.config.headers',
  ].flatMap((parent) => HEADER_KEYS.map((key) => join(parent, key))),
  ...['req.body', 'request.body', 'req.query', 'request.query'].flatMap((parent) =>
    BODY_KEYS.map((key) => join(parent, key)),
  ),
];

export const REDACTED = '[redacted]';

export function rootLoggerOptions(
  config: Pick<AppConfig, 'logLevel' | 'logRedactPaths'>,
): LoggerOptions {
  return {
    level: config.logLevel,
    base: { service: 'gatehouse', pid: process.pid },
    timestamp: stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    redact: { paths: [...DEFAULT_REDACT_PATHS, ...config.logRedactPaths], censor: REDACTED },
  };
}

/** Log lines stdout could not take in time and that were dropped (gatehouse_log_lines_dropped_total). */
export const logDrops = { lines: 0 };

/** Each asynchronous write takes up to this much of the buffer. */
const MAX_WRITE_BYTES = 128 * 1024;
/** Backlog past which new lines are dropped (and counted) instead of growing the heap. */
const MAX_BACKLOG_BYTES = 64 * 1024 * 1024;

/**
 * Stdout, written asynchronously so a slow terminal or pipe never blocks a
 * request. sonic-boom's default writes 16 KiB per round trip through the
 * thread pool: at ~4,000 requests/s on one busy core that fell behind, and
 * the backlog grew the heap by ~8 MB a minute. 128 KiB per write keeps up;
 * should stdout stall altogether, the backlog stops at 64 MiB.
 *
 * Lines go in as Buffers (`contentMode: 'buffer'`): in its string mode
 * sonic-boom appends each line to the pending string and measures that
 * string's byte length, which copies the whole pending buffer on every line
 * (measured: ~7 KB allocated per request line at 5,000 lines/s, a tenth of
 * all allocation). Buffers are kept in a list and concatenated once per write.
 */
export function stdoutDestination(dest: number | string = 1): DestinationStream {
  const stream = pino.destination({
    dest,
    sync: false,
    maxWrite: MAX_WRITE_BYTES,
    maxLength: MAX_BACKLOG_BYTES,
    contentMode: 'buffer',
  });
  stream.on('drop', () => {
    logDrops.lines += 1;
  });
  // pino writes strings; the buffer mode takes bytes.
  const sonic = stream as unknown as { write(chunk: string | Buffer): boolean };
  const writeBuffer = sonic.write.bind(sonic);
  sonic.write = (line) => writeBuffer(typeof line === 'string' ? Buffer.from(line) : line);
  return stream;
}

/**
 * The process's one pino logger: JSON lines on stdout (pino flushes what is
 * buffered on exit).
 */
export function createRootLogger(
  config: Pick<AppConfig, 'logLevel' | 'logRedactPaths'>,
  destination: DestinationStream = stdoutDestination(),
): Logger {
  return pino(rootLoggerOptions(config), destination);
}
