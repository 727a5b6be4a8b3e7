import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The subset of V8's .cpuprofile format this summary reads. */
interface CpuProfile {
  nodes: {
    id: number;
    callFrame: { functionName: string; url: string; lineNumber: number };
    children?: number[];
  }[];
  samples: number[];
  timeDeltas: number[];
}

export interface ProfileRow {
  name: string;
  ms: number;
  percent: number;
}

export interface ProfileSummary {
  totalMs: number;
  idleMs: number;
  /** Self time by function. */
  functions: ProfileRow[];
  /** Self time by module (package, Gatehouse folder or Node internal). */
  selfByModule: ProfileRow[];
  /** Time with the module anywhere on the stack: what a request spends "inside" it. */
  inclusiveByModule: ProfileRow[];
}

const SPECIAL = new Set(['(program)', '(garbage collector)', '(idle)', '(root)']);

/** Which package, Gatehouse area or Node subsystem a frame belongs to. */
export function moduleOf(url: string, functionName: string): string {
  if (url === '') return SPECIAL.has(functionName) ? functionName : '(native)';
  const path = url.startsWith('file://') ? fileURLToPath(url) : url;
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path);
  if (pkg?.[1]) {
    const inner = pkg[1];
    // Prisma ships its runtime inside the generated client and @prisma/client.
    return inner.startsWith('@prisma/') ? `prisma (${inner})` : inner;
  }
  const own = /\/dist\/(?:src\/)?([^/]+)(?:\/([^/]+))?/.exec(path);
  if (own?.[1]) {
    const area =
      own[2] && !own[2].endsWith('.js') ? `${own[1]}/${own[2]}` : own[1].replace(/\.js$/, '');
    return area.startsWith('generated') ? 'prisma (generated client)' : `gatehouse:${area}`;
  }
  if (path.startsWith('node:'))
    return path.split('/')[0] === 'node:internal'
      ? `node:${path.split('/')[1] ?? 'internal'}`
      : path;
  return path;
}

function rows(map: Map<string, number>, activeMs: number, limit: number): ProfileRow[] {
  return [...map.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, limit)
    .map(([name, us]) => ({ name, ms: us / 1000, percent: (100 * us) / 1000 / activeMs }));
}

/** `fromMs`: ignore samples taken in the first milliseconds of the profile (start-up, seeding). */
export function summarizeProfile(profile: CpuProfile, limit = 20, fromMs = 0): ProfileSummary {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes)
    for (const child of node.children ?? []) parent.set(child, node.id);

  const selfFn = new Map<string, number>();
  const selfModule = new Map<string, number>();
  const inclusive = new Map<string, number>();
  let totalUs = 0;
  let idleUs = 0;
  let elapsedUs = 0;
  profile.samples.forEach((id, i) => {
    const delta = profile.timeDeltas[i] ?? 0;
    elapsedUs += delta;
    const node = byId.get(id);
    if (!node || elapsedUs < fromMs * 1000) return;
    totalUs += delta;
    const { functionName, url, lineNumber } = node.callFrame;
    if (functionName === '(idle)') {
      idleUs += delta;
      return;
    }
    const module = moduleOf(url, functionName);
    const where = url ? `${url.replace(/^.*\/(node_modules|dist)\//, '')}:${lineNumber + 1}` : '';
    const fn = `${functionName || '(anonymous)'}${where ? ` ${where}` : ''}`;
    selfFn.set(fn, (selfFn.get(fn) ?? 0) + delta);
    selfModule.set(module, (selfModule.get(module) ?? 0) + delta);
    const seen = new Set<string>();
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const frame = byId.get(cur)?.callFrame;
      if (!frame || frame.functionName === '(root)') continue;
      seen.add(moduleOf(frame.url, frame.functionName));
    }
    for (const m of seen) inclusive.set(m, (inclusive.get(m) ?? 0) + delta);
  });
  const activeMs = Math.max(1, (totalUs - idleUs) / 1000);
  return {
    totalMs: totalUs / 1000,
    idleMs: idleUs / 1000,
    functions: rows(selfFn, activeMs, limit),
    selfByModule: rows(selfModule, activeMs, limit),
    inclusiveByModule: rows(inclusive, activeMs, limit),
  };
}

export function formatProfile(summary: ProfileSummary): string {
  const block = (title: string, list: ProfileRow[]) =>
    [
      title,
      ...list.map(
        (r) =>
          `  ${r.percent.toFixed(1).padStart(5)} %  ${r.ms.toFixed(0).padStart(7)} ms  ${r.name}`,
      ),
    ].join('\n');
  return [
    `CPU profile: ${summary.totalMs.toFixed(0)} ms sampled, ${summary.idleMs.toFixed(0)} ms idle; percentages of busy time`,
    block('Self time by function:', summary.functions),
    block('Self time by module:', summary.selfByModule),
    block('Inclusive time by module (on the stack):', summary.inclusiveByModule),
  ].join('\n\n');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const file = process.argv[2];
  if (!file) {
    process.stderr.write(
      'usage: node dist/bench/profile-summary.js <file.cpuprofile> [limit] [skip-ms]\n',
    );
    process.exit(2);
  }
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  process.stdout.write(
    `${formatProfile(summarizeProfile(profile, Number(process.argv[3] ?? 20)))}\n`,
  );
}
