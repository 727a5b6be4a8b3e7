import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { Agent, request } from 'node:http';
import { createServer } from 'node:net';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { copyTemplateDb, projectRoot, TEST_SECRETS_ENV } from '../utils/template-db.js';

const HOST = '127.0.0.1';
const WORKERS = 8;
/** SIGTERM once this much traffic has been answered (or after LOAD_MAX_MS on a slow machine). */
const ANSWERED_BEFORE_SIGTERM = { reads: 40, writes: 10 };
const LOAD_MAX_MS = 15_000;

interface Reply {
  status: number;
  body: string;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, HOST, () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address
          ? resolve(address.port)
          : reject(new Error('no port')),
      );
    });
  });
}

function send(
  agent: Agent,
  port: number,
  method: string,
  url: string,
  headers: Record<string, string>,
  body?: string,
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: HOST, port, method, path: url, headers, agent, timeout: 10_000 },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error('client timeout')));
    req.on('error', reject);
    req.end(body);
  });
}

function errorCode(error: unknown): string {
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' ? code : error instanceof Error ? error.message : String(error);
}

/** Network errors a client may see while a server stops; anything else (a 5xx above all) is a failure. */
const ACCEPTABLE_ERRORS = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'socket hang up']);

describe('graceful shutdown of the real server (node dist/main.js)', () => {
  let dir: string;
  let dbFile: string;
  let port: number;
  let server: ChildProcess;
  let stdout = '';
  let exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;

  const env = (): NodeJS.ProcessEnv => ({
    PATH: process.env.PATH,
    DATABASE_URL: `file:${dbFile}`,
    HOST,
    PORT: String(port),
    TOKEN_ISSUER: 'http://gatehouse.test',
    OUTBOX_ENABLED: 'true',
    OUTBOX_POLL_MS: '10',
    SHUTDOWN_TIMEOUT_MS: '5000',
    LOG_LEVEL: 'info',
    // The load must never be throttled; a client's own limits stop at 100000 a minute.
    THROTTLE_READ_PER_MINUTE: '1000000',
    THROTTLE_WRITE_PER_MINUTE: '1000000',
    ...TEST_SECRETS_ENV,
  });

  beforeAll(async () => {
    try {
      execFileSync(
        process.execPath,
        [path.join(projectRoot, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'],
        { cwd: projectRoot, stdio: 'pipe' },
      );
    } catch {
      // tsc still emits when some file has a type error; a broken build fails the start below.
    }
    ({ dir, file: dbFile } = await copyTemplateDb());
    port = await freePort();
    server = spawn(process.execPath, [path.join(projectRoot, 'dist/main.js')], {
      cwd: dir,
      env: env(),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    server.stdout?.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    server.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    exited = new Promise((resolve) =>
      server.once('exit', (code, signal) => resolve({ code, signal })),
    );
    const agent = new Agent();
    const deadline = Date.now() + 60_000;
    for (;;) {
      const ready = await send(agent, port, 'GET', '/readyz', {}).catch(() => undefined);
      if (ready?.status === 200) break;
      if (Date.now() > deadline || server.exitCode !== null) {
        throw new Error(`server did not start:\n${stdout}`);
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  }, 120_000);

  afterAll(() => {
    if (server?.exitCode === null && server.signalCode === null) server.kill('SIGKILL');
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('drains in-flight requests, releases outbox claims, closes the store and exits 0', async () => {
    const cli = execFileSync(
      process.execPath,
      [
        path.join(projectRoot, 'dist/bin/gatehouse.js'),
        'clients',
        'create',
        '--name',
        'shutdown-test',
        '--scopes',
        'inventory:read,leads:write',
        '--json',
      ],
      { cwd: dir, env: env(), encoding: 'utf8' },
    );
    const client = JSON.parse(cli) as { clientId: string; clientSecret: string };
    const agent = new Agent({ keepAlive: true, maxSockets: WORKERS });
    const basic = Buffer.from(`${client.clientId}:${client.clientSecret}`).toString('base64');
    const tokenReply = await send(
      agent,
      port,
      'POST',
      '/oauth/token',
      { authorization: `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded' },
      'grant_type=client_credentials',
    );
    expect(tokenReply.status).toBe(200);
    const token = (JSON.parse(tokenReply.body) as { access_token: string }).access_token;

    const statuses = new Map<number, number>();
    const errors = new Map<string, number>();
    const count = <K>(map: Map<K, number>, key: K) => map.set(key, (map.get(key) ?? 0) + 1);
    let sigtermSent = false;
    let answeredAfterSigterm = 0;

    const call = (n: number): Promise<Reply> => {
      if (n % 3 === 0) {
        const body = JSON.stringify({
          name: `Shutdown Lead ${n}`,
          email: `lead-${randomUUID()}@example.vn`,
          channel: 'web',
          consent: true,
        });
        return send(
          agent,
          port,
          'POST',
          '/v1/leads',
          {
            authorization: `Bearer ${token}`,
            'content-type': 'application/json',
            'idempotency-key': randomUUID(),
          },
          body,
        );
      }
      return send(agent, port, 'GET', '/v1/inventory/BAN-GO-SOI-120', {
        authorization: `Bearer ${token}`,
      });
    };

    const worker = async (id: number): Promise<void> => {
      for (let n = id; ; n += WORKERS) {
        try {
          const reply = await call(n);
          count(statuses, reply.status);
          if (sigtermSent) answeredAfterSigterm += 1;
        } catch (error) {
          const code = errorCode(error);
          count(errors, code);
          // Refused: the server no longer accepts connections. Only then does this client give up.
          if (code === 'ECONNREFUSED') return;
        }
      }
    };

    const load = Promise.all(Array.from({ length: WORKERS }, (_, i) => worker(i)));
    const loadStarted = Date.now();
    while (
      ((statuses.get(200) ?? 0) < ANSWERED_BEFORE_SIGTERM.reads ||
        (statuses.get(201) ?? 0) < ANSWERED_BEFORE_SIGTERM.writes) &&
      Date.now() - loadStarted < LOAD_MAX_MS &&
      errors.size === 0
    ) {
      await new Promise((r) => setTimeout(r, 20));
    }
    sigtermSent = true;
    server.kill('SIGTERM');
    const [{ code, signal }] = await Promise.all([exited, load]);
    agent.destroy();

    const seen = [...statuses.keys()];
    const outcome = {
      exit: { code, signal },
      serverErrors: seen.filter((s) => s >= 500),
      otherStatuses: seen.filter((s) => s < 500 && s !== 200 && s !== 201),
      unexpectedErrors: [...errors.keys()].filter((e) => !ACCEPTABLE_ERRORS.has(e)),
    };
    expect(outcome).toEqual({
      exit: { code: 0, signal: null },
      serverErrors: [],
      otherStatuses: [],
      unexpectedErrors: [],
    });
    expect(statuses.get(200) ?? 0).toBeGreaterThanOrEqual(ANSWERED_BEFORE_SIGTERM.reads);
    expect(statuses.get(201) ?? 0).toBeGreaterThanOrEqual(ANSWERED_BEFORE_SIGTERM.writes);
    expect(answeredAfterSigterm).toBeGreaterThan(0);

    const db = new Database(dbFile, { readonly: true });
    try {
      const rows = db
        .prepare('SELECT status, COUNT(*) AS n FROM "OutboxMessage" GROUP BY status')
        .all() as {
        status: string;
        n: number;
      }[];
      const byStatus = Object.fromEntries(rows.map((r) => [r.status, r.n]));
      expect(byStatus.processing ?? 0).toBe(0);
      expect((byStatus.delivered ?? 0) + (byStatus.pending ?? 0)).toBeGreaterThan(0);
    } finally {
      db.close();
    }

    const events = stdout
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as { context?: string; msg?: string });
    const messages = events.map((e) => `${e.context ?? ''}: ${e.msg ?? ''}`);
    const at = (context: string, text: string) =>
      messages.findIndex((m) => m.startsWith(`${context}: ${text}`));
    expect(at('Gatehouse', 'SIGTERM received')).toBeGreaterThanOrEqual(0);
    expect(at('GracefulShutdown', 'drained in')).toBeGreaterThan(
      at('Gatehouse', 'SIGTERM received'),
    );
    expect(at('OutboxWorker', 'outbox worker')).toBeGreaterThanOrEqual(0);
    expect(
      messages.findLastIndex((m) => m.startsWith('OutboxWorker: ') && m.endsWith('stopped')),
    ).toBeGreaterThan(at('GracefulShutdown', 'drained in'));
    const storeClosed = messages.findIndex((m) => /^(Database|PrismaService): .*closed$/.test(m));
    expect(storeClosed).toBeGreaterThan(at('GracefulShutdown', 'drained in'));
    expect(at('Gatehouse', 'stopped')).toBeGreaterThan(storeClosed);
  }, 60_000);
});

/** Runs after the suite above, which built dist/. */
describe('a signal during start-up (node dist/main.js on a new store)', () => {
  const dirs: string[] = [];

  afterAll(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it.each([
    ['while Nest is starting', 'Starting Nest application'],
    ['right after the demo client is created', 'Demo client created'],
  ])(
    'SIGTERM %s: start-up completes, the demo secret is printed, nothing listens, exit 0',
    async (_when, trigger) => {
      const dir = mkdtempSync(path.join(tmpdir(), 'gatehouse-startup-'));
      dirs.push(dir);
      const dbFile = path.join(dir, 'gatehouse.db');
      const port = await freePort();
      const server = spawn(process.execPath, [path.join(projectRoot, 'dist/main.js')], {
        cwd: dir,
        env: {
          PATH: process.env.PATH,
          DATABASE_URL: `file:${dbFile}`,
          HOST,
          PORT: String(port),
          LOG_LEVEL: 'info',
          ...TEST_SECRETS_ENV,
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let output = '';
      let signalled = false;
      const collect = (chunk: string): void => {
        output += chunk;
        if (!signalled && output.includes(trigger)) {
          signalled = true;
          server.kill('SIGTERM');
        }
      };
      server.stdout?.setEncoding('utf8').on('data', collect);
      server.stderr?.setEncoding('utf8').on('data', collect);
      const exit = await new Promise<{ code: number | null; signal: NodeJS.Signals | null }>(
        (resolve) => server.once('exit', (code, signal) => resolve({ code, signal })),
      );

      expect(signalled).toBe(true);
      expect({ exit, errors: output.match(/TypeError|Error: .*/g) ?? [] }).toEqual({
        exit: { code: 0, signal: null },
        errors: [],
      });
      expect(output).toContain('SIGTERM received during start-up');
      expect(output).not.toContain('Gatehouse listening');
      // Shown once: a start-up cut short must not swallow the only copy of the secret.
      const clientId = /client_id:\s+(cl_\w+)/.exec(output)?.[1];
      expect(clientId).toBeDefined();
      expect(output).toMatch(/client_secret:\s+ghs_\S+/);
      const db = new Database(dbFile, { readonly: true });
      try {
        expect(db.prepare('SELECT id FROM "Client"').all()).toEqual([{ id: clientId }]);
      } finally {
        db.close();
      }
    },
    60_000,
  );
});
