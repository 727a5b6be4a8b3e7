import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readAll } from './read-body.js';

/** How far `webhook-timestamp` may be from the receiver's clock (Standard Webhooks' 5 minutes). */
export const TOLERANCE_SECONDS = 5 * 60;

/**
 * The receiver-side check exactly as docs/connectors/webhook.md gives it:
 * HMAC-SHA-256 over `{webhook-id}.{webhook-timestamp}.{raw body}` with the
 * secret (decoded when it is `whsec_<base64>`), compared in constant time with
 * each `v1,` entry of `webhook-signature`, and a timestamp within tolerance.
 */
export function verifyWebhook(
  secret: string,
  headers: Record<string, string | string[] | undefined>,
  rawBody: string,
  nowSeconds = Math.floor(Date.now() / 1000),
): boolean {
  const id = headers['webhook-id'];
  const timestamp = headers['webhook-timestamp'];
  const signatures = headers['webhook-signature'];
  if (typeof id !== 'string' || typeof timestamp !== 'string' || typeof signatures !== 'string') {
    return false;
  }
  if (!/^\d+$/.test(timestamp)) return false;
  if (Math.abs(nowSeconds - Number(timestamp)) > TOLERANCE_SECONDS) return false;
  const key = secret.startsWith('whsec_')
    ? Buffer.from(secret.slice('whsec_'.length), 'base64')
    : Buffer.from(secret, 'utf8');
  const expected = createHmac('sha256', key).update(`${id}.${timestamp}.${rawBody}`).digest();
  return signatures.split(' ').some((entry) => {
    const [version, signature] = entry.split(',');
    if (version !== 'v1' || !signature) return false;
    const given = Buffer.from(signature, 'base64');
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
}

export interface ReceivedWebhook {
  id: string;
  timestamp: number;
  signature: string;
  contentType: string | undefined;
  raw: string;
  body: { type: string; timestamp: string; channel: string; data: Record<string, unknown> };
}

export interface ReceiverFault {
  status?: number;
  hang?: boolean;
}

/**
 * A webhook receiver that verifies every POST as documented, answers 401 to a
 * bad signature or a stale timestamp, and processes each `webhook-id` once
 * (a redelivery is acknowledged but not processed again).
 */
export class WebhookReceiverFake {
  /** Verified deliveries, redeliveries included. */
  readonly deliveries: ReceivedWebhook[] = [];
  /** Each webhook-id processed once, in order. */
  readonly processed: ReceivedWebhook[] = [];
  rejected = 0;
  private readonly faults: ReceiverFault[] = [];
  private readonly hanging = new Set<ServerResponse>();
  private server: Server | null = null;
  url = '';

  constructor(
    private readonly secret: string,
    private readonly path = '/hooks/gatehouse',
  ) {}

  async start(): Promise<this> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}${this.path}`;
    return this;
  }

  async stop(): Promise<void> {
    for (const res of this.hanging) res.destroy();
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }

  /** The next delivery gets this answer (after verification) instead of 204. */
  failNext(fault: ReceiverFault): void {
    this.faults.push(fault);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const raw = await readAll(req);
    if (req.method !== 'POST' || new URL(req.url ?? '/', 'http://r.test').pathname !== this.path) {
      res.writeHead(404).end();
      return;
    }
    if (!verifyWebhook(this.secret, req.headers, raw)) {
      this.rejected += 1;
      res.writeHead(401, { 'content-type': 'text/plain' }).end('invalid signature');
      return;
    }
    const fault = this.faults.shift();
    if (fault?.hang) {
      this.hanging.add(res);
      return;
    }
    if (fault) {
      res.writeHead(fault.status ?? 500, { 'content-type': 'text/plain' }).end('receiver says no');
      return;
    }
    const received: ReceivedWebhook = {
      id: String(req.headers['webhook-id']),
      timestamp: Number(req.headers['webhook-timestamp']),
      signature: String(req.headers['webhook-signature']),
      contentType: req.headers['content-type'],
      raw,
      body: JSON.parse(raw) as ReceivedWebhook['body'],
    };
    this.deliveries.push(received);
    if (!this.processed.some((p) => p.id === received.id)) this.processed.push(received);
    res.writeHead(204).end();
  }
}
