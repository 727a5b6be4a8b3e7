import { execFileSync } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { cpus, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import {
  cpuSecondsOf,
  memoryOf,
  pinCpus,
  startNode,
  stop,
  waitForOk,
  type Started,
} from './processes.js';
import { formatProfile, summarizeProfile, type ProfileSummary } from './profile-summary.js';

/**
 * `npm run bench`: Gatehouse (embedded store, outbox on) against a bare
 * Fastify server returning the same JSON, loaded alternately on loopback with
 * autocannon. See docs/benchmarks.md for the method and the last results.
 */

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const SKU = 'BAN-GO-SOI-120';
const INVENTORY_PATH = `/v1/inventory/${SKU}`;

const settings = {
  duration: envNumber('BENCH_DURATION', 10),
  rounds: envNumber('BENCH_ROUNDS', 3),
  connections: envNumber('BENCH_CONNECTIONS', 50),
  warmup: envNumber('BENCH_WARMUP', 3),
  soak: envNumber('BENCH_SOAK', 0),
  pin: process.env.BENCH_PIN !== '0',
  profile: process.env.BENCH_CPU_PROF === '1',
  logLevel: process.env.BENCH_LOG_LEVEL ?? 'info',
  only: (process.env.BENCH_ONLY ?? '').split(',').filter(Boolean),
  keep: process.env.BENCH_KEEP === '1',
  /** A PostgreSQL database to run Gatehouse on instead of the embedded store (an empty one: it is migrated and seeded). */
  databaseUrl: process.env.BENCH_DATABASE_URL,
  redisUrl: process.env.BENCH_REDIS_URL,
};

const GOALS = { inventoryRatio: 0.3, inventoryP99Ms: 10, leadRatio: 0.1, rssMb: 250 };

type ScenarioId = 'inventory_jwt' | 'inventory_api_key' | 'create_lead' | 'mcp_call';

interface Credentials {
  token: string;
  apiKey: string;
}

interface Scenario {
  id: ScenarioId;
  label: string;
  unavailable?: string;
  options: (base: string) => autocannon.Options;
}

interface Measure {
  rps: number;
  p50: number;
  p99: number;
  non2xx: number;
  errors: number;
  /** Server CPU time per answered request, in µs: steadier than req/s on a shared VM. */
  cpuUs: number;
}

interface Row {
  scenario: Scenario;
  gatehouse: Measure[];
  baseline: Measure[];
}

function envNumber(name: string, fallback: number): number {
  const raw = process.env[name];
  const value = raw === undefined || raw === '' ? fallback : Number(raw);
  if (!Number.isFinite(value) || value < 0)
    throw new Error(`${name} must be a non-negative number`);
  return value;
}

function log(line: string): void {
  process.stderr.write(`[bench] ${line}\n`);
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address
          ? resolve(address.port)
          : reject(new Error('no port')),
      );
    });
  });
}

function cli(args: string[], env: NodeJS.ProcessEnv, cwd: string): unknown {
  const out = execFileSync(
    process.execPath,
    [path.join(ROOT, 'dist/bin/gatehouse.js'), ...args, '--json'],
    {
      cwd,
      env,
      encoding: 'utf8',
    },
  );
  return JSON.parse(out);
}

async function json(res: Response): Promise<unknown> {
  const text = await res.text();
  try {
    return JSON.parse(text);
  } catch {
    throw new Error(`${res.url} answered ${res.status} with non-JSON: ${text.slice(0, 200)}`);
  }
}

const MCP_HEADERS = {
  'content-type': 'application/json',
  accept: 'application/json, text/event-stream',
  'mcp-protocol-version': '2025-06-18',
};

const MCP_CALL = JSON.stringify({
  jsonrpc: '2.0',
  id: 1,
  method: 'tools/call',
  params: { name: 'check_inventory', arguments: { sku: SKU } },
});

function leadBody(): string {
  const id = randomUUID();
  return JSON.stringify({
    name: 'Bench Lead',
    email: `bench-${id}@example.vn`,
    company: 'Bench Co',
    channel: 'web',
    consent: true,
  });
}

function scenarios(creds: Credentials, mcpUnavailable: string | undefined): Scenario[] {
  const bearer = { authorization: `Bearer ${creds.token}` };
  const list: Scenario[] = [
    {
      id: 'inventory_jwt',
      label: 'check_inventory (JWT)',
      options: (base) => ({ url: `${base}${INVENTORY_PATH}`, headers: bearer }),
    },
    {
      id: 'inventory_api_key',
      label: 'check_inventory (API key)',
      options: (base) => ({
        url: `${base}${INVENTORY_PATH}`,
        headers: { 'x-api-key': creds.apiKey },
      }),
    },
    {
      id: 'create_lead',
      label: 'create_lead (new Idempotency-Key)',
      options: (base) => ({
        url: `${base}/v1/leads`,
        requests: [
          {
            method: 'POST',
            path: '/v1/leads',
            setupRequest: (request) => ({
              ...request,
              method: 'POST',
              headers: {
                ...bearer,
                'content-type': 'application/json',
                'idempotency-key': randomUUID(),
              },
              body: leadBody(),
            }),
          },
        ],
      }),
    },
    {
      id: 'mcp_call',
      label: 'MCP tools/call check_inventory',
      ...(mcpUnavailable ? { unavailable: mcpUnavailable } : {}),
      options: (base) => ({
        url: `${base}/mcp`,
        method: 'POST',
        headers: { ...bearer, ...MCP_HEADERS },
        body: MCP_CALL,
      }),
    },
  ];
  return settings.only.length > 0 ? list.filter((s) => settings.only.includes(s.id)) : list;
}

/**
 * Loads one target; `settle` runs before the server's CPU time is read again,
 * so work a request leaves behind (outbox deliveries) is counted with it.
 */
async function load(
  options: autocannon.Options,
  duration: number,
  pid?: number,
  settle?: () => Promise<unknown>,
): Promise<Measure> {
  const cpuBefore = cpuSecondsOf(pid);
  const result = await autocannon({
    connections: settings.connections,
    duration,
    ...options,
  });
  await settle?.();
  const cpuUs = ((cpuSecondsOf(pid) - cpuBefore) / Math.max(1, result.requests.total)) * 1e6;
  return {
    cpuUs,
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
  };
}

/** Outbox messages still to deliver, read from Gatehouse's own /metrics (loopback, no token). */
async function outboxBacklog(base: string): Promise<number> {
  const text = await (await fetch(`${base}/metrics`)).text();
  let total = 0;
  for (const m of text.matchAll(
    /^gatehouse_outbox_messages\{status="(pending|processing)"\} (\d+)/gm,
  )) {
    total += Number(m[2]);
  }
  return total;
}

/** Commit counters from /metrics: audit batches, and write transactions per group commit. */
async function commitCounters(base: string): Promise<{
  batches: number;
  events: number;
  seconds: number;
  writeTransactions: number;
  writeCommits: number;
}> {
  const text = await (await fetch(`${base}/metrics`)).text();
  const read = (name: string) =>
    Number(new RegExp(`^${name} ([0-9.e+-]+)$`, 'm').exec(text)?.[1] ?? NaN);
  return {
    batches: read('gatehouse_audit_batches_total'),
    events: read('gatehouse_audit_events_total'),
    seconds: read('gatehouse_audit_append_seconds_total'),
    writeTransactions: read('gatehouse_sqlite_write_transactions_total'),
    writeCommits: read('gatehouse_sqlite_write_commits_total'),
  };
}

/** Lets the outbox worker deliver what a write round queued, so it does not share the baseline's core. */
async function waitForOutbox(base: string, timeoutMs = 120_000): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  let backlog = await outboxBacklog(base);
  while (backlog > 0 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 500));
    backlog = await outboxBacklog(base);
  }
  return backlog;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[mid] ?? NaN)
    : ((sorted[mid - 1] ?? NaN) + (sorted[mid] ?? NaN)) / 2;
}

function summarize(measures: Measure[]): Measure {
  return {
    rps: median(measures.map((m) => m.rps)),
    p50: median(measures.map((m) => m.p50)),
    p99: median(measures.map((m) => m.p99)),
    non2xx: measures.reduce((n, m) => n + m.non2xx, 0),
    errors: measures.reduce((n, m) => n + m.errors, 0),
    cpuUs: median(measures.map((m) => m.cpuUs)),
  };
}

/** autocannon measures latency in whole milliseconds (a p50 under 1 ms reads 0); a median of two rounds may end in .5. */
function milliseconds(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toFixed(1);
}

function table(rows: Row[]): string {
  const header = [
    'scenario',
    'Gatehouse req/s',
    'p50 ms',
    'p99 ms',
    'CPU µs/req',
    'baseline req/s',
    'p50 ms',
    'p99 ms',
    'CPU µs/req',
    'ratio',
    'non-2xx/err',
  ];
  const lines = rows.map(({ scenario, gatehouse, baseline }) => {
    if (scenario.unavailable)
      return [scenario.label, scenario.unavailable, '', '', '', '', '', '', '', '', ''];
    const g = summarize(gatehouse);
    const b = summarize(baseline);
    return [
      scenario.label,
      g.rps.toFixed(0),
      milliseconds(g.p50),
      milliseconds(g.p99),
      g.cpuUs.toFixed(0),
      b.rps.toFixed(0),
      milliseconds(b.p50),
      milliseconds(b.p99),
      b.cpuUs.toFixed(0),
      `${(g.rps / b.rps).toFixed(2)} ×`,
      `${g.non2xx}/${g.errors}`,
    ];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => (l[i] ?? '').length)));
  const fmt = (cells: string[]) =>
    `| ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join(' | ')} |`;
  return [
    fmt(header),
    `|${widths.map((w, i) => (i === 0 ? '-'.repeat(w + 2) : `${'-'.repeat(w + 1)}:`)).join('|')}|`,
    ...lines.map(fmt),
  ].join('\n');
}

/** The heap cap `npm start` runs with: MAX_HEAP_MB, else the default written in its script. */
function heapMb(): string {
  const scripts = (
    JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
      scripts: Record<string, string>;
    }
  ).scripts;
  const fallback = /\$\{MAX_HEAP_MB:-(\d+)\}/.exec(scripts.start ?? '')?.[1];
  const value = process.env.MAX_HEAP_MB ?? fallback;
  if (!value || !/^\d+$/.test(value)) throw new Error('MAX_HEAP_MB must be a number of megabytes');
  return value;
}

function storeLabel(): string {
  if (!settings.databaseUrl) return 'embedded SQLite';
  return `PostgreSQL (BENCH_DATABASE_URL)${settings.redisUrl ? ' + Redis (BENCH_REDIS_URL)' : ''}`;
}

/**
 * PostgreSQL needs the pepper and key-encryption key from the environment;
 * the caller's are used when set, else fresh ones, which is why the database
 * must be a throw-away one.
 */
function serverSecrets(): NodeJS.ProcessEnv {
  return {
    GATEHOUSE_PEPPER: process.env.GATEHOUSE_PEPPER ?? randomBytes(32).toString('hex'),
    GATEHOUSE_KEY_ENCRYPTION_KEY:
      process.env.GATEHOUSE_KEY_ENCRYPTION_KEY ?? randomBytes(32).toString('base64'),
  };
}

function machine(): string {
  const model =
    /^model name\s*:\s*(.+)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? 'unknown CPU';
  return `${cpus().length} CPU(s), ${model}, Node ${process.version}`;
}

async function main(): Promise<void> {
  const pins = pinCpus(settings.pin);
  const dir = mkdtempSync(path.join(tmpdir(), 'gatehouse-bench-'));
  const resultsDir = path.join(ROOT, 'bench/results');
  mkdirSync(resultsDir, { recursive: true });
  const [gatePort, basePort] = [await freePort(), await freePort()];
  const gateBase = `http://127.0.0.1:${gatePort}`;
  const baseBase = `http://127.0.0.1:${basePort}`;
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    DATABASE_URL: settings.databaseUrl ?? `file:${path.join(dir, 'gatehouse.db')}`,
    ...(settings.databaseUrl ? { ...serverSecrets(), SEED_DEMO_DATA: 'true' } : {}),
    ...(settings.redisUrl ? { REDIS_URL: settings.redisUrl } : {}),
    HOST: '127.0.0.1',
    PORT: String(gatePort),
    OUTBOX_ENABLED: 'true',
    TOKEN_TTL_SECONDS: '3600',
    // Limits that never cap a run (a client's own limits stop at 100000 a minute).
    THROTTLE_READ_PER_MINUTE: '1000000',
    THROTTLE_WRITE_PER_MINUTE: '1000000',
    LOG_LEVEL: settings.logLevel,
    ...(process.env.BENCH_NODE_OPTIONS ? { NODE_OPTIONS: process.env.BENCH_NODE_OPTIONS } : {}),
  };
  const started: Started[] = [];
  const startGatehouse = (nodeArgs: string[] = []) => {
    const s = startNode(path.join(ROOT, 'dist/main.js'), {
      env,
      cwd: dir,
      logFile: path.join(dir, 'gatehouse.log'),
      ...(pins.server === undefined ? {} : { cpu: pins.server }),
      nodeArgs: [`--max-old-space-size=${heapMb()}`, ...nodeArgs],
    });
    started.push(s);
    return s;
  };

  try {
    log(`machine: ${machine()}; servers pinned to CPU ${pins.server ?? 'none'}`);
    log(`data dir ${dir}: first start migrates and seeds the demo data`);
    const seeding = startGatehouse();
    await waitForOk(`${gateBase}/readyz`, seeding);
    await stop(seeding);

    const client = cli(
      ['clients', 'create', '--name', 'bench', '--scopes', 'inventory:read,leads:write'],
      env,
      dir,
    ) as { clientId: string; clientSecret: string };
    const { apiKey } = cli(['keys', 'create', client.clientId], env, dir) as { apiKey: string };

    const profileDir = path.join(dir, 'profile');
    const spawnedAt = Date.now();
    const gatehouse = startGatehouse(
      settings.profile ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [],
    );
    await waitForOk(`${gateBase}/readyz`, gatehouse);
    const pid = gatehouse.child.pid;

    const tokenRes = await fetch(`${gateBase}/oauth/token`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`${client.clientId}:${client.clientSecret}`).toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: 'grant_type=client_credentials',
    });
    const { access_token: token } = (await json(tokenRes)) as { access_token: string };
    const creds: Credentials = { token, apiKey };

    const inventory = await json(
      await fetch(`${gateBase}${INVENTORY_PATH}`, {
        headers: { authorization: `Bearer ${token}` },
      }),
    );
    const leadRes = await fetch(`${gateBase}/v1/leads`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${token}`,
        'content-type': 'application/json',
        'idempotency-key': randomUUID(),
      },
      body: leadBody(),
    });
    if (leadRes.status !== 201)
      throw new Error(`create_lead answered ${leadRes.status}: ${await leadRes.text()}`);
    const lead = await json(leadRes);
    const mcpRes = await fetch(`${gateBase}/mcp`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, ...MCP_HEADERS },
      body: MCP_CALL,
    });
    const mcpText = await mcpRes.text();
    const mcpUnavailable =
      mcpRes.status === 404
        ? 'n/a (no /mcp)'
        : mcpRes.status !== 200 ||
            !mcpText.includes('"result"') ||
            mcpText.includes('"isError":true')
          ? `n/a (/mcp answered ${mcpRes.status})`
          : undefined;
    if (mcpUnavailable) log(`MCP: ${mcpUnavailable}: ${mcpText.slice(0, 300)}`);

    const fixtures = path.join(dir, 'fixtures.json');
    writeFileSync(
      fixtures,
      JSON.stringify({
        inventory,
        lead,
        ...(mcpUnavailable ? {} : { mcp: JSON.parse(mcpText) as unknown }),
      }),
    );
    const baseline = startNode(path.join(ROOT, 'dist/bench/baseline-server.js'), {
      env: { PATH: process.env.PATH, BASELINE_PORT: String(basePort), BASELINE_FIXTURES: fixtures },
      cwd: dir,
      logFile: path.join(dir, 'baseline.log'),
      ...(pins.server === undefined ? {} : { cpu: pins.server }),
    });
    started.push(baseline);
    await waitForOk(`${baseBase}${INVENTORY_PATH}`, baseline);

    let peakSampledMb = 0;
    const sampler = setInterval(() => {
      peakSampledMb = Math.max(peakSampledMb, memoryOf(pid)?.rssMb ?? 0);
    }, 250);

    const loadStartedAt = Date.now();
    const list = scenarios(creds, mcpUnavailable);
    const rows: Row[] = list.map((scenario) => ({ scenario, gatehouse: [], baseline: [] }));
    if (settings.warmup > 0) {
      log(`warm-up: ${settings.warmup} s per target and scenario`);
      for (const { scenario } of rows.filter((r) => !r.scenario.unavailable)) {
        await load(scenario.options(gateBase), settings.warmup);
        await waitForOutbox(gateBase);
        await load(scenario.options(baseBase), settings.warmup);
      }
    }
    // Group commits while writes are under load (the outbox drain afterwards commits one by one).
    const writesUnderLoad = { transactions: 0, commits: 0 };
    for (const row of rows.filter((r) => !r.scenario.unavailable)) {
      for (let round = 1; round <= settings.rounds; round++) {
        let left = 0;
        const writes = row.scenario.id === 'create_lead';
        const before = writes ? await commitCounters(gateBase) : undefined;
        const g = await load(row.scenario.options(gateBase), settings.duration, pid, async () => {
          if (before) {
            const after = await commitCounters(gateBase);
            writesUnderLoad.transactions += after.writeTransactions - before.writeTransactions;
            writesUnderLoad.commits += after.writeCommits - before.writeCommits;
          }
          left = await waitForOutbox(gateBase);
        });
        if (left > 0) log(`outbox still holds ${left} message(s); the baseline shares its core`);
        const b = await load(row.scenario.options(baseBase), settings.duration, baseline.child.pid);
        row.gatehouse.push(g);
        row.baseline.push(b);
        log(
          `${row.scenario.id} round ${round}: Gatehouse ${g.rps.toFixed(0)} req/s (p99 ${g.p99} ms, non-2xx ${g.non2xx}, ${g.cpuUs.toFixed(0)} µs CPU/req), baseline ${b.rps.toFixed(0)} req/s (${b.cpuUs.toFixed(0)} µs CPU/req), RSS ${memoryOf(pid)?.rssMb.toFixed(0)} MB`,
        );
      }
    }

    const soak: { second: number; rssMb: number }[] = [];
    if (settings.soak > 0) {
      log(`soak: ${settings.soak} s of check_inventory (JWT), RSS every 5 s`);
      const t0 = Date.now();
      const every = setInterval(() => {
        soak.push({
          second: Math.round((Date.now() - t0) / 1000),
          rssMb: memoryOf(pid)?.rssMb ?? NaN,
        });
      }, 5_000);
      await load(
        { url: `${gateBase}${INVENTORY_PATH}`, headers: { authorization: `Bearer ${token}` } },
        settings.soak,
      );
      clearInterval(every);
    }
    clearInterval(sampler);
    const audit = await commitCounters(gateBase);
    const memory = memoryOf(pid);
    const peakRssMb = Math.max(memory?.peakRssMb ?? 0, peakSampledMb);

    await stop(baseline);
    const exitCode = await stop(gatehouse);
    let profile: ProfileSummary | undefined;
    if (settings.profile) {
      const file = readdirSync(profileDir).find((f) => f.endsWith('.cpuprofile'));
      if (file) {
        const kept = path.join(resultsDir, `gatehouse-${Date.now()}.cpuprofile`);
        copyFileSync(path.join(profileDir, file), kept);
        profile = summarizeProfile(
          JSON.parse(readFileSync(kept, 'utf8')) as Parameters<typeof summarizeProfile>[0],
          20,
          loadStartedAt - spawnedAt,
        );
        log(`CPU profile kept at ${path.relative(ROOT, kept)}`);
      } else {
        log('no CPU profile was written');
      }
    }

    const byId = (id: ScenarioId) =>
      rows.find((r) => r.scenario.id === id && !r.scenario.unavailable);
    const ratio = (row: Row | undefined) =>
      row ? summarize(row.gatehouse).rps / summarize(row.baseline).rps : undefined;
    const inventoryRow = byId('inventory_jwt');
    const checks = [
      [
        'check_inventory (JWT) ≥ 0.30 × baseline',
        ratio(inventoryRow),
        (v: number) => v >= GOALS.inventoryRatio,
      ],
      [
        'check_inventory (JWT) p99 ≤ 10 ms',
        inventoryRow ? summarize(inventoryRow.gatehouse).p99 : undefined,
        (v: number) => v <= GOALS.inventoryP99Ms,
      ],
      [
        'create_lead ≥ 0.10 × baseline',
        ratio(byId('create_lead')),
        (v: number) => v >= GOALS.leadRatio,
      ],
      ['peak RSS ≤ 250 MB', peakRssMb, (v: number) => v <= GOALS.rssMb],
    ] as const;

    const out = [
      '',
      `Machine: ${machine()}${pins.server === undefined ? '' : '; servers pinned to CPU 1, autocannon on CPU 0'}`,
      `Load: autocannon, ${settings.connections} connections, ${settings.duration} s × ${settings.rounds} rounds per target (alternating), median of rounds; warm-up ${settings.warmup} s${settings.profile ? '; Gatehouse running with --cpu-prof' : ''}`,
      `Gatehouse: node --max-old-space-size=${heapMb()} (as npm start), ${storeLabel()}, LOG_LEVEL=${settings.logLevel}`,
      '',
      table(rows),
      '',
      `Audit appends: ${audit.events} events in ${audit.batches} batch transactions (${(audit.events / Math.max(1, audit.batches)).toFixed(1)} per batch, ${((audit.seconds / Math.max(1, audit.events)) * 1e6).toFixed(1)} µs per event)`,
      ...(settings.databaseUrl
        ? []
        : [
            `Write transactions (Idempotency-Key claims, writes, outbox claims and acknowledgements, sink records): ${audit.writeTransactions} in ${audit.writeCommits} group commits (${(audit.writeTransactions / Math.max(1, audit.writeCommits)).toFixed(1)} per commit); during the create_lead rounds ${writesUnderLoad.transactions} in ${writesUnderLoad.commits} (${(writesUnderLoad.transactions / Math.max(1, writesUnderLoad.commits)).toFixed(1)} per commit)`,
          ]),
      `Gatehouse peak RSS: ${peakRssMb.toFixed(0)} MB (VmHWM); RSS at the end: ${memory?.rssMb.toFixed(0) ?? '?'} MB; exit code after SIGTERM: ${exitCode}`,
      ...(soak.length > 0
        ? [`Soak RSS (s: MB): ${soak.map((s) => `${s.second}: ${s.rssMb.toFixed(0)}`).join(', ')}`]
        : []),
      '',
      'Goals:',
      ...checks.map(([name, value, ok]) =>
        value === undefined
          ? `  -  ${name}: not measured`
          : `  ${ok(value) ? '✓' : '✗'}  ${name}: ${value.toFixed(2)}`,
      ),
      ...(profile ? ['', formatProfile(profile)] : []),
      '',
    ].join('\n');
    process.stdout.write(out);
    const resultFile = path.join(
      resultsDir,
      `bench-${new Date().toISOString().replace(/[:.]/g, '-')}.json`,
    );
    writeFileSync(
      resultFile,
      JSON.stringify(
        {
          machine: machine(),
          settings,
          rows: rows.map((r) => ({
            id: r.scenario.id,
            label: r.scenario.label,
            unavailable: r.scenario.unavailable,
            gatehouse: r.gatehouse,
            baseline: r.baseline,
          })),
          peakRssMb,
          soak,
          profile,
        },
        null,
        2,
      ),
    );
    log(`results written to ${path.relative(ROOT, resultFile)}`);
  } finally {
    await Promise.all(started.map((s) => stop(s, 5_000)));
    if (settings.keep) log(`kept ${dir}`);
    else rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(
    `[bench] failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
