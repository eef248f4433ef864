#!/usr/bin/env node
// Chromium traces of scenario 10's pages (bench/run.mjs records them).
//
// The runner records a light trace of every run (the tasks of each thread,
// with the CPU time each took) and, with longTaskCpu below, gives each long
// task the page reported the CPU time its thread spent in it: a long task
// with little CPU is a short task that waited for a core (the machine's
// other threads and processes had both), not work of the page's own.
//
// `--trace DIR` records a full trace instead (the functions called, V8's
// collections and compiles, the CPU profiler's samples), which this file
// reads as a command:
//
//   node bench/trace.mjs DIR/bench-nim-…-worker.json [--min-ms 50]
//
// For each task of the page's main thread (CrRendererMain) longer than
// --min-ms between the page's marks nim-sync-start and nim-sync-end: when it
// started (ms after the start), its wall and CPU time, the trace events
// inside it by total time (functions called, events dispatched,
// collections, compiles), and the CPU profiler's samples inside it by the
// innermost function that is not the engine's own ("(program)", "(garbage
// collector)" are kept: they are where the time went). Then the same sample
// summary for the worker threads of the page's process over the whole span.
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

export const LIGHT_CATEGORIES = ['toplevel', 'blink.user_timing'];
export const FULL_CATEGORIES = ['toplevel', 'devtools.timeline', 'disabled-by-default-devtools.timeline', 'v8', 'v8.execute', 'v8.wasm',
  'disabled-by-default-v8.cpu_profiler', 'disabled-by-default-v8.gc', 'blink.user_timing', 'loading'];

const isTask = (e) => e.ph === 'X' && (e.name === 'RunTask' || e.name === 'ThreadControllerImpl::RunTask');

// The page's marks (bench/nim-page.js): where its main thread is and when
// the timed span began and ended.
function marks(events) {
  const start = events.find((e) => e.name === 'nim-sync-start');
  const end = events.find((e) => e.name === 'nim-sync-end');
  if (!start || !end) throw new Error('no nim-sync-start/end marks: a trace of bench/nim-page.js is needed');
  return { start, end, pid: start.pid, main: start.tid };
}

// The outermost tasks of the page's main thread longer than minMs that
// overlap the span: {at (ms after the start), ms, cpuMs, event}.
export function longTasksOf(events, minMs = 50) {
  const { start, end, pid, main } = marks(events);
  const long = events.filter((e) => e.pid === pid && e.tid === main && isTask(e) && e.dur / 1000 > minMs && e.ts + e.dur > start.ts && e.ts < end.ts);
  // A RunTask holds a ThreadControllerImpl::RunTask of (almost) the same span.
  const outer = long.filter((e) => !long.some((o) => o !== e && o.ts <= e.ts && o.ts + o.dur >= e.ts + e.dur && (o.dur > e.dur || long.indexOf(o) < long.indexOf(e))));
  return outer.map((e) => ({ at: (e.ts - start.ts) / 1000, ms: e.dur / 1000, cpuMs: e.tdur === undefined ? null : e.tdur / 1000, event: e }));
}

// longTaskCpu gives each long task the page reported ({at, ms}, ms after
// its start) the CPU time its thread spent within it: the thread time of the
// main thread's outermost trace events inside the task's span (an event
// partly inside counts in proportion). Blink's long task runs from its task
// to the end of the microtask checkpoint after it: both are events of the
// trace, and a thread that waited for a core between them has no event there.
export function longTaskCpu(events, list) {
  const { start, pid, main } = marks(events);
  const mine = events.filter((e) => e.pid === pid && e.tid === main && e.ph === 'X' && e.dur !== undefined && e.tdur !== undefined)
    .sort((a, b) => a.ts - b.ts || b.dur - a.dur);
  const outer = [];
  let until = -Infinity;
  for (const e of mine) {
    if (e.ts < until) continue;
    outer.push(e);
    until = e.ts + e.dur;
  }
  return list.map((lt) => {
    // The page's figures are whole ms: a little slack on either side.
    const from = start.ts + (lt.at - 1) * 1000;
    const to = start.ts + (lt.at + lt.ms + 1) * 1000;
    let cpu = 0;
    let seen = false;
    for (const e of outer) {
      const o = Math.min(to, e.ts + e.dur) - Math.max(from, e.ts);
      if (o <= 0) continue;
      seen = true;
      cpu += e.dur ? (e.tdur * o) / e.dur : e.tdur;
    }
    return { ...lt, cpuMs: seen ? Math.round(cpu / 100) / 10 : null };
  });
}

export const parseTrace = (text) => {
  const raw = JSON.parse(text);
  return Array.isArray(raw) ? raw : raw.traceEvents;
};

// The CPU profiler's samples, per thread: [{ts, stack: [frame…]}], innermost first.
function samplesByThread(events, pid) {
  const profiles = new Map(); // id → {tid, nodes: Map, samples: [], ts}
  for (const e of events) {
    if (e.pid !== pid) continue;
    if (e.name === 'Profile') profiles.set(e.id, { tid: e.tid, nodes: new Map(), parents: new Map(), samples: [], ts: e.args.data.startTime });
    else if (e.name === 'ProfileChunk') {
      const p = profiles.get(e.id);
      if (!p) continue;
      const d = e.args.data;
      for (const n of d.cpuProfile?.nodes ?? []) {
        p.nodes.set(n.id, n.callFrame);
        if (n.parent !== undefined) p.parents.set(n.id, n.parent);
      }
      const deltas = d.timeDeltas ?? [];
      (d.cpuProfile?.samples ?? []).forEach((id, i) => {
        p.ts += deltas[i] ?? 0;
        p.samples.push({ ts: p.ts, id });
      });
    }
  }
  const out = new Map();
  for (const p of profiles.values()) {
    const list = out.get(p.tid) ?? [];
    for (const s of p.samples) {
      const stack = [];
      for (let id = s.id; id !== undefined; id = p.parents.get(id)) stack.push(p.nodes.get(id));
      list.push({ ts: s.ts, stack });
    }
    out.set(p.tid, list);
  }
  return out;
}

const frame = (f) => (f ? `${f.functionName || '(anonymous)'}${f.url ? ` ${f.url.replace(/^.*\//, '')}:${f.lineNumber + 1}` : ''}` : '?');
// The innermost frame worth naming: the engine's own pseudo-frames are
// kept; beyond that, the innermost frame with a script.
function leaf(stack) {
  const top = stack[0];
  if (!top) return '?';
  if (top.functionName?.startsWith('(')) return top.functionName;
  return frame(stack.find((f) => f?.url) ?? top);
}
// Which of our files (or the SDK's, or the bench's) the sample is in, outermost.
function owner(stack) {
  for (let i = stack.length - 1; i >= 0; i--) {
    const u = stack[i]?.url;
    if (u) return u.replace(/^.*\//, '');
  }
  return stack[0]?.functionName ?? '?';
}

function tally(samples, key, from, to) {
  const m = new Map();
  let n = 0;
  for (const s of samples) {
    if (s.ts < from || s.ts > to) continue;
    n++;
    const k = key(s.stack);
    m.set(k, (m.get(k) ?? 0) + 1);
  }
  return { n, top: [...m].sort((a, b) => b[1] - a[1]) };
}

const print = (title, { n, top }, limit = 12) => {
  console.log(`    ${title} (${n} samples):`);
  for (const [k, c] of top.slice(0, limit)) console.log(`      ${((100 * c) / n).toFixed(0).padStart(3)} %  ${k}`);
};

const label = (e) => {
  const d = e.args?.data ?? {};
  if (e.name === 'FunctionCall') return `FunctionCall ${d.functionName || '(anonymous)'} ${String(d.url ?? '').replace(/^.*\//, '')}:${(d.lineNumber ?? 0) + 1}`;
  if (e.name === 'EventDispatch') return `EventDispatch ${d.type}`;
  if (e.name === 'TimerFire') return 'TimerFire';
  return e.name;
};

function cli() {
  const args = process.argv.slice(2);
  const file = args.find((a) => !a.startsWith('--'));
  const minMs = Number(args[args.indexOf('--min-ms') + 1] || 0) || 50;
  if (!file) {
    console.error('usage: node bench/trace.mjs TRACE.json [--min-ms 50]');
    process.exit(2);
  }
  const events = parseTrace(readFileSync(file, 'utf8'));
  const { start, end, pid, main } = marks(events);
  const threadNames = new Map();
  for (const e of events) if (e.name === 'thread_name') threadNames.set(`${e.pid}:${e.tid}`, e.args.name);
  const at = (ts) => (ts - start.ts) / 1000;
  const mainEvents = events.filter((e) => e.pid === pid && e.tid === main && e.ph === 'X' && e.dur !== undefined);
  const tasks = longTasksOf(events, minMs);
  const samples = samplesByThread(events, pid);
  console.log(`${file}: span ${at(end.ts).toFixed(0)} ms; ${tasks.length} task(s) over ${minMs} ms on the page's main thread`);
  for (const { event: t, cpuMs } of tasks) {
    console.log(`\n  task at ${at(t.ts).toFixed(0)} ms, ${(t.dur / 1000).toFixed(0)} ms, of which CPU ${cpuMs === null ? '?' : cpuMs.toFixed(1)} ms`);
    const inside = mainEvents.filter((e) => e !== t && e.ts >= t.ts && e.ts + e.dur <= t.ts + t.dur);
    const byName = new Map();
    for (const e of inside) byName.set(label(e), (byName.get(label(e)) ?? 0) + e.dur / 1000);
    console.log('    trace events inside (total ms; nested ones counted in their parents too):');
    for (const [k, ms] of [...byName].sort((a, b) => b[1] - a[1]).slice(0, 15)) console.log(`      ${ms.toFixed(1).padStart(7)}  ${k}`);
    const s = samples.get(main) ?? [];
    print('samples by innermost function', tally(s, leaf, t.ts, t.ts + t.dur));
    print('samples by outermost script', tally(s, owner, t.ts, t.ts + t.dur), 6);
  }
  for (const [tid, s] of samples) {
    if (tid === main) continue;
    console.log(`\n  thread ${threadNames.get(`${pid}:${tid}`) ?? tid} over the span`);
    print('samples by innermost function', tally(s, leaf, start.ts, end.ts), 8);
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) cli();
