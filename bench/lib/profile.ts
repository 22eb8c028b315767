// Summarises a V8 .cpuprofile (from `node --cpu-prof`): self time grouped by where the code
// lives (a package under node_modules, a folder of the app, Node internals, GC, idle), plus
// the heaviest functions. Enough to see what stands between a route and the bare floor.
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

export interface ProfileShare {
  name: string;
  selfMs: number;
  /** Share of the non-idle time. */
  percent: number;
}

export interface ProfileSummary {
  busyMs: number;
  idleMs: number;
  groups: ProfileShare[];
  functions: ProfileShare[];
  /** Inclusive share (non-idle) of the stacks passing through code whose url matches each pattern. */
  inclusive: ProfileShare[];
}

export function groupOf(url: string, functionName: string): string {
  if (!url) {
    if (functionName === '(idle)') return '(idle)';
    if (functionName === '(garbage collector)') return 'GC';
    if (functionName === '(program)') return '(program: native / not JS)';
    return `(native) ${functionName || 'anonymous'}`;
  }
  const modules = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (modules) {
    const name = modules[1]!;
    if (name === '@prisma/client' && /query_compiler|wasm/.test(url)) return '@prisma/client (query compiler wasm glue)';
    return name;
  }
  if (url.startsWith('node:')) return `node:${url.slice(5).split('/')[0]}`;
  const app = /\/(?:dist|dist-bench)\/src\/(.+)$/.exec(url.replace(/^file:\/\//, ''));
  if (app) {
    const path = app[1]!;
    if (path.startsWith('generated/')) return 'app: src/generated (Prisma client)';
    const parts = path.split('/');
    return `app: src/${parts.length > 1 ? parts.slice(0, -1).join('/') : parts[0]}`;
  }
  if (url.startsWith('wasm://')) return 'wasm (Prisma query compiler)';
  return url.replace(/^file:\/\//, '');
}

export function summariseProfile(file: string, inclusivePatterns: Record<string, RegExp> = {}, top = 15): ProfileSummary {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const selfUs = new Map<number, number>();
  profile.samples.forEach((id, index) => selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[index] ?? 0)));

  let idleUs = 0;
  const groups = new Map<string, number>();
  const functions = new Map<string, number>();
  const inclusive = new Map<string, number>(Object.keys(inclusivePatterns).map((name) => [name, 0]));
  for (const [id, us] of selfUs) {
    const node = byId.get(id)!;
    const { functionName, url, lineNumber } = node.callFrame;
    const group = groupOf(url, functionName);
    if (group === '(idle)') {
      idleUs += us;
      continue;
    }
    groups.set(group, (groups.get(group) ?? 0) + us);
    const fn = `${functionName || '(anonymous)'} ${url ? `${url.replace(/^.*\/(node_modules|dist|dist-bench)\//, '$1/')}:${lineNumber + 1}` : ''}`.trim();
    functions.set(fn, (functions.get(fn) ?? 0) + us);
    // Inclusive: count this sample once for every pattern that some frame on its stack matches.
    const matched = new Set<string>();
    for (let current: number | undefined = id; current !== undefined; current = parent.get(current)) {
      const frame = byId.get(current)!.callFrame;
      for (const [name, pattern] of Object.entries(inclusivePatterns)) if (pattern.test(`${frame.url} ${frame.functionName}`)) matched.add(name);
    }
    for (const name of matched) inclusive.set(name, inclusive.get(name)! + us);
  }
  const busyUs = [...groups.values()].reduce((a, b) => a + b, 0);
  const share = (entries: Iterable<[string, number]>, limit: number) =>
    [...entries]
      .sort((a, b) => b[1] - a[1])
      .slice(0, limit)
      .map(([name, us]) => ({ name, selfMs: Math.round(us / 1000), percent: Math.round((1000 * us) / Math.max(1, busyUs)) / 10 }));
  return { busyMs: Math.round(busyUs / 1000), idleMs: Math.round(idleUs / 1000), groups: share(groups, top), functions: share(functions, top), inclusive: share(inclusive, inclusive.size) };
}
