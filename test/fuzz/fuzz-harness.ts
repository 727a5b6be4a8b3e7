import v8 from 'node:v8';
import vm from 'node:vm';
import type { Response, Test } from 'supertest';
import type { PrismaService } from '../../src/database/prisma.service.js';
import type { CaseClass } from './hostile.arbitraries.js';

export const PROBLEM_FIELDS = {
  type: 'string',
  title: 'string',
  status: 'number',
  detail: 'string',
  instance: 'string',
  code: 'string',
  retryable: 'boolean',
  agentHint: 'string',
} as const;

/** Stack frames, file paths and database errors: what a leaking error body would carry. */
const LEAK =
  /\bat \S+ \(\S+:\d+:\d+\)|node_modules|PrismaClient|SQLITE_|better-sqlite3|\.(js|ts):\d+:\d+/;

export type Protocol = 'api' | 'oauth' | 'mcp';

/** One generated request: which route, what kind of hostility, and how to send it. */
export interface FuzzCase {
  route: string;
  kind: CaseClass;
  protocol: Protocol;
  /** A write: a rejection must leave no business or outbox row behind. */
  write: boolean;
  hostileHeaders: boolean;
  /** What is sent, shown when a case fails (fast-check prints the case). */
  input: string;
  send: () => Test;
}

export class FuzzStats {
  readonly byClass = new Map<string, number>();
  readonly byRoute = new Map<string, Map<number, number>>();
  serverErrors = 0;
  cases = 0;
  hostileHeaderCases = 0;

  record(c: FuzzCase, status: number): void {
    this.cases += 1;
    if (c.hostileHeaders) this.hostileHeaderCases += 1;
    this.byClass.set(c.kind, (this.byClass.get(c.kind) ?? 0) + 1);
    const statuses = this.byRoute.get(c.route) ?? new Map<number, number>();
    statuses.set(status, (statuses.get(status) ?? 0) + 1);
    this.byRoute.set(c.route, statuses);
    if (status >= 500) this.serverErrors += 1;
  }

  report(title: string): string {
    const classes = [...this.byClass.entries()].sort((a, b) => b[1] - a[1]);
    const routes = [...this.byRoute.entries()].map(([route, statuses]) => {
      const list = [...statuses.entries()].sort((a, b) => a[0] - b[0]).map(([s, n]) => `${s}×${n}`);
      return `  ${route.padEnd(48)} ${list.join(' ')}`;
    });
    return [
      `${title}: ${this.cases} cases, ${this.serverErrors} responses >= 500, ${this.hostileHeaderCases} with hostile headers`,
      `  by class: ${classes.map(([k, n]) => `${k}=${n}`).join(', ')}`,
      ...routes,
    ].join('\n');
  }
}

/** Business and outbox rows: a rejected write must not add any. */
export async function rowCounts(prisma: PrismaService): Promise<string> {
  const rows = await prisma.$queryRawUnsafe<Record<string, bigint | number>[]>(
    'SELECT (SELECT COUNT(*) FROM "Lead") AS leads, (SELECT COUNT(*) FROM "InternalRequest") AS requests, ' +
      '(SELECT COUNT(*) FROM "Handoff") AS handoffs, (SELECT COUNT(*) FROM "OutboxMessage") AS outbox',
  );
  const row = rows[0] ?? {};
  return ['leads', 'requests', 'handoffs', 'outbox'].map((k) => `${k}=${String(row[k])}`).join(' ');
}

/** Sends one case and checks the response contract; throws (so fast-check shrinks) on a violation. */
export async function runCase(
  c: FuzzCase,
  stats: FuzzStats,
  prisma: PrismaService,
): Promise<Response> {
  const before = c.write ? await rowCounts(prisma) : '';
  const res = await c.send();
  stats.record(c, res.status);
  const where = `${c.route} [${c.kind}] ${c.input.slice(0, 600)} -> ${res.status}`;
  if (res.status >= 500) throw new Error(`${where}: server error ${res.text.slice(0, 400)}`);
  if (res.status < 400) return res;
  if (c.write) {
    const after = await rowCounts(prisma);
    if (after !== before)
      throw new Error(`${where}: a rejected write changed rows (${before} -> ${after})`);
  }
  if (LEAK.test(res.text))
    throw new Error(`${where}: the error body leaks internals: ${res.text.slice(0, 400)}`);
  const body: unknown = res.body;
  if (c.protocol === 'oauth' && (res.status === 400 || res.status === 401)) {
    if (!res.headers['content-type']?.startsWith('application/json'))
      throw new Error(`${where}: not JSON`);
    if (typeof (body as { error?: unknown }).error !== 'string') {
      throw new Error(`${where}: not an RFC 6749 error: ${res.text.slice(0, 300)}`);
    }
    return res;
  }
  if (c.protocol === 'mcp' && res.headers['content-type']?.startsWith('application/json')) {
    if (!isJsonRpcError(body))
      throw new Error(`${where}: not a JSON-RPC error: ${res.text.slice(0, 300)}`);
    return res;
  }
  expectProblem(res, where);
  return res;
}

function expectProblem(res: Response, where: string): void {
  if (!res.headers['content-type']?.startsWith('application/problem+json')) {
    throw new Error(
      `${where}: content-type ${res.headers['content-type']}, not problem+json: ${res.text.slice(0, 300)}`,
    );
  }
  const body = res.body as Record<string, unknown>;
  for (const [field, type] of Object.entries(PROBLEM_FIELDS)) {
    if (typeof body[field] !== type)
      throw new Error(`${where}: problem field ${field} is not a ${type}`);
  }
  if (body.status !== res.status)
    throw new Error(`${where}: problem status ${String(body.status)}`);
  if (body.instance !== res.headers['x-request-id'])
    throw new Error(`${where}: instance is not the request id`);
  if (res.status === 429) {
    if (
      body.retryable !== true ||
      typeof body.retryAfterSeconds !== 'number' ||
      !res.headers['retry-after']
    ) {
      throw new Error(`${where}: 429 without retryable, retryAfterSeconds and Retry-After`);
    }
  }
}

function isJsonRpcError(body: unknown): boolean {
  const error = (body as { error?: { code?: unknown; message?: unknown } } | null)?.error;
  return typeof error?.code === 'number' && typeof error.message === 'string';
}

/** A real garbage collection (Jest runs without --expose-gc), so heap figures compare live data. */
export function collectGarbage(): void {
  v8.setFlagsFromString('--expose-gc');
  const gc = vm.runInNewContext('gc') as () => void;
  gc();
  gc();
}
