import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { inspect } from 'node:util';
import { afterAll, beforeAll, beforeEach, describe, expect, it, jest } from '@jest/globals';
import type { ConnectorsConfig } from '../../config/connectors-config.js';
import { UpstreamError } from '../ports/upstream.error.js';
import {
  MAX_RESPONSE_BYTES,
  UpstreamHttp,
  UpstreamStatusError,
  circuitStates,
  isTransient,
  retryAfterMs,
  type UpstreamRequest,
} from './upstream-http.js';

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

const SECRET = 'Bearer upstream-http-spec-credential-9f8e7d6c';
const SETTINGS: ConnectorsConfig['upstream'] = {
  timeoutMs: 200,
  readRetries: 2,
  breakerFailures: 3,
  breakerHalfOpenMs: 300,
};

const json = (status: number, body: unknown, type = 'application/json'): Handler => {
  return (_req, res) => {
    res.writeHead(status, { 'content-type': type });
    res.end(JSON.stringify(body));
  };
};
const hang: Handler = () => undefined;
const drop: Handler = (req) => req.socket.destroy();

describe(UpstreamHttp.name, () => {
  let server: Server;
  let baseUrl: string;
  let handlers: Handler[];
  let fallback: Handler;
  let calls: { method: string; url: string; authorization: string | undefined; body: string }[];

  beforeAll(async () => {
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        calls.push({
          method: req.method ?? '',
          url: req.url ?? '',
          authorization: req.headers.authorization,
          body: Buffer.concat(chunks).toString('utf8'),
        });
        (handlers.shift() ?? fallback)(req, res);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api`;
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  beforeEach(() => {
    handlers = [];
    fallback = json(200, { ok: true });
    calls = [];
  });

  const client = (settings: Partial<ConnectorsConfig['upstream']> = {}): UpstreamHttp =>
    new UpstreamHttp({
      system: 'erp',
      baseUrl,
      settings: { ...SETTINGS, ...settings },
      headers: () => ({ authorization: SECRET }),
    });

  const read = (path = '/stock', extra: Partial<UpstreamRequest> = {}): UpstreamRequest => ({
    operation: 'stock.read',
    method: 'GET',
    path,
    idempotent: true,
    ...extra,
  });
  const write = (extra: Partial<UpstreamRequest> = {}): UpstreamRequest => ({
    operation: 'order.create',
    method: 'POST',
    path: '/orders',
    body: { sku: 'CHAIR-OAK-01', quantity: 2 },
    idempotent: false,
    ...extra,
  });

  const failure = async (promise: Promise<unknown>): Promise<UpstreamError> => {
    try {
      await promise;
    } catch (error) {
      expect(error).toBeInstanceOf(UpstreamError);
      return error as UpstreamError;
    }
    throw new Error('expected an UpstreamError');
  };

  const reason = (error: UpstreamError): string =>
    (error.cause as Error | undefined)?.message ?? '';

  describe('Retry-After', () => {
    it('is kept on the error, in seconds or as an HTTP date', async () => {
      fallback = (_req, res) =>
        res.writeHead(429, { 'content-type': 'application/json', 'retry-after': '120' }).end('{}');
      const error = await failure(client().request(write()));
      expect(error.retryAfterMs).toBe(120_000);
      const now = Date.parse('2026-11-30T08:00:00Z');
      expect(retryAfterMs('Mon, 30 Nov 2026 08:01:30 GMT', now)).toBe(90_000);
      expect(retryAfterMs('Mon, 30 Nov 2026 07:00:00 GMT', now)).toBe(0);
      expect(retryAfterMs('soon', now)).toBeUndefined();
      expect(retryAfterMs(null, now)).toBeUndefined();
    });

    it('a read told to wait longer than the retry backoff is not asked again at once', async () => {
      fallback = (_req, res) =>
        res.writeHead(429, { 'content-type': 'application/json', 'retry-after': '7' }).end('{}');
      const error = await failure(client().request(read()));
      expect(error.retryAfterMs).toBe(7_000);
      expect(calls).toHaveLength(1);
    });

    it('a read told to wait a moment is retried as usual', async () => {
      fallback = (_req, res) =>
        res.writeHead(503, { 'content-type': 'application/json', 'retry-after': '0' }).end('{}');
      await failure(client().request(read()));
      expect(calls).toHaveLength(1 + SETTINGS.readRetries);
    });
  });

  describe('answers', () => {
    it('sends a raw body byte for byte, as JSON', async () => {
      const raw = '{"b":1,  "a":"Phở"}';
      await client().request(write({ body: undefined, rawBody: raw }));
      expect(calls[0]?.body).toBe(raw);
    });

    it('parses JSON and sends the query, credentials and JSON body', async () => {
      fallback = json(201, { id: 7, name: 'Ghế gỗ sồi' });
      const res = await client().request(
        write({ query: { company: 'HN', draft: false, skip: undefined } }),
      );

      expect(res.status).toBe(201);
      expect(res.body).toEqual({ id: 7, name: 'Ghế gỗ sồi' });
      expect(calls).toEqual([
        {
          method: 'POST',
          url: '/api/orders?company=HN&draft=false',
          authorization: SECRET,
          body: '{"sku":"CHAIR-OAK-01","quantity":2}',
        },
      ]);
    });

    it('parses +json types such as application/problem+json', async () => {
      fallback = json(200, { a: 1 }, 'application/problem+json; charset=utf-8');
      await expect(client().request(read())).resolves.toMatchObject({ body: { a: 1 } });
    });

    it('returns a non-JSON body as text and an empty body as null', async () => {
      handlers.push((_req, res) =>
        res.writeHead(200, { 'content-type': 'text/plain' }).end('pong'),
      );
      handlers.push((_req, res) => res.writeHead(204).end());
      await expect(client().request(read())).resolves.toMatchObject({ body: 'pong' });
      await expect(client().request(read())).resolves.toMatchObject({ status: 204, body: null });
    });

    it('refuses a body that claims JSON but is not', async () => {
      fallback = (_req, res) =>
        res.writeHead(200, { 'content-type': 'application/json' }).end('{nope');
      const error = await failure(client().request(read()));
      expect(reason(error)).toBe('invalid JSON in response');
    });

    it('attaches the parsed error body to an UpstreamStatusError', async () => {
      fallback = json(400, { errors: { summary: 'required' } });
      const error = await failure(client().request(write()));
      expect(error).toBeInstanceOf(UpstreamStatusError);
      expect((error as UpstreamStatusError).body).toEqual({ errors: { summary: 'required' } });
    });
  });

  describe('timeouts', () => {
    it('gives each attempt timeoutMs: a write to a server that never answers fails once', async () => {
      fallback = hang;
      const error = await failure(client().request(write()));

      expect(error.upstreamStatus).toBeUndefined();
      expect(isTransient(error)).toBe(true);
      expect(calls).toHaveLength(1);
    });

    // fetch rejects with the abort reason before the timeout policy's own error.
    it('says "timed out or cancelled" for a timeout in the cause', async () => {
      fallback = hang;
      const error = await failure(client().request(write()));
      expect(reason(error)).toBe('timed out or cancelled');
    });

    it('times out each read attempt separately, then gives up', async () => {
      fallback = hang;
      const error = await failure(client().request(read()));
      expect(calls).toHaveLength(1 + SETTINGS.readRetries);
      expect(isTransient(error)).toBe(true);
    });

    it("stops at the caller's signal", async () => {
      const caller = new AbortController();
      // Aborted once the server holds the call; it never answers, and the per-attempt
      // timeout is longer than Jest's, so only the caller's signal can end this test.
      fallback = () => caller.abort();
      const error = await failure(
        client({ timeoutMs: 600_000 }).request(read('/stock', { signal: caller.signal })),
      );
      expect(error.upstreamStatus).toBeUndefined();
      expect(reason(error)).toBe('timed out or cancelled');
      expect(calls).toHaveLength(1);
    });
  });

  describe('retries', () => {
    it('retries a read on 503 up to readRetries times, then fails with the status', async () => {
      fallback = json(503, { message: 'maintenance' });
      const error = await failure(client().request(read()));

      expect(calls).toHaveLength(3);
      expect(error).toBeInstanceOf(UpstreamStatusError);
      expect(error.upstreamStatus).toBe(503);
    });

    it('returns the answer of a retry that succeeds', async () => {
      handlers.push(json(503, {}), drop);
      fallback = json(200, { onHand: 12 });
      await expect(client().request(read())).resolves.toMatchObject({ body: { onHand: 12 } });
      expect(calls).toHaveLength(3);
    });

    it('retries a read after a network error, then fails without a status', async () => {
      fallback = drop;
      const error = await failure(client().request(read()));
      expect(calls).toHaveLength(3);
      expect(error.upstreamStatus).toBeUndefined();
      expect(reason(error)).toBe('unreachable');
    });

    // A proxy's error page under a JSON content type is still a transient 502.
    it('retries a read on a 502 whose JSON body is malformed', async () => {
      fallback = (_req, res) =>
        res.writeHead(502, { 'content-type': 'application/json' }).end('<html>');
      await failure(client().request(read()));
      expect(calls).toHaveLength(3);
    });

    it('honours readRetries: 0', async () => {
      fallback = json(503, {});
      await failure(client({ readRetries: 0 }).request(read()));
      expect(calls).toHaveLength(1);
    });

    it('never retries a write, whatever the failure', async () => {
      for (const handler of [json(503, {}), drop, json(429, {})]) {
        calls = [];
        fallback = handler;
        await failure(client().request(write()));
        expect(calls).toHaveLength(1);
      }
    });

    it.each([400, 401, 403, 404, 409, 422])(
      'does not retry a %i read and marks it permanent',
      async (status) => {
        fallback = json(status, {});
        const error = (await failure(client().request(read()))) as UpstreamStatusError;
        expect(calls).toHaveLength(1);
        expect(error.permanent).toBe(true);
        expect(isTransient(error)).toBe(false);
      },
    );

    it.each([408, 425, 429])('retries a %i read: it is not permanent', async (status) => {
      fallback = json(status, {});
      const error = (await failure(client().request(read()))) as UpstreamStatusError;
      expect(calls).toHaveLength(3);
      expect(error.permanent).toBe(false);
    });
  });

  describe('circuit breaker', () => {
    it('opens after breakerFailures consecutive transient failures and then fails fast', async () => {
      const http = client();
      fallback = json(503, {});
      for (let i = 0; i < SETTINGS.breakerFailures; i += 1) await failure(http.request(write()));
      expect(calls).toHaveLength(3);

      const error = await failure(http.request(write()));
      expect(reason(error)).toBe('circuit open');
      expect(calls).toHaveLength(3);
    });

    it('fails reads fast too, without calling the server', async () => {
      const http = client({ readRetries: 0 });
      fallback = drop;
      for (let i = 0; i < SETTINGS.breakerFailures; i += 1) await failure(http.request(read()));
      calls = [];
      const error = await failure(http.request(read()));
      expect(reason(error)).toBe('circuit open');
      expect(calls).toHaveLength(0);
    });

    // An open circuit must not cost a read its retry backoff.
    it('fails reads fast with read retries configured', async () => {
      const http = client();
      fallback = json(503, {});
      for (let i = 0; i < SETTINGS.breakerFailures; i += 1) await failure(http.request(write()));
      // Every retry goes through the breaker again, after its backoff: one pass means none.
      const passes = jest.spyOn(http.breaker, 'execute');
      const error = await failure(http.request(read()));
      expect(reason(error)).toBe('circuit open');
      expect(passes).toHaveBeenCalledTimes(1);
    });

    it('is reported for /metrics: open, then half-open, then closed', async () => {
      // Half-open at the next call, and no timeout racing the trial: the test decides each step.
      const http = client({ breakerHalfOpenMs: 0, timeoutMs: 600_000 });
      const state = () => circuitStates().find((c) => c.system === 'erp')?.open;
      expect(state()).toBe(0);
      fallback = json(503, {});
      for (let i = 0; i < SETTINGS.breakerFailures; i += 1) await failure(http.request(write()));
      expect(state()).toBe(1);

      let answerTrial!: () => void;
      const trialArrived = new Promise<void>((arrived) => {
        fallback = (req, res) => {
          answerTrial = () => json(200, {})(req, res);
          arrived();
        };
      });
      const trial = http.request(write());
      await trialArrived;
      expect(state()).toBe(0.5);
      answerTrial();
      await expect(trial).resolves.toMatchObject({ status: 200 });
      expect(state()).toBe(0);
    });

    it('is shared by every call to the system', async () => {
      const http = client();
      fallback = json(502, {});
      for (let i = 0; i < SETTINGS.breakerFailures; i += 1) await failure(http.request(write()));
      calls = [];
      await failure(http.request(read('/anything-else')));
      expect(calls).toHaveLength(0);
    });

    it('lets one call through after breakerHalfOpenMs, and closes when it succeeds', async () => {
      const http = client();
      fallback = json(503, {});
      for (let i = 0; i < SETTINGS.breakerFailures; i += 1) await failure(http.request(write()));
      await new Promise((r) => setTimeout(r, SETTINGS.breakerHalfOpenMs + 50));

      fallback = json(200, { ok: true });
      calls = [];
      await expect(http.request(write())).resolves.toMatchObject({ status: 200 });
      await expect(http.request(write())).resolves.toMatchObject({ status: 200 });
      expect(calls).toHaveLength(2);
    });

    it('opens again at once when the half-open call fails', async () => {
      const http = client();
      fallback = json(503, {});
      for (let i = 0; i < SETTINGS.breakerFailures; i += 1) await failure(http.request(write()));
      await new Promise((r) => setTimeout(r, SETTINGS.breakerHalfOpenMs + 50));
      calls = [];
      await failure(http.request(write()));
      const error = await failure(http.request(write()));
      expect(calls).toHaveLength(1);
      expect(reason(error)).toBe('circuit open');
    });

    it('does not count permanent refusals (4xx) as failures of the system', async () => {
      const http = client();
      fallback = json(400, {});
      for (let i = 0; i < SETTINGS.breakerFailures + 2; i += 1)
        await failure(http.request(write()));
      expect(calls).toHaveLength(SETTINGS.breakerFailures + 2);
    });
  });

  describe('oversized answers', () => {
    it('refuses a declared Content-Length above the limit without reading it', async () => {
      fallback = (_req, res) => {
        res.writeHead(200, {
          'content-type': 'application/json',
          'content-length': String(MAX_RESPONSE_BYTES + 1),
        });
        res.write('[');
      };
      const error = await failure(client().request(write()));
      expect(reason(error)).toBe('response too large');
    });

    it('refuses a chunked answer that grows past the limit', async () => {
      fallback = (_req, res) => {
        res.writeHead(200, { 'content-type': 'text/plain' });
        res.end('x'.repeat(MAX_RESPONSE_BYTES + 1));
      };
      const error = await failure(client().request(write()));
      expect(reason(error)).toBe('response too large');
    });
  });

  describe('what errors carry', () => {
    it.each<[string, Handler]>([
      ['a status error', json(500, { detail: 'x' })],
      ['a timeout', hang],
      ['a network error', drop],
      [
        'a bad JSON body',
        (_q, r) => r.writeHead(200, { 'content-type': 'application/json' }).end('{'),
      ],
    ])('never the URL or the Authorization value (%s)', async (_name, handler) => {
      fallback = handler;
      const error = await failure(client().request(read('/stock?token=qs-secret')));
      const text = `${error.message} ${inspect(error, { depth: 10 })} ${JSON.stringify(error)}`;
      expect(text).not.toContain(baseUrl);
      expect(text).not.toContain('127.0.0.1');
      expect(text).not.toContain('qs-secret');
      expect(text).not.toContain(SECRET);
      expect(error.message).toBe('erp stock.read failed');
      expect(error.system).toBe('erp');
    });
  });
});
