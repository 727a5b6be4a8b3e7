import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { describe, expect, it } from '@jest/globals';
import { createNestLogger } from './nest-logger.js';
import { createRootLogger, REDACTED, stdoutDestination } from './root-logger.js';

function memoryLogger(level = 'info', logRedactPaths: string[] = []) {
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) {
        lines.push(JSON.parse(line) as Record<string, unknown>);
      }
      done();
    },
  });
  return { root: createRootLogger({ logLevel: level, logRedactPaths }, sink), lines };
}

const flush = () => new Promise((resolve) => setImmediate(resolve));

describe(createRootLogger.name, () => {
  it('writes one JSON object per line with an ISO time and a level label', async () => {
    const { root, lines } = memoryLogger();
    root.info({ tool: 'check_inventory' }, 'request completed');
    await flush();
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      level: 'info',
      service: 'gatehouse',
      tool: 'check_inventory',
      msg: 'request completed',
    });
    expect(lines[0]?.time).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
  });

  it('honours the configured level', async () => {
    const { root, lines } = memoryLogger('warn');
    root.info('hidden');
    root.warn('shown');
    await flush();
    expect(lines.map((l) => l.msg)).toEqual(['shown']);
  });

  it('redacts credentials wherever a request or body carries them', async () => {
    const { root, lines } = memoryLogger();
    const secrets = {
      bearer: 'Bearer eyJhbGciOiJFUzI1NiJ9.payload.signature',
      apiKey: 'gh_key1_s3cr3tvalue',
      cookie: 'session=abc123',
      clientSecret: 'ghs_client_secret_value',
      accessToken: 'eyJ.access.token',
      password: 'hunter2',
    };
    root.info({
      req: {
        headers: {
          authorization: secrets.bearer,
          'x-api-key': secrets.apiKey,
          cookie: secrets.cookie,
          'user-agent': 'agent/1.0',
        },
        body: { client_secret: secrets.clientSecret, grant_type: 'client_credentials' },
      },
      res: { headers: { 'set-cookie': secrets.cookie } },
      authorization: secrets.bearer,
      response: { access_token: secrets.accessToken, token_type: 'Bearer' },
      user: { password: secrets.password },
    });
    await flush();
    const text = JSON.stringify(lines);
    for (const value of Object.values(secrets)) expect(text).not.toContain(value);
    expect(lines[0]).toMatchObject({
      req: {
        headers: { authorization: REDACTED, 'x-api-key': REDACTED, 'user-agent': 'agent/1.0' },
        body: { client_secret: REDACTED, grant_type: 'client_credentials' },
      },
      response: { access_token: REDACTED, token_type: 'Bearer' },
    });
  });

  it('redacts the extra paths from LOG_REDACT_PATHS', async () => {
    const { root, lines } = memoryLogger('info', ['lead.phone']);
    root.info({ lead: { phone: '+84901234567', channel: 'zalo' } });
    await flush();
    expect(lines[0]).toMatchObject({ lead: { phone: REDACTED, channel: 'zalo' } });
  });
});

describe(createNestLogger.name, () => {
  it("maps Nest's logger calls onto pino with the context", async () => {
    const { root, lines } = memoryLogger('debug');
    const logger = createNestLogger(root);
    logger.log('listening', 'Gatehouse');
    logger.warn({ reqId: 'r-1', status: 503 }, 'request completed', 'HTTP');
    logger.error('boom', 'Error: boom\n    at x (y.js:1:1)', 'ProblemFilter');
    logger.debug?.('details', 'Outbox');
    await flush();
    expect(lines.map(({ level, context, msg }) => ({ level, context, msg }))).toEqual([
      { level: 'info', context: 'Gatehouse', msg: 'listening' },
      { level: 'warn', context: 'HTTP', msg: 'request completed' },
      { level: 'error', context: 'ProblemFilter', msg: 'boom' },
      { level: 'debug', context: 'Outbox', msg: 'details' },
    ]);
    expect(lines[1]).toMatchObject({ reqId: 'r-1', status: 503 });
  });
});

describe(stdoutDestination.name, () => {
  it('writes every line, byte for byte, including multi-byte text, in order', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'gatehouse-log-'));
    try {
      const file = path.join(dir, 'out.log');
      const destination = stdoutDestination(file) as ReturnType<typeof stdoutDestination> & {
        flushSync(): void;
        end(): void;
        once(event: 'ready', listener: () => void): void;
      };
      await new Promise<void>((resolve) => destination.once('ready', resolve));
      const root = createRootLogger({ logLevel: 'info', logRedactPaths: [] }, destination);
      const names = ['Bánh gạo sốt ớt', 'Phở bò 🍜', 'plain'];
      for (let i = 0; i < 3000; i += 1) root.info({ i, name: names[i % 3] }, 'line');
      await new Promise((resolve) => setTimeout(resolve, 50));
      destination.flushSync();
      const lines = readFileSync(file, 'utf8').trimEnd().split('\n');
      expect(lines).toHaveLength(3000);
      lines.forEach((line, i) => {
        expect(JSON.parse(line)).toMatchObject({ i, name: names[i % 3], msg: 'line' });
      });
      destination.end();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
