/**
 * Summarizes V8 CPU profiles (from `npm run bench -- --cpu-prof`, or `node --cpu-prof`): where the time goes, by
 * file / package, by function (self time) and by function including callees.
 *
 *   npx tsx bench/profile.ts FILE.cpuprofile|DIR [--top 25] [--long-tasks 100]
 *
 * --long-tasks MS lists, for the main thread, the stretches over MS milliseconds with no idle sample (where the event
 * loop may have stalled; a stretch can hold several tasks) and what ran in them.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { PROJECT_ROOT } from './corpus.js';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** Where a function lives: a project file, a package, Node itself, or V8's own work. */
function bucketOf(url: string, name: string): string {
  if (url === '') return name.startsWith('(') ? name : '(native)';
  const u = url.replace(/^file:\/\//u, '');
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/u.exec(u);
  if (pkg) return pkg[1]!;
  if (u.startsWith('node:')) return 'node:' + u.slice(5).split('/')[0]!;
  if (u.startsWith(PROJECT_ROOT)) return path.relative(PROJECT_ROOT, u);
  return u;
}

/**
 * Stretches of the thread's time with no idle sample longer than `thresholdMs` (what stalls an event loop), with
 * the functions that took most of each (callees included; project and package frames only).
 */
export function longTasks(profile: CpuProfile, thresholdMs: number, top = 6): string {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const isIdle = (id: number): boolean => byId.get(id)?.callFrame.functionName === '(idle)';
  const out: string[] = [];
  let at = 0;
  let start = 0;
  let stretch: { id: number; us: number }[] = [];
  const flush = (): void => {
    const us = stretch.reduce((a, x) => a + x.us, 0);
    if (us / 1000 >= thresholdMs) {
      const inclusive = new Map<string, number>();
      for (const { id, us: t } of stretch) {
        const seen = new Set<string>();
        for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
          const n = byId.get(cur)!;
          const name = n.callFrame.functionName;
          const k = n.callFrame.url === '' ? (name.startsWith('(') && name !== '(root)' ? name : '') : `${name || '(anonymous)'} ${bucketOf(n.callFrame.url, name)}`;
          if (k === '' || seen.has(k)) continue;
          seen.add(k);
          inclusive.set(k, (inclusive.get(k) ?? 0) + t);
        }
      }
      const tops = [...inclusive].sort((a, b) => b[1] - a[1]).slice(0, top).map(([k, t]) => `${k} ${(t / 1000).toFixed(0)} ms`);
      out.push(`  at ${(start / 1e6).toFixed(2)} s: ${(us / 1000).toFixed(0)} ms busy — ${tops.join('; ')}`);
    }
    stretch = [];
  };
  profile.samples.forEach((id, i) => {
    const dt = profile.timeDeltas[i] ?? 0;
    at += dt;
    if (isIdle(id)) flush();
    else {
      if (stretch.length === 0) start = at;
      stretch.push({ id, us: dt });
    }
  });
  flush();
  return out.length > 0 ? `busy stretches over ${thresholdMs} ms:\n${out.join('\n')}` : `no busy stretch over ${thresholdMs} ms`;
}

export function summarizeProfile(profile: CpuProfile, top = 25): string {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);

  const key = (n: ProfileNode): string => `${n.callFrame.functionName || '(anonymous)'}  ${bucketOf(n.callFrame.url, n.callFrame.functionName)}:${n.callFrame.lineNumber + 1}`;
  const bySelf = new Map<string, number>();
  const byBucket = new Map<string, number>();
  const inclusive = new Map<string, number>();
  for (const [id, us] of self) {
    const n = byId.get(id)!;
    bySelf.set(key(n), (bySelf.get(key(n)) ?? 0) + us);
    const b = bucketOf(n.callFrame.url, n.callFrame.functionName);
    byBucket.set(b, (byBucket.get(b) ?? 0) + us);
    // Inclusive: credit every distinct function on the stack once.
    const seen = new Set<string>();
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const k = key(byId.get(cur)!);
      if (seen.has(k)) continue;
      seen.add(k);
      inclusive.set(k, (inclusive.get(k) ?? 0) + us);
    }
  }
  const idle = byBucket.get('(idle)') ?? 0;
  const lines: string[] = [`total sampled: ${(total / 1e6).toFixed(2)} s (idle ${((100 * idle) / Math.max(1, total)).toFixed(0)} %)`];
  if (idle > 0.9 * total) return `${lines[0]}: an idle thread (the tsx loader's, or a waiting worker), skipped`;
  const list = (title: string, m: Map<string, number>): void => {
    lines.push('', title);
    for (const [k, us] of [...m].sort((a, b) => b[1] - a[1]).slice(0, top)) {
      lines.push(`  ${(us / 1e6).toFixed(2).padStart(7)} s ${((100 * us) / total).toFixed(1).padStart(5)} %  ${k}`);
    }
  };
  list('by file / package (self time):', byBucket);
  list('by function (self time):', bySelf);
  list('by function, callees included:', inclusive);
  return lines.join('\n');
}

if (process.argv[1] && path.resolve(process.argv[1]).endsWith(path.join('bench', 'profile.ts'))) {
  const { values, positionals } = parseArgs({ allowPositionals: true, options: { top: { type: 'string', default: '25' }, 'long-tasks': { type: 'string' } } });
  for (const target of positionals) {
    const files = statSync(target).isDirectory()
      ? readdirSync(target).filter((f) => f.endsWith('.cpuprofile')).map((f) => path.join(target, f))
      : [target];
    for (const file of files) {
      const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
      const summary = summarizeProfile(profile, Number(values.top));
      // Node names profiles CPU.<date>.<time>.<pid>.<thread>.<n>.cpuprofile: thread 0 runs the event loop that stalls;
      // worker threads are meant to be busy.
      const mainThread = /\.\d+\.0\.\d+\.cpuprofile$/u.test(file);
      const stalls = values['long-tasks'] && mainThread && !summary.includes('skipped') ? `\n\n${longTasks(profile, Number(values['long-tasks']))}` : '';
      process.stdout.write(`\n== ${file}\n${summary}${stalls}\n`);
    }
  }
}
