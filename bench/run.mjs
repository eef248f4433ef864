#!/usr/bin/env node
// The browser benchmark: the module side by side with a
// raw-IndexedDB baseline, in headless Chromium, at several list sizes.
//
//   node bench/run.mjs            1k, 10k and 100k conversations   (make bench)
//   node bench/run.mjs --quick    1k and 10k, fewer rounds          (make bench-quick)
//
// Options: --sizes 1000,10000  --rounds N  --apply-messages N  --out DIR
//          --timeout-s S (cap on any one step)  --keep-profile
//          --nim-messages N --nim-convs M (scenario 10's login sync)
//          --nim-variants worker,sharedWorker (scenario 10's variants to run)
//          --trace DIR (scenario 10: a full Chromium trace of each run, for
//          bench/trace.mjs)
//          --only nim-sync (scenario 10 alone, no list sizes)
//          --only storage (scenario 11 alone)
//          --browser chromium|firefox|webkit (default chromium; the other two
//          through the tests' drivers, test/drivers/)
// Writes DIR/report.json, report.md and report.html (default bench/out/).
//
// Every cold open is a new page (a fresh wasm instance) on a database filled
// once per size, in one persistent (on-disk) Chromium profile, so IndexedDB
// works as it does for a user. Module and baseline runs are interleaved.
import { spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync, existsSync } from 'node:fs';
import { createHash } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { evaluate, renderMarkdown, renderHtml } from './report.mjs';
import { LIGHT_CATEGORIES, FULL_CATEGORIES, parseTrace, longTaskCpu } from './trace.mjs';
import { startServer, chromiumArgs } from '../test/harness.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';

// ---------------------------------------------------------------------------
// Configuration

function parseArgs(argv) {
  const opts = { quick: false, keepProfile: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const val = () => {
      if (i + 1 >= argv.length) throw new Error(`${a} needs a value`);
      return argv[++i];
    };
    if (a === '--quick') opts.quick = true;
    else if (a === '--smoke') opts.smoke = true;
    else if (a === '--keep-profile') opts.keepProfile = true;
    else if (a === '--sizes') opts.sizes = val().split(',').map(Number);
    else if (a === '--rounds') opts.rounds = Number(val());
    else if (a === '--apply-messages') opts.applyMessages = Number(val());
    else if (a === '--timeout-s') opts.timeoutS = Number(val());
    else if (a === '--out') opts.out = path.resolve(val());
    else if (a === '--browser') opts.browser = val();
    else if (a === '--nim-messages') opts.nimMessages = Number(val());
    else if (a === '--nim-convs') opts.nimConvs = Number(val());
    else if (a === '--trace') opts.trace = path.resolve(val());
    else if (a === '--nim-variants') opts.nimVariants = val().split(',');
    else if (a === '--only') {
      opts.only = val();
      if (opts.only !== 'nim-sync' && opts.only !== 'storage') throw new Error(`--only ${opts.only}: the scenarios that run alone are nim-sync and storage`);
    }
    else throw new Error(`unknown option ${a}`);
  }
  return opts;
}

function config(opts) {
  // --smoke: every scenario once on a few hundred conversations, so that CI
  // notices a broken bench; its figures mean nothing.
  if (opts.smoke) {
    Object.assign(opts, { quick: true, sizes: opts.sizes ?? [300], rounds: opts.rounds ?? 1, applyMessages: opts.applyMessages ?? 600 });
  }
  const quick = opts.quick;
  const sizes = opts.only ? [] : opts.sizes ?? (quick ? [1000, 10000] : [1000, 10000, 100000]);
  return {
    mode: opts.smoke ? 'smoke' : quick ? 'quick' : 'full',
    sizes,
    // Cold opens: rounds per size, each round one run of every cold scenario.
    rounds: (n) => opts.rounds ?? (quick ? 3 : n >= 100000 ? 5 : 7),
    // Scenario 3 as the issue has it: 100,000 messages across 10,000
    // conversations in batches of 100. bench-quick applies a tenth of the
    // messages (same conversations, same batches) to stay under two minutes.
    apply: {
      total: opts.applyMessages ?? (quick ? 10000 : 100000),
      convs: opts.smoke ? 300 : 10000,
      batch: 100,
      chunks: opts.smoke ? 1 : quick ? 2 : 10,
    },
    // Scenario 10, the login sync through attachToNIM, as the issue has it:
    // 20,000 roaming messages over 2,000 conversations, delivered in batches
    // of 100; bench-quick a quarter of both, the smoke run a few hundred.
    nim: {
      total: opts.nimMessages ?? (opts.smoke ? 600 : quick ? 5000 : 20000),
      convs: opts.nimConvs ?? (opts.smoke ? 60 : quick ? 500 : 2000),
      batch: 100,
      rounds: opts.rounds ?? (opts.smoke ? 1 : quick ? 1 : 3),
      variants: opts.nimVariants ?? null,
    },
    // Scenario 11, storage, as the issue has it: 100 conversations × 400
    // messages, read, then as many again; the smoke run 10 × 40.
    storage: {
      convs: opts.smoke ? 10 : 100,
      perConv: opts.smoke ? 40 : 400,
      batch: 100,
    },
    only: opts.only ?? null,
    reps4: opts.smoke ? 20 : quick ? 200 : 500,
    reps5: opts.smoke ? 20 : quick ? 500 : 1000,
    reps6: (n) => (quick ? 1 : n >= 100000 ? 1 : 3),
    emptyRounds: quick ? 1 : 3,
    // A cap on any one step (a page.evaluate); what exceeds it is "timeout".
    timeoutMs: (opts.timeoutS ?? (quick ? 120 : 900)) * 1000,
    // Scenario 3's cap for the module, all chunks together.
    applyCapMs: (opts.timeoutS ?? (quick ? 120 : 1800)) * 1000,
    out: opts.out ?? path.join(root, 'bench', 'out'),
    keepProfile: opts.keepProfile,
    browser: opts.browser ?? 'chromium',
    trace: opts.trace ?? null,
  };
}

// ---------------------------------------------------------------------------
// Plumbing

const log = (...a) => console.error(`[bench ${new Date().toISOString().slice(11, 19)}]`, ...a);

class Timeout extends Error {}

function withTimeout(promise, ms, what) {
  let timer;
  const t = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Timeout(`${what}: no result within ${ms / 1000} s`)), ms);
  });
  return Promise.race([promise, t]).finally(() => clearTimeout(timer));
}


const median = (xs) => {
  const s = xs.filter((x) => typeof x === 'number').sort((a, b) => a - b);
  if (!s.length) return null;
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const minOf = (xs) => {
  const s = xs.filter((x) => typeof x === 'number');
  return s.length ? Math.min(...s) : null;
};
const summary = (xs) => ({ median: median(xs), min: minOf(xs), runs: xs.length, values: xs });
// withCpu adds to a run's long tasks (bench/nim-page.js's) the CPU time of
// each, from the run's trace: cpuMs per task, and over the run the longest
// (maxCpuMs) and how many took over 50 ms of CPU (ownCount), the page's own
// work; the others waited for a core that other threads or processes had.
function withCpu(longTasks, events) {
  try {
    longTasks.list = longTaskCpu(events, longTasks.list);
  } catch (e) {
    log(`10: the trace gives no CPU time: ${e.message}`);
    return;
  }
  const cpu = longTasks.list.map((x) => x.cpuMs);
  if (cpu.some((x) => x === null)) return;
  longTasks.maxCpuMs = cpu.length ? Math.max(...cpu) : 0;
  longTasks.ownCount = cpu.filter((x) => x > 50).length;
}
const pct = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
function stats(times) {
  const s = [...times].sort((a, b) => a - b);
  if (!s.length) return null;
  return { n: s.length, p50: pct(s, 50), p90: pct(s, 90), p99: pct(s, 99), min: s[0], max: s[s.length - 1], mean: s.reduce((a, b) => a + b, 0) / s.length };
}

// ---------------------------------------------------------------------------
// Traces (scenario 10)

// Tracer records a Chromium trace of a scenario-10 page through CDP Tracing:
// light (the tasks of each thread with their CPU time, and the page's marks)
// for every run, from which each long task gets the CPU time its thread
// spent in it (bench/trace.mjs); full with --trace DIR (the functions called,
// V8's collections and compiles, the CPU profiler's samples), written to DIR
// for bench/trace.mjs or DevTools' Performance panel. Chromium only.
class Tracer {
  static async start(context, page, full) {
    if (typeof context.newCDPSession !== 'function') return null;
    const session = await context.newCDPSession(page);
    const includedCategories = full ? FULL_CATEGORIES : LIGHT_CATEGORIES;
    await session.send('Tracing.start', { transferMode: 'ReturnAsStream', traceConfig: { recordMode: 'recordAsMuchAsPossible', includedCategories, excludedCategories: ['*'] } });
    return new Tracer(session);
  }

  constructor(session) {
    this.session = session;
  }

  // end ends the trace and returns its text.
  async end() {
    const done = new Promise((resolve) => this.session.once('Tracing.tracingComplete', resolve));
    await this.session.send('Tracing.end');
    const { stream } = await done;
    const parts = [];
    for (;;) {
      const { data, eof, base64Encoded } = await this.session.send('IO.read', { handle: stream, size: 1 << 20 });
      parts.push(base64Encoded ? Buffer.from(data, 'base64') : Buffer.from(data));
      if (eof) break;
    }
    await this.session.send('IO.close', { handle: stream });
    await this.session.detach().catch(() => {});
    return Buffer.concat(parts).toString('utf8');
  }
}

// ---------------------------------------------------------------------------
// Peak memory

// HeapSampler reads a Chromium page's JS heap (Runtime.getHeapUsage through a
// CDP session: the V8 heap of the renderer's main thread, where the module
// runs; the runner has one page open at a time) every 100 ms, and once more
// whenever asked, each sample tagged with the step the runner has the page in,
// so that a step's peak is its largest sample. Wasm memory needs no sampling:
// it never shrinks, so the page's reading at a step's end is the step's peak.
// Firefox and WebKit are driven without CDP here: their JS heap is not read.
class HeapSampler {
  static async attach(context, page) {
    if (typeof context.newCDPSession !== 'function') return null;
    const s = new HeapSampler(await context.newCDPSession(page));
    s.timer = setInterval(() => s.sample(), 100);
    return s;
  }

  constructor(session) {
    this.session = session;
    this.step = null;
    this.samples = [];
    this.pending = null;
  }

  // sample takes one reading (at most one in flight: a busy renderer answers
  // late, and piling requests up would only measure the queue).
  sample() {
    if (this.pending || !this.session) return this.pending ?? Promise.resolve();
    const step = this.step;
    this.pending = this.session.send('Runtime.getHeapUsage')
      .then((h) => { if (step) this.samples.push({ t: Date.now(), step, used: h.usedSize, total: h.totalSize }); })
      .catch(() => {}) // a page that is closing answers nothing
      .finally(() => { this.pending = null; });
    return this.pending;
  }

  // final takes a reading after the one in flight, if any: a step's end.
  async final() {
    await this.pending;
    return this.sample();
  }

  // take returns the samples so far and forgets them.
  take() {
    return this.samples.splice(0);
  }

  async stop() {
    clearInterval(this.timer);
    await this.pending;
    const session = this.session;
    this.session = null;
    await session?.detach().catch(() => {});
  }
}

// The steps of the peak-memory table, what each runner step counts as
// (the rest are not the module's: the baseline's calls and the bench's setup).
const MEMORY_STEP = {
  fill: 'fill', moduleFirstPage: 'open', moduleFullList: 'open', open: 'open', queries: 'queries',
  clearModule: 'clear-all', clearByTypesModule: 'clear-by-types', redirty: 'redirty',
  applyModule: 'apply', applyCheck: 'apply',
  // For comparison: the baseline's cold open, every conversation a JS object.
  baselineGetAll: 'baseline getAll',
};

// peakSummary adds to each step its conversation count (what per-conversation
// figures divide by) and finds the overall peaks among the module's steps.
function peakSummary(steps, n, convsOf = {}) {
  const out = { steps: {}, overall: {} };
  for (const [k, e] of Object.entries(steps)) out.steps[k] = { ...e, conversations: convsOf[k] ?? n };
  const mine = Object.entries(out.steps).filter(([k]) => !k.startsWith('baseline'));
  const top = (f) => {
    let best = null;
    for (const [step, e] of mine) {
      const v = f(e) ?? null;
      if (typeof v === 'number' && Number.isFinite(v) && (!best || v > best.value)) best = { value: v, step };
    }
    return best;
  };
  out.overall = {
    wasmBytes: top((e) => e.wasmBytes),
    wasmPerConversation: top((e) => e.wasmBytes && e.wasmBytes / e.conversations),
    jsHeapBytes: top((e) => e.jsHeapBytes),
    jsHeapPerConversation: top((e) => e.jsHeapBytes && e.jsHeapBytes / e.conversations),
  };
  return out;
}

// ---------------------------------------------------------------------------
// The run

// Offline, the SDK tries NetEase's servers (the CSP refuses it) and refuses
// server calls for want of a login: that, and only that, is not a page error.
const OFFLINE_NOISE = /Content Security Policy|statistic\.live\.126\.net|yunxinfw\.com|illegal state|Can not sendCmd|\[NIM /;

class Bench {
  constructor(cfg, pagePath, nimPagePath) {
    this.cfg = cfg;
    this.pagePath = pagePath;
    this.nimPagePath = nimPagePath;
    this.pageErrors = [];
  }

  async start() {
    this.server = await startServer();
    this.base = this.server.url;
    if (this.cfg.browser !== 'chromium') return this.startDriver();
    this.profile = mkdtempSync(path.join(os.tmpdir(), 'localconv-bench-'));
    this.context = await chromium.launchPersistentContext(this.profile, {
      executablePath: CHROMIUM, args: chromiumArgs, headless: true, viewport: { width: 800, height: 600 },
    });
    this.browserVersion = this.context.browser()?.version() ?? null;
    for (const p of this.context.pages()) await p.close();
  }

  // Firefox and WebKit through the tests' drivers. Their profiles are the
  // drivers' own: Firefox's a temporary on-disk one (as Chromium's here),
  // WebKit's the ephemeral one WebKitWebDriver gives each session (IndexedDB
  // in memory), so WebKit's cold opens do not read from disk.
  async startDriver() {
    const drivers = { firefox: '../test/drivers/firefox.mjs', webkit: '../test/drivers/webkit.mjs' };
    if (!drivers[this.cfg.browser]) throw new Error(`--browser ${this.cfg.browser}: chromium, firefox or webkit`);
    this.driverBrowser = await (await import(drivers[this.cfg.browser])).launch();
    this.context = await this.driverBrowser.newContext();
    this.browserVersion = await this.driverBrowser.version();
  }

  async stop() {
    await this.context?.close().catch(() => {});
    await this.driverBrowser?.close().catch(() => {});
    this.server?.close();
    if (this.profile && !this.cfg.keepProfile) rmSync(this.profile, { recursive: true, force: true });
    else if (this.profile) log('profile kept at', this.profile);
  }

  watch(page, label) {
    if (!page.on) {
      // A driver's page keeps its errors (page.errors): read them at close.
      page.label = label;
      return;
    }
    page.on('pageerror', (e) => {
      this.pageErrors.push(`${label}: ${e.message}`);
      log(`page error (${label}):`, e.message);
    });
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') {
        this.pageErrors.push(`${label}: console.${m.type()}: ${m.text()}`);
        log(`console.${m.type()} (${label}):`, m.text());
      }
    });
  }

  // closePage closes a page; a driver's page reports its errors then (those
  // matching noise, if given, are not errors).
  async closePage(page, noise = null) {
    await withTimeout(page.close({ runBeforeUnload: false }), 30000, 'closing a page').catch((e) => log(e.message));
    for (const e of page.errors ?? []) {
      if (noise?.test(e.message)) continue;
      this.pageErrors.push(`${page.label}: ${e.message}`);
      log(`page error (${page.label}):`, e.message);
    }
  }

  // A cold open: a new page whose script runs the scenario right away.
  // Its JS heap is sampled from before the navigation to its close.
  async cold(kind, args) {
    const page = await this.context.newPage();
    this.watch(page, kind);
    const sampler = await HeapSampler.attach(this.context, page);
    if (sampler) sampler.step = MEMORY_STEP[kind] ?? null;
    let wasmBytes = null;
    try {
      const url = `${this.base}${this.pagePath}?cold=${kind}&args=${encodeURIComponent(JSON.stringify(args))}`;
      return await withTimeout((async () => {
        await page.goto(url);
        const r = await page.evaluate(() => globalThis.__cold);
        if (!r) throw new Error(`${kind}: the page did not run it (${url})`);
        if (r.error) throw new Error(`${kind}: ${r.error}`);
        await sampler?.final();
        wasmBytes = r.memoryBytes ?? null;
        return r;
      })(), this.cfg.timeoutMs, kind);
    } catch (e) {
      if (e instanceof Timeout) {
        log(e.message);
        return { timeout: true };
      }
      throw e;
    } finally {
      await sampler?.stop();
      this.notePeak(MEMORY_STEP[kind], { wasmBytes, samples: sampler?.take() ?? [], page: kind });
      await this.closePage(page);
    }
  }

  // The work page: one bench.html kept open, scenarios called on it.
  async work() {
    if (this.workPage) return this.workPage;
    const page = await this.context.newPage();
    this.watch(page, 'work');
    this.workSampler = await HeapSampler.attach(this.context, page);
    this.workCount = (this.workCount ?? 0) + 1;
    await page.goto(`${this.base}${this.pagePath}`);
    await page.waitForFunction(() => document.title === 'ready', null, { timeout: 60000 });
    this.workPage = page;
    return page;
  }

  // call runs one step on the work page; the page's wasm memory is read right
  // after it, and its JS heap sampled while it runs, for the peak-memory table.
  async call(fn, args, timeoutMs = this.cfg.timeoutMs) {
    const page = await this.work();
    const sampler = this.workSampler;
    const step = MEMORY_STEP[fn] ?? null;
    const where = `work page ${this.workCount}`;
    sampler?.take();
    if (sampler) sampler.step = step;
    try {
      const { r, before, after } = await withTimeout(page.evaluate(async ([f, a]) => {
        const before = globalThis.bench.wasmBytes();
        const r = await globalThis.bench[f](a);
        return { r, before, after: globalThis.bench.wasmBytes() };
      }, [fn, args]), timeoutMs, fn);
      await sampler?.final();
      this.notePeaks(fn, step, r, { before, after }, sampler?.take() ?? [], where);
      return r;
    } catch (e) {
      this.notePeaks(fn, step, null, {}, sampler?.take() ?? [], where);
      if (e instanceof Timeout) {
        // The page is still busy with it: drop the page, later steps get a new one.
        log(e.message, '- closing the work page');
        this.workPage = null;
        this.workSampler = null;
        await sampler?.stop();
        await this.closePage(page);
      }
      throw e;
    } finally {
      if (sampler) sampler.step = null;
    }
  }

  async closeWork() {
    if (!this.workPage) return;
    await this.call('close', {}).catch((e) => log('closing the service:', e.message));
    await this.workSampler?.stop();
    this.workSampler = null;
    await this.closePage(this.workPage);
    this.workPage = null;
  }

  // notePeaks files a work-page step's readings; the walk at the start of
  // queries is a step of its own (the page says when it ran).
  notePeaks(fn, step, r, { before, after }, samples, page) {
    // (A reading asked for in the step before may arrive in this one.)
    samples = samples.filter((x) => x.step === step);
    if (fn === 'queries' && r?.walkSpan) {
      const [a, b] = r.walkSpan;
      const inWalk = (x) => x.t >= a && x.t <= b;
      this.notePeak('walk', { wasmBytes: r.walkMemoryBytes, wasmBefore: before, samples: samples.filter(inWalk), page });
      samples = samples.filter((x) => !inWalk(x));
      before = r.walkMemoryBytes;
    }
    this.notePeak(step, { wasmBytes: after, wasmBefore: before, samples, page });
  }

  // notePeak keeps a step's largest readings, how much the step itself grew
  // its page's wasm memory (wasmBefore: the reading as it began; 0 for a new
  // page, whose instance the step made), and the pages they came from.
  notePeak(step, { wasmBytes, wasmBefore = 0, samples, page }) {
    if (!this.peaks || !step) return;
    const e = (this.peaks[step] ??= { wasmBytes: null, wasmGrowthBytes: null, jsHeapBytes: null, jsHeapTotalBytes: null, jsSamples: 0, pages: {} });
    if (typeof wasmBytes === 'number') {
      e.wasmBytes = Math.max(e.wasmBytes ?? 0, wasmBytes);
      e.wasmGrowthBytes = Math.max(e.wasmGrowthBytes ?? 0, wasmBytes - (wasmBefore ?? 0));
    }
    for (const x of samples) {
      e.jsHeapBytes = Math.max(e.jsHeapBytes ?? 0, x.used);
      e.jsHeapTotalBytes = Math.max(e.jsHeapTotalBytes ?? 0, x.total);
    }
    e.jsSamples += samples.length;
    e.pages[page] = (e.pages[page] ?? 0) + 1;
  }

  async runSize(n) {
    const cfg = this.cfg;
    const db = `bench-lc-${n}`;
    const baselineDb = `bench-bl-${n}`;
    const withMessagesDb = `bench-blm-${n}`;
    const keptDb = `bench-blk-${n}`;
    const t0 = Date.now();
    const out = { n, loadAverageAtStart: os.loadavg() };
    this.peaks = {};
    this.workCount = 0;

    log(`${n}: filling`);
    out.fill = await this.call('fill', { db, baselineDb, n, t0 });
    log(`${n}: filled in ${(out.fill.applyMs / 1000).toFixed(1)} s (+ pins ${(out.fill.pinMs / 1000).toFixed(1)} s, mutes ${(out.fill.muteMs / 1000).toFixed(1)} s); ` +
      `${out.fill.jsonBytesPerConversation.toFixed(0)} JSON bytes per conversation; baseline written in ${(out.fill.baselineWriteMs / 1000).toFixed(1)} s`);
    await this.closeWork();

    // Scenarios 1, 2 and 7: cold opens, interleaved with the baseline's.
    const rounds = cfg.rounds(n);
    const runs = { moduleFirstPage: [], moduleFullList: [], baselineGetAll: [], baselineCursor: [], moduleStoreGetAll: [] };
    const argsOf = {
      moduleFirstPage: { db, n },
      moduleFullList: { db, n, expectTotal: out.fill.total },
      baselineGetAll: { db: baselineDb, n },
      baselineCursor: { db: baselineDb, n },
      moduleStoreGetAll: { db, n },
    };
    const order = ['moduleFirstPage', 'baselineGetAll', 'moduleFullList', 'baselineCursor', 'moduleStoreGetAll'];
    for (let r = 0; r < rounds; r++) {
      const seq = r % 2 ? [...order].reverse() : order;
      for (const kind of seq) runs[kind].push(await this.cold(kind, argsOf[kind]));
      const last = (k) => runs[k].at(-1);
      const fmt = (x) => (x?.timeout ? 'timeout' : x?.ms?.toFixed(0));
      log(`${n}: cold round ${r + 1}/${rounds}: first page ${fmt(last('moduleFirstPage'))} ms, full ${fmt(last('moduleFullList'))} ms, ` +
        `baseline getAll ${fmt(last('baselineGetAll'))} ms, cursor ${fmt(last('baselineCursor'))} ms, module store getAll ${fmt(last('moduleStoreGetAll'))} ms`);
    }
    const ms = (list) => list.map((x) => (x.timeout ? null : x.ms));
    const timeouts = (list) => list.filter((x) => x.timeout).length;
    const markMedians = (list, keys) => {
      const o = {};
      for (const k of keys) o[k] = median(list.map((x) => x.marks?.[k] ?? x.spy?.[k]));
      return o;
    };
    out.cold = {
      rounds,
      moduleFirstPage: { ...summary(ms(runs.moduleFirstPage)), timeouts: timeouts(runs.moduleFirstPage),
        marks: markMedians(runs.moduleFirstPage, ['script', 'imported', 'instantiateStart', 'instantiateEnd', 'goReady', 'syncStarted', 'opened', 'done']),
        resource: runs.moduleFirstPage.find((x) => x.resource)?.resource ?? null },
      moduleFullList: { ...summary(ms(runs.moduleFullList)), timeouts: timeouts(runs.moduleFullList),
        marks: markMedians(runs.moduleFullList, ['script', 'imported', 'instantiateStart', 'instantiateEnd', 'goReady', 'syncStarted', 'syncFinished', 'opened', 'done']) },
      baselineGetAll: { ...summary(ms(runs.baselineGetAll)), timeouts: timeouts(runs.baselineGetAll),
        marks: markMedians(runs.baselineGetAll, ['script', 'opened', 'getAll', 'total', 'sorted']),
        durability: runs.baselineGetAll.find((x) => x.durability)?.durability ?? null },
      baselineTotal: summary(runs.baselineGetAll.map((x) => (x.timeout ? null : x.marks.total))),
      baselineCursor: { ...summary(ms(runs.baselineCursor)), timeouts: timeouts(runs.baselineCursor) },
      moduleStoreGetAll: { ...summary(ms(runs.moduleStoreGetAll)), timeouts: timeouts(runs.moduleStoreGetAll),
        recBytesPerConversation: (runs.moduleStoreGetAll.find((x) => x.recBytes)?.recBytes ?? 0) / n },
    };
    out.memory = summary(runs.moduleFullList.map((x) => x.memoryBytes ?? null));

    // Scenarios 4 and 5 on an open service. Each work page opens the service
    // as a step of its own, so that what the steps after it add to the wasm
    // memory is theirs.
    log(`${n}: queries`);
    try {
      await this.call('open', { db });
      out.queries = await this.call('queries', { db, n, reps4: cfg.reps4, reps5: cfg.reps5 });
    } catch (e) {
      out.queries = { error: e.message, timeout: e instanceof Timeout };
    }
    await this.closeWork();

    // Scenario 6, then 6b on the same page: clearUnreadCountByTypes of the
    // P2P conversations (about 70 %), against a baseline that puts those.
    const reps6 = cfg.reps6(n);
    await this.call('open', { db });
    out.clear = await this.runClear(n, { db, baselineDb, t0, reps: reps6, from: 0, what: 'clearTotalUnreadCount',
      module: (r) => ['clearModule', { db, expectUnread: r === 0 ? out.fill.total : undefined }], baseline: { baselineDb } });
    const types = [1];
    if (out.clear.timeout) {
      out.clearByTypes = { types, skipped: 'clearTotalUnreadCount reached the cap', module: [], baseline: [] };
    } else {
      out.clearByTypes = await this.runClear(n, { db, baselineDb, t0, reps: reps6, from: reps6, what: `clearUnreadCountByTypes([${types}])`,
        module: () => ['clearByTypesModule', { db, types }], baseline: { baselineDb, types } });
      out.clearByTypes.types = types;
    }

    // Scenario 3: module and baseline chunk by chunk.
    out.apply = await this.runApply(n, db, { baselineDb, withMessagesDb, keptDb }, t0);

    await this.closeWork();
    const page = await this.work();
    await page.evaluate(async (names) => { for (const d of names) await globalThis.bench.deleteDb(d); }, [db, baselineDb, withMessagesDb, keptDb]);
    await this.closeWork();
    // At sizes below scenario 3's conversations, its messages create the rest.
    out.memoryPeak = peakSummary(this.peaks, n, { apply: n + (out.apply.created ?? 0) });
    this.peaks = null;
    const o = out.memoryPeak.overall;
    const mib = (x) => (x ? `${(x.value / 2 ** 20).toFixed(1)} MiB (${x.step})` : 'not read');
    const per = (x) => (x ? `${x.value.toFixed(0)} B per conversation (${x.step})` : 'not read');
    log(`${n}: peak wasm memory ${mib(o.wasmBytes)}, ${per(o.wasmPerConversation)}; peak JS heap ${mib(o.jsHeapBytes)}, ${per(o.jsHeapPerConversation)}`);
    out.loadAverageAtEnd = os.loadavg();
    return out;
  }

  // runClear runs scenario 6 or 6b: module and baseline in turn, alternating
  // which goes first. Before each repetition every conversation is made
  // unread again, on both sides (with messages created just before the
  // clear, as a chat's are; the 0th time's are the fill's).
  async runClear(n, { db, baselineDb, t0, reps, from, what, module, baseline }) {
    const cfg = this.cfg;
    const out = { module: [], baseline: [] };
    for (let r = 0; r < reps; r++) {
      if (from + r > 0) {
        try {
          await this.call('redirty', { db, baselineDb, n, seed: t0 + from + r });
        } catch (e) {
          log(`${n}: making everything unread again failed: ${e.message}`);
          break;
        }
      }
      const runModule = async () => {
        try {
          out.module.push(await this.call(...module(r)));
        } catch (e) {
          if (!(e instanceof Timeout)) throw e;
          out.module.push({ timeout: true, capMs: cfg.timeoutMs });
        }
      };
      const runBaseline = async () => out.baseline.push(await this.call('clearBaseline', baseline));
      if (r % 2) {
        await runBaseline();
        await runModule();
      } else {
        await runModule();
        await runBaseline();
      }
      log(`${n}: ${what} ${out.module.at(-1).timeout ? 'timeout' : out.module.at(-1).ms.toFixed(0) + ' ms'}, baseline ${out.baseline.at(-1).ms.toFixed(0)} ms`);
      if (out.module.at(-1).timeout) break;
    }
    out.moduleSummary = summary(out.module.map((x) => x.timeout ? null : x.ms));
    out.baselineSummary = summary(out.baseline.map((x) => x.ms));
    out.timeout = out.module.some((x) => x.timeout);
    return out;
  }

  async runApply(n, db, { baselineDb, withMessagesDb, keptDb }, t0) {
    const cfg = this.cfg;
    const { total, convs, batch, chunks } = cfg.apply;
    const prepArgs = { db, baselineDb, withMessagesDb, keptDb, n, total, convs, batch, t0: t0 + 1e7 };
    const prep = await this.call('applyPrepare', prepArgs);
    const nb = prep.batches;
    const per = Math.ceil(nb / chunks);
    const mod = [];
    const base = [];
    const withMsgs = [];
    const kept = [];
    let timeout = false;
    let moduleMs = 0;
    const gc = { cycles: 0, cpuMs: 0, stwMs: 0, wallMs: 0, maxCpuMs: 0, allocMB: 0, calls: 0 };
    let memoryBytes = null;
    log(`${n}: applying ${total} messages across ${convs} conversations (${prep.created} new) in ${nb} batches of ${batch}`);
    for (let c = 0; c < chunks; c++) {
      const from = c * per;
      const to = Math.min(nb, from + per);
      if (from >= to) break;
      if (!timeout) {
        const left = cfg.applyCapMs - moduleMs;
        const t = Date.now();
        try {
          const r = await this.call('applyModule', { db, from, to }, Math.min(cfg.timeoutMs, Math.max(left, 1000)));
          mod.push(...r.times);
          for (const k of ['cycles', 'cpuMs', 'stwMs', 'wallMs', 'allocMB', 'calls']) gc[k] += r.gc[k] ?? 0;
          gc.maxCpuMs = Math.max(gc.maxCpuMs, r.gc.maxCpuMs);
          memoryBytes = r.memoryBytes;
          moduleMs += Date.now() - t;
        } catch (e) {
          if (!(e instanceof Timeout)) throw e;
          timeout = true;
          log(`${n}: scenario 3 for the module stopped at the cap; the batches after ${mod.length} are not run`);
          // The work page was dropped with the prepared batches: make them again.
          await this.call('applyPrepare', prepArgs);
        }
      }
      const btimes = await this.call('applyBaseline', { from, to });
      base.push(...btimes);
      const mtimes = await this.call('applyBaselineWithMessages', { from, to });
      withMsgs.push(...mtimes);
      const ktimes = await this.call('applyBaselineKept', { from, to });
      kept.push(...ktimes);
      const sum = (xs) => xs.reduce((a, b) => a + b, 0);
      log(`${n}: apply chunk ${c + 1}/${chunks}: module ${timeout ? 'stopped' : (sum(mod.slice(from, to)) / 1000).toFixed(1) + ' s'}, ` +
        `baseline ${(sum(btimes) / 1000).toFixed(1)} s, baseline storing messages too ${(sum(mtimes) / 1000).toFixed(1)} s, ` +
        `baseline keeping them in the conversation ${(sum(ktimes) / 1000).toFixed(1)} s`);
    }
    const sum = (xs) => xs.reduce((a, b) => a + b, 0);
    const out = {
      total, convs, batch, batches: nb, created: prep.created,
      moduleMs: timeout ? null : sum(mod),
      moduleBatches: mod.length,
      moduleBatchStats: stats(mod),
      moduleEstimateMs: timeout && mod.length ? (sum(mod) / mod.length) * nb : null,
      baselineMs: sum(base),
      baselineBatchStats: stats(base),
      withMessagesMs: sum(withMsgs),
      keptMs: sum(kept),
      keptBatchStats: stats(kept),
      withMessagesBatchStats: stats(withMsgs),
      moduleGC: gc,
      moduleMemoryBytesAfter: memoryBytes,
      encodeMsPerBatch: prep.encodeMs,
      argsCharsPerBatch: prep.argsChars,
      timeout,
    };
    if (!timeout) {
      try {
        out.check = await this.call('applyCheck', { db });
        const c = out.check;
        if (c.moduleTotal !== c.baselineTotal || c.moduleCount !== c.baselineCount) {
          log(`${n}: module and baseline disagree after scenario 3: ${JSON.stringify(c)}`);
        }
      } catch (e) {
        out.check = { error: e.message };
      }
    }
    return out;
  }

  // Scenario 11: storage, on the work page (bench/page.js's storage).
  async storage() {
    const { convs, perConv, batch } = this.cfg.storage;
    log(`11: storage of ${convs} conversations × ${perConv} messages, read, then as many again`);
    const r = await this.call('storage', { db: `bench-storage-${process.pid}`, baselineDb: `bench-storage-base-${process.pid}`, convs, perConv, batch, t0: 1.6e12 });
    await this.closeWork();
    const mb = (b) => (b / 1e6).toFixed(2) + ' MB';
    log(`11: module ${r.module.map(mb).join(' → ')}, baseline ${r.baseline.map(mb).join(' → ')}`);
    return r;
  }

  // Scenario 10: the login sync of a real nim-web-sdk-ng instance (offline,
  // on bench/nim.html), each variant in a page of its own, a fresh database
  // each, the variants' order reversed every other round. The SDK is served
  // by the tests' dev server (startServer passes -tests).
  async nimSync() {
    const { total, convs, batch, rounds } = this.cfg.nim;
    const order = ['sdk', 'baseline', 'page', 'worker', 'sharedWorker', 'baselineWithMessages'].filter((v) => !this.cfg.nim.variants || this.cfg.nim.variants.includes(v));
    const runs = Object.fromEntries(order.map((v) => [v, []]));
    const t0 = Date.now();
    const prefix = `bench-nim-${process.pid}-`;
    log(`10: login sync of ${total} messages over ${convs} conversations through attachToNIM, ${rounds} round(s)`);
    for (let r = 0; r < rounds; r++) {
      for (const variant of r % 2 ? [...order].reverse() : order) {
        runs[variant].push(await this.nimRun({ variant, dbName: `${prefix}${r}-${variant}`, total, convs, batch, t0, seed: 5 }));
      }
      const fmt = (x) => (x.error ? 'error' : x.timeout ? 'timeout' : `${x.ms.toFixed(0)} ms` +
        (x.longTasks ? ` (${x.longTasks.count} long tasks, ${x.longTasks.totalMs.toFixed(0)} ms` +
          (typeof x.longTasks.maxCpuMs === 'number' && x.longTasks.count ? `; CPU ≤ ${x.longTasks.maxCpuMs.toFixed(0)} ms each` : '') + ')' : ''));
      log(`10: round ${r + 1}/${rounds}: ${order.map((v) => `${v} ${fmt(runs[v].at(-1))}`).join(', ')}`);
    }
    const page = await this.context.newPage();
    try {
      await page.goto(`${this.base}${this.nimPagePath}`);
      await page.waitForFunction(() => document.title === 'ready', null, { timeout: 60000 });
      await withTimeout(page.evaluate((p) => globalThis.nimBench.deleteDatabases(p), prefix), 120000, 'deleting scenario 10\'s databases');
    } catch (e) {
      log(`10: deleting its databases: ${e.message}`);
    } finally {
      await this.closePage(page, OFFLINE_NOISE);
    }
    const out = { total, convs, batch, rounds, t0, runs, variants: {} };
    for (const v of order) {
      const ok = runs[v].filter((x) => !x.error && !x.timeout);
      const lt = ok.filter((x) => x.longTasks);
      out.variants[v] = {
        ms: summary(ok.map((x) => x.ms)),
        emittedMs: median(ok.map((x) => x.emittedMs)),
        openedMs: median(ok.map((x) => x.openedMs)),
        longTasks: lt.length ? {
          count: median(lt.map((x) => x.longTasks.count)),
          totalMs: median(lt.map((x) => x.longTasks.totalMs)),
          maxMs: Math.max(...lt.map((x) => x.longTasks.maxMs)),
          runsWithAny: lt.filter((x) => x.longTasks.count > 0).length,
          runs: lt.length,
          // From the traces (Chromium): the most CPU any long task took, and
          // the runs with one that took over 50 ms of CPU; null without them.
          maxCpuMs: lt.every((x) => typeof x.longTasks.maxCpuMs === 'number') ? Math.max(0, ...lt.map((x) => x.longTasks.maxCpuMs)) : null,
          runsWithOwn: lt.every((x) => typeof x.longTasks.ownCount === 'number') ? lt.filter((x) => x.longTasks.ownCount > 0).length : null,
        } : null,
        failed: runs[v].filter((x) => x.error || x.timeout || !x.ok).map((x) => x.error ?? (x.timeout ? 'timeout' : `check: got ${JSON.stringify(x.got)}, want ${JSON.stringify(x.expect)}`)),
      };
    }
    out.expect = Object.values(runs).flat().find((x) => x.expect)?.expect ?? null;
    return out;
  }

  // One run of scenario 10 in a new page. The SDK tries NetEase's servers:
  // the page's CSP refuses that, and a response from anywhere but the dev
  // server fails the run (a second guard beside the CSP).
  async nimRun(args) {
    const page = await this.context.newPage();
    const offOrigin = [];
    const label = `nim ${args.variant}`;
    if (page.on) {
      page.on('pageerror', (e) => this.pageErrors.push(`${label}: ${e.message}`));
      page.on('console', (m) => {
        if ((m.type() === 'error' || m.type() === 'warning') && !OFFLINE_NOISE.test(m.text())) this.pageErrors.push(`${label}: console.${m.type()}: ${m.text()}`);
      });
      page.on('response', (r) => {
        if (!r.url().startsWith(this.base) && !/^(data|blob):/.test(r.url())) offOrigin.push(r.url());
      });
    }
    try {
      return await withTimeout((async () => {
        await page.goto(`${this.base}${this.nimPagePath}`);
        await page.waitForFunction(() => document.title === 'ready', null, { timeout: 60000 });
        const tracer = await Tracer.start(this.context, page, Boolean(this.cfg.trace));
        const r = await page.evaluate((a) => globalThis.nimBench.run(a), args);
        if (tracer) {
          const text = await tracer.end();
          if (this.cfg.trace) {
            r.trace = path.join(this.cfg.trace, `${args.dbName}.json`);
            mkdirSync(this.cfg.trace, { recursive: true });
            writeFileSync(r.trace, text);
          }
          if (r.longTasks) withCpu(r.longTasks, parseTrace(text));
        }
        if (offOrigin.length) return { ...r, ok: false, error: `a response came from off the machine: ${offOrigin[0]}` };
        return r;
      })(), this.cfg.timeoutMs, label);
    } catch (e) {
      log(`10: ${label}: ${e.message}`);
      return e instanceof Timeout ? { variant: args.variant, timeout: true, ok: false } : { variant: args.variant, error: e.message, ok: false };
    } finally {
      await this.closePage(page, OFFLINE_NOISE);
    }
  }

  async emptyMemory() {
    const xs = [];
    const names = [];
    for (let i = 0; i < this.cfg.emptyRounds; i++) {
      names.push(`bench-empty-${i}`);
      const r = await this.cold('moduleEmpty', { db: names.at(-1) });
      xs.push(r.timeout ? null : r.memoryBytes);
    }
    const page = await this.work();
    await page.evaluate(async (list) => { for (const d of list) await globalThis.bench.deleteDb(d); }, names);
    await this.closeWork();
    return summary(xs);
  }
}

// The run measures a snapshot of js/ (and of the bench page) taken at the
// start, under OUT/run/: others rebuild js/localconv.wasm in this tree while a
// run goes on, and a run must measure one module throughout.
const sha = (file) => createHash('sha256').update(readFileSync(file)).digest('hex').slice(0, 16);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function snapshot() {
  const js = path.join(root, 'js');
  const wasm = path.join(js, 'localconv.wasm');
  // A build in progress writes the .wasm first and its .gz/.br after: wait
  // until the compressed files are at least as new and nothing moves.
  for (let i = 0; ; i++) {
    const st = (f) => statSync(f, { throwIfNoEntry: false });
    const [w, g, b] = [st(wasm), st(wasm + '.gz'), st(wasm + '.br')];
    if (!w) throw new Error('js/localconv.wasm is missing: run through `make bench` (it builds first)');
    const fresh = g && b && g.mtimeMs >= w.mtimeMs && b.mtimeMs >= w.mtimeMs;
    const settled = Date.now() - Math.max(w.mtimeMs, g?.mtimeMs ?? 0, b?.mtimeMs ?? 0) > 2000;
    if ((fresh && settled) || i >= 120) {
      if (!fresh) log('js/localconv.wasm.gz/.br are older than the .wasm: the wasm will be served uncompressed');
      break;
    }
    if (i === 0) log('waiting for a build in progress to finish writing js/localconv.wasm*');
    await sleep(1000);
  }
  // Served by the dev server, so inside the repository whatever --out says.
  const dir = path.join(root, 'bench', 'out', `run-${process.pid}`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(path.join(dir, 'js'), { recursive: true });
  mkdirSync(path.join(dir, 'bench'), { recursive: true });
  for (const e of readdirSync(js, { withFileTypes: true })) {
    if (!e.isFile()) continue;
    const from = path.join(js, e.name);
    const to = path.join(dir, 'js', e.name);
    copyFileSync(from, to);
    const st = statSync(from);
    utimesSync(to, st.atime, st.mtime); // the dev server compares them
  }
  for (const f of ['bench.html', 'page.js', 'data.js', 'prng.js', 'plain.js', 'nim.html', 'nim-page.js']) copyFileSync(path.join(root, 'bench', f), path.join(dir, 'bench', f));
  const w = path.join(dir, 'js', 'localconv.wasm');
  const size = (f) => statSync(f, { throwIfNoEntry: false })?.size ?? null;
  return {
    dir,
    pagePath: '/' + path.relative(root, path.join(dir, 'bench', 'bench.html')).split(path.sep).join('/'),
    nimPagePath: '/' + path.relative(root, path.join(dir, 'bench', 'nim.html')).split(path.sep).join('/'),
    wasm: { raw: size(w), gzip: size(w + '.gz'), brotli: size(w + '.br'), sha256: sha(w), builtAt: statSync(w).mtime.toISOString() },
  };
}

async function main() {
  const cfg = config(parseArgs(process.argv.slice(2)));
  const started = Date.now();
  mkdirSync(cfg.out, { recursive: true });
  const snap = await snapshot();
  const { sha256, builtAt, ...sizes } = snap.wasm;
  const bench = new Bench(cfg, snap.pagePath, snap.nimPagePath);
  const report = {
    meta: {
      mode: cfg.mode, sizes: cfg.sizes, startedAt: new Date(started).toISOString(),
      node: process.version, cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model ?? null,
      loadAverageAtStart: os.loadavg(), apply: cfg.apply, nim: cfg.nim, only: cfg.only, reps4: cfg.reps4, reps5: cfg.reps5,
      timeoutMs: cfg.timeoutMs, applyCapMs: cfg.applyCapMs,
    },
    wasmSize: sizes,
    wasm: { sha256, builtAt },
    sizes: {},
  };
  try {
    await bench.start();
    report.meta.engine = cfg.browser;
    report.meta.browser = bench.browserVersion;
    report.meta.chromiumArgs = chromiumArgs;
    log(`${cfg.browser} ${bench.browserVersion}, ${cfg.mode} run, sizes ${cfg.sizes.join(', ')}; wasm ${sizes.raw} B raw, ${sizes.gzip} B gzip, ${sizes.brotli} B brotli`);
    if (cfg.sizes.length) {
      report.emptyMemory = await bench.emptyMemory();
      log(`empty service: ${report.emptyMemory.median} B of wasm memory`);
    }
    for (const n of cfg.sizes) {
      report.sizes[n] = await bench.runSize(n);
    }
    if (cfg.only !== 'nim-sync') report.storage = await bench.storage();
    if (cfg.only !== 'storage') report.nimSync = await bench.nimSync();
  } finally {
    report.meta.seconds = (Date.now() - started) / 1000;
    report.meta.loadAverageAtEnd = os.loadavg();
    report.meta.pageErrors = bench.pageErrors;
    try {
      report.wasm.treeChanged = sha(path.join(root, 'js', 'localconv.wasm')) !== sha256;
    } catch {
      report.wasm.treeChanged = true;
    }
    await bench.stop();
    rmSync(snap.dir, { recursive: true, force: true });
  }
  report.verdicts = evaluate(report);
  writeFileSync(path.join(cfg.out, 'report.json'), JSON.stringify(report, null, 2) + '\n');
  const md = renderMarkdown(report);
  writeFileSync(path.join(cfg.out, 'report.md'), md);
  writeFileSync(path.join(cfg.out, 'report.html'), renderHtml(report));
  process.stdout.write(md);
  // Scenario 10's result is checked: a list that is not what the data
  // implies (or a run that failed) fails the bench, after the report.
  const failed = Object.entries(report.nimSync?.variants ?? {}).filter(([, v]) => v.failed.length);
  if (failed.length) {
    for (const [v, x] of failed) log(`10: ${v} failed: ${x.failed.join('; ')}`);
    process.exitCode = 1;
  }
  log(`done in ${report.meta.seconds.toFixed(0)} s; ${path.relative(process.cwd(), cfg.out) || '.'}/report.{json,md,html}`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
