// The bench page: every scenario that runs in the browser, for the
// module (through js/localconv.js, as an app would use it) and for the
// baseline (plain JavaScript on one object store of plain conversations).
// bench/run.mjs calls these one at a time and keeps the figures.
//
// Nothing here changes the module: its wasm memory is read by keeping the
// instance that WebAssembly.instantiate(Streaming) hands the loader.
import * as data from './data.js';
import { plainApply } from './plain.js';

const T_SCRIPT = performance.now();
// The module's DefaultKeepNewest (core/tail.go): the newest messages a
// conversation keeps for lastMessage to fall back on.
const KEEP_NEWEST = 8;
const now = () => performance.now();

// ---------------------------------------------------------------------------
// Watching the module load, without changing it.

const spy = { memory: null, via: null, instantiateStart: null, instantiateEnd: null, goReady: null };
for (const name of ['instantiateStreaming', 'instantiate']) {
  const orig = WebAssembly[name];
  if (typeof orig !== 'function') continue;
  WebAssembly[name] = async function (...args) {
    const start = now();
    const result = await orig.apply(this, args);
    const instance = result instanceof WebAssembly.Instance ? result : result.instance;
    if (instance && instance.exports.mem instanceof WebAssembly.Memory && !spy.memory) {
      spy.memory = instance.exports.mem;
      spy.via = name;
      spy.instantiateStart = start;
      spy.instantiateEnd = now();
    }
    return result;
  };
}
// The loader hands the module a function under this name and deletes it once
// the module called it: the call is the moment the Go side is up.
{
  let ready;
  Object.defineProperty(globalThis, '__localconvReady', {
    configurable: true,
    get: () => ready,
    set(fn) {
      ready = typeof fn === 'function' ? (...a) => { spy.goReady ??= now(); return fn(...a); } : fn;
    },
  });
}

const wasmBytes = () => (spy.memory ? spy.memory.buffer.byteLength : null);
// A page time as the runner's clock reads it (ms since the epoch), so that the
// runner can tell which of its JS heap samples fell in a span of a step.
const epoch = (t) => performance.timeOrigin + t;

// The module's own transfer of localconv.wasm (which encoding the server sent).
function wasmResource() {
  const e = performance.getEntriesByType('resource').find((r) => r.name.endsWith('/localconv.wasm'));
  return e ? { transferSize: e.transferSize, encodedBodySize: e.encodedBodySize, decodedBodySize: e.decodedBodySize, duration: e.duration } : null;
}

// The wrapper's argument encoder, for the work page's context figures (loaded
// lazily so that cold pages fetch nothing they do not use).
let encodeArgs = null;
const loadEncoder = async () => { encodeArgs ??= (await import('../js/args.js')).encodeArgs; };

let lcModule = null;
async function localconv() {
  lcModule ??= await import('../js/localconv.js');
  return lcModule;
}

// ---------------------------------------------------------------------------
// Plain IndexedDB, the way the baseline writes it by hand.

const STORE = 'conversations';
const req = (r) => new Promise((resolve, reject) => {
  r.onsuccess = () => resolve(r.result);
  r.onerror = () => reject(r.error);
});
const done = (tx) => new Promise((resolve, reject) => {
  tx.oncomplete = () => resolve();
  tx.onabort = () => reject(tx.error || new Error('transaction aborted'));
});

// openBaseline opens (creating if needed) the baseline database: one store of
// plain API-shaped conversations keyed by conversationId, with an index on
// sortOrder for the newest-first cursor.
function openBaseline(name) {
  const r = indexedDB.open(name, 1);
  r.onupgradeneeded = () => {
    const s = r.result.createObjectStore(STORE, { keyPath: 'conversationId' });
    s.createIndex('bySortOrder', 'sortOrder');
  };
  return req(r);
}

// openWithMessages opens (creating if needed) scenario 3's second baseline:
// the same conversations store plus a store of the plain messages.
function openWithMessages(name) {
  const r = indexedDB.open(name, 1);
  r.onupgradeneeded = () => {
    const s = r.result.createObjectStore(STORE, { keyPath: 'conversationId' });
    s.createIndex('bySortOrder', 'sortOrder');
    r.result.createObjectStore('messages', { keyPath: ['conversationId', 'messageClientId'] });
  };
  return req(r);
}

// openExisting opens a database at whatever version it has (the module's).
const openExisting = (name) => req(indexedDB.open(name));

// putAll puts conversations into a baseline's store, 10,000 a transaction.
async function putAll(d, convs) {
  for (let i = 0; i < convs.length; i += 10000) {
    const tx = d.transaction(STORE, 'readwrite');
    for (const c of convs.slice(i, i + 10000)) tx.objectStore(STORE).put(c);
    await done(tx);
  }
}

async function deleteDb(name) {
  const r = indexedDB.deleteDatabase(name);
  await new Promise((resolve, reject) => {
    r.onsuccess = resolve;
    r.onerror = () => reject(r.error);
    r.onblocked = () => console.warn(`deleting ${name} is blocked`);
  });
}

// ---------------------------------------------------------------------------
// Cold opens: each runs in a page of its own, right after navigation. Every
// time is performance.now(), i.e. milliseconds since navigation started.

const cold = {
  // Scenario 1, module: open without waiting for the sync, then page one.
  async moduleFirstPage({ db, n }) {
    const marks = { script: T_SCRIPT };
    const lc = await localconv();
    marks.imported = now();
    const svc = await lc.LocalConversationService.open({
      accountId: data.ACCOUNT, dbName: db, waitForSync: false,
      listeners: { onSyncStarted() { marks.syncStarted = now(); }, onSyncFinished() { marks.syncFinished = now(); } },
    });
    marks.opened = now();
    const page = await svc.getConversationList(0, 100);
    marks.done = now();
    const list = page.conversationList;
    if (list.length !== Math.min(100, n)) throw new Error(`first page has ${list.length} conversations, want ${Math.min(100, n)}`);
    for (let i = 1; i < list.length; i++) {
      if (list[i].sortOrder > list[i - 1].sortOrder) throw new Error('first page is not in list order');
    }
    return { ms: marks.done, marks, spy: spyMarks(), resource: wasmResource(), memoryBytes: wasmBytes() };
  },

  // Scenario 2, module: open and wait for the sync (the whole list is in the
  // cache), then the total unread; scenario 7 reads the wasm memory here.
  async moduleFullList({ db, expectTotal }) {
    const marks = { script: T_SCRIPT };
    const lc = await localconv();
    marks.imported = now();
    const svc = await lc.LocalConversationService.open({
      accountId: data.ACCOUNT, dbName: db,
      listeners: { onSyncStarted() { marks.syncStarted = now(); }, onSyncFinished() { marks.syncFinished = now(); } },
    });
    marks.opened = now();
    const total = await svc.getTotalUnreadCount();
    marks.done = now();
    if (expectTotal !== undefined && total !== expectTotal) throw new Error(`total unread ${total}, want ${expectTotal}`);
    return { ms: marks.done, marks, spy: spyMarks(), memoryBytes: wasmBytes(), total };
  },

  // Scenario 7's zero: a service on an empty database.
  async moduleEmpty({ db }) {
    const lc = await localconv();
    const svc = await lc.LocalConversationService.open({ accountId: data.ACCOUNT, dbName: db });
    const ms = now();
    const total = await svc.getTotalUnreadCount();
    await svc.close();
    return { ms, memoryBytes: wasmBytes(), total };
  },

  // Scenarios 1 and 2, baseline: getAll of every plain conversation; the
  // total unread is a sum over them. The sort a list view would need is timed
  // after that, for context only.
  async baselineGetAll({ db, n }) {
    const marks = { script: T_SCRIPT };
    const d = await openBaseline(db);
    marks.opened = now();
    const tx = d.transaction(STORE, 'readonly');
    const all = await req(tx.objectStore(STORE).getAll());
    marks.getAll = now();
    let total = 0;
    for (const c of all) total += c.unreadCount;
    marks.total = now();
    all.sort((a, b) => b.sortOrder - a.sortOrder || (a.conversationId < b.conversationId ? -1 : 1));
    marks.sorted = now();
    if (all.length !== n) throw new Error(`baseline holds ${all.length} conversations, want ${n}`);
    d.close();
    return { ms: marks.getAll, marks, total, durability: tx.durability ?? null };
  },

  // Scenario 1, extra context: the newest 100 by a cursor down an index.
  async baselineCursor({ db, n }) {
    const marks = { script: T_SCRIPT };
    const d = await openBaseline(db);
    marks.opened = now();
    const top = [];
    await new Promise((resolve, reject) => {
      const r = d.transaction(STORE, 'readonly').objectStore(STORE).index('bySortOrder').openCursor(null, 'prev');
      r.onsuccess = () => {
        const c = r.result;
        if (c && top.length < 100) {
          top.push(c.value);
          c.continue();
        } else resolve();
      };
      r.onerror = () => reject(r.error);
    });
    marks.done = now();
    if (top.length !== Math.min(100, n)) throw new Error(`cursor read ${top.length}`);
    d.close();
    return { ms: marks.done, marks };
  },

  // Context for scenario 2: the module's own stored values (small objects
  // holding the record as bytes), read by one plain getAll of its sort index:
  // the IndexedDB share of the module's load.
  async moduleStoreGetAll({ db, n }) {
    const marks = { script: T_SCRIPT };
    const d = await openExisting(db);
    marks.opened = now();
    const all = await req(d.transaction('conversations', 'readonly').objectStore('conversations').index('bySortOrder').getAll());
    marks.done = now();
    let bytes = 0;
    for (const v of all) bytes += v.rec?.byteLength ?? 0;
    d.close();
    if (all.length < n) throw new Error(`module store holds ${all.length} listed conversations, want ${n}`);
    return { ms: marks.done, marks, records: all.length, recBytes: bytes };
  },
};

function spyMarks() {
  return { via: spy.via, instantiateStart: spy.instantiateStart, instantiateEnd: spy.instantiateEnd, goReady: spy.goReady };
}

// ---------------------------------------------------------------------------
// The work page: scenarios that run on an open service.

const state = { svc: null, db: null };

// Work pages run the module with GODEBUG=gctrace=1 (set through the Go
// loader's env, no module change): the runtime prints one line per garbage
// collection, which this page keeps instead of logging, so that the report can
// say how much of a scenario's time was collection and whether slow calls
// coincide with one.
const gcLines = [];
function traceGC() {
  const G = globalThis.Go;
  if (!G || G.traced) return;
  globalThis.Go = class extends G {
    static traced = true;
    constructor(...a) {
      super(...a);
      this.env = { ...this.env, GODEBUG: 'gctrace=1' };
    }
  };
  const log = console.log;
  console.log = (...a) => {
    const text = String(a[0]);
    if (a.length === 1 && text.startsWith('gc ')) {
      const t = now();
      for (const line of text.split('\n')) {
        // gc 7 @1.234s 2%: 0.01+3.2+0.01 ms clock, 0.01+0.5/1.2/0+0.01 ms cpu, 10->11->6 MB, …
        // The clock's middle term is the concurrent mark's wall time, while the
        // page also runs; the CPU terms (assist, background, idle) are the work.
        const m = line.match(/: ([\d.]+)\+([\d.]+)\+([\d.]+) ms clock, ([\d.]+)\+([\d.]+)\/([\d.]+)\/([\d.]+)\+([\d.]+) ms cpu, (\d+)->(\d+)->(\d+) MB/);
        if (m) {
          const v = m.slice(1).map(Number);
          gcLines.push({ t, line, wallMs: v[0] + v[1] + v[2], stwMs: v[0] + v[2], cpuMs: v[3] + v[4] + v[5] + v[7], heapMB: v[8], liveMB: v[10] });
        }
      }
      return;
    }
    log.apply(console, a);
  };
}

// gcIn sums the collections that ended within [from, to].
// allocMB estimates what the program allocated in the window: what each
// collection found on the heap minus what the one before it left live (MB, as
// the trace rounds them).
function gcIn(from, to = now()) {
  const first = gcLines.findIndex((g) => g.t >= from);
  const list = gcLines.filter((g) => g.t >= from && g.t <= to);
  const sum = (k) => list.reduce((a, g) => a + g[k], 0);
  let allocMB = 0;
  for (let i = Math.max(first, 1); first >= 0 && i < first + list.length; i++) allocMB += gcLines[i].heapMB - gcLines[i - 1].liveMB;
  return {
    allocMB: first >= 1 || list.length > 1 ? allocMB : null,
    cycles: list.length,
    cpuMs: sum('cpuMs'),
    stwMs: sum('stwMs'),
    wallMs: sum('wallMs'),
    maxCpuMs: list.reduce((a, g) => Math.max(a, g.cpuMs), 0),
    heapMB: list.length ? Math.max(...list.map((g) => g.heapMB)) : null,
    liveMB: list.length ? list.at(-1).liveMB : null,
  };
}

// slowWithGC counts the calls slower than limit and how many of them had a
// collection end during them (or within 1 ms after).
function slowWithGC(spans, limit) {
  let slow = 0;
  let withGC = 0;
  for (const [a, b] of spans) {
    if (b - a <= limit) continue;
    slow++;
    if (gcLines.some((g) => g.t >= a && g.t <= b + 1)) withGC++;
  }
  return { limit, slow, withGC };
}

async function service(db) {
  if (state.svc && state.db === db) return state.svc;
  if (state.svc) await state.svc.close();
  const lc = await localconv();
  traceGC();
  state.svc = await lc.LocalConversationService.open({ accountId: data.ACCOUNT, dbName: db });
  state.db = db;
  return state.svc;
}

async function walk(svc, limit = 100) {
  const list = [];
  const offsets = [];
  let p = await svc.getConversationList(0, limit);
  list.push(...p.conversationList);
  while (!p.finished) {
    offsets.push(p.offset);
    p = await svc.getConversationList(p.offset, limit);
    list.push(...p.conversationList);
  }
  return { list, offsets };
}

const pct = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
function stats(times) {
  const s = [...times].sort((a, b) => a - b);
  return { n: s.length, p50: pct(s, 50), p90: pct(s, 90), p99: pct(s, 99), min: s[0], max: s[s.length - 1], mean: s.reduce((a, b) => a + b, 0) / s.length };
}

async function timeEach(reps, fn) {
  const out = [];
  for (let i = 0; i < reps; i++) {
    const t = now();
    await fn(i);
    out.push(now() - t);
  }
  return out;
}

const bench = {
  // Fills the module's database with n conversations (one message each, all
  // from the other side so every one is unread), pins and mutes a few, then
  // writes the same conversations, as the service returns them, to the
  // baseline's database.
  async fill({ db, baselineDb, n, t0, chunk = 10000 }) {
    await deleteDb(db);
    await deleteDb(baselineDb);
    const out = {};
    let t = now();
    const svc = await service(db);
    out.openMs = now() - t;
    const msgs = data.fillMessages(n, t0);
    t = now();
    for (let i = 0; i < n; i += chunk) await svc.applyMessages(msgs.slice(i, i + chunk));
    out.applyMs = now() - t;
    out.applyChunk = chunk;
    t = now();
    const pinned = data.pinnedOf(n);
    for (const i of pinned) await svc.stickTopConversation(data.conversationOf(i).id, true);
    out.pinMs = now() - t;
    out.pinned = pinned.length;
    t = now();
    const muted = data.mutedOf(n);
    for (const i of muted) {
      await svc.updateConversationInfo(data.conversationOf(i).id, { name: `Muted group ${i}`, mute: true });
    }
    out.muteMs = now() - t;
    out.muted = muted.length;
    t = now();
    const { list } = await walk(svc, 10000);
    out.readBackMs = now() - t;
    if (list.length !== n) throw new Error(`the service lists ${list.length} conversations, want ${n}`);
    out.total = await svc.getTotalUnreadCount();
    let json = 0;
    for (const c of list) json += JSON.stringify(c).length;
    out.jsonBytesPerConversation = json / n;
    out.types = { 1: 0, 2: 0, 3: 0 };
    for (const c of list) out.types[c.type]++;
    await svc.close();
    state.svc = null;
    t = now();
    const d = await openBaseline(baselineDb);
    for (let i = 0; i < n; i += chunk) {
      const tx = d.transaction(STORE, 'readwrite');
      const s = tx.objectStore(STORE);
      for (const c of list.slice(i, i + chunk)) s.put(c);
      await done(tx);
    }
    d.close();
    out.baselineWriteMs = now() - t;
    return out;
  },

  // Scenarios 4 and 5 on an open service.
  async queries({ db, n, reps4 = 500, reps5 = 1000, warmup = 20 }) {
    const svc = await service(db);
    await loadEncoder();
    const out = {};
    let t = now();
    const { list, offsets } = await walk(svc, 100);
    out.walkMs = now() - t;
    out.walkPages = offsets.length + 1;
    // The walk is a step of its own in the peak-memory table.
    out.walkSpan = [epoch(t), epoch(now())];
    out.walkMemoryBytes = wasmBytes();
    if (list.length !== n) throw new Error(`walk found ${list.length}, want ${n}`);
    // The offset handed out for the last page: the deepest page of 100.
    const deep = offsets.length ? offsets[offsets.length - 1] : 0;
    out.deepOffsetIndex = offsets.length ? offsets.length * 100 : 0;
    const check = await svc.getConversationList(deep, 100);
    if (check.conversationList.length !== Math.min(100, n - out.deepOffsetIndex) || !check.finished) {
      throw new Error(`deep page: ${check.conversationList.length} conversations, finished ${check.finished}`);
    }
    for (let i = 0; i < warmup; i++) {
      await svc.getConversationList(0, 100);
      await svc.getConversationList(deep, 100);
    }
    // The control, timed in the same loop: JSON.parse of the same page's text,
    // which is also the wrapper's own share of each call. Its p99 shows how
    // much of a p99 is the machine (a busy CPU) rather than the module.
    const text = JSON.stringify(await svc.getConversationList(0, 100));
    out.pageJsonChars = text.length;
    const first = [];
    const deepT = [];
    const control = [];
    const spans4 = [];
    const loop4 = now();
    for (let i = 0; i < reps4; i++) {
      let s = now();
      await svc.getConversationList(0, 100);
      let e = now();
      first.push(e - s);
      spans4.push([s, e]);
      s = now();
      await svc.getConversationList(deep, 100);
      e = now();
      deepT.push(e - s);
      spans4.push([s, e]);
      s = now();
      await Promise.resolve(JSON.parse(text));
      control.push(now() - s);
    }
    out.gc4 = { ...gcIn(loop4), ...slowWithGC(spans4, 2), calls: spans4.length, sample: gcLines.filter((g) => g.t >= loop4).slice(0, 3).map((g) => g.line) };
    out.firstPage = stats(first);
    out.deepPage = stats(deepT);
    out.pageControl = stats(control);
    t = now();
    for (let i = 0; i < 200; i++) JSON.parse(text);
    out.pageJsonParseMs = (now() - t) / 200;

    for (const f of data.FILTERS) await svc.subscribeUnreadCountByFilter(f);
    for (let i = 0; i < warmup; i++) {
      await svc.getTotalUnreadCount();
      await svc.getUnreadCountByFilter(data.FILTERS[i % data.FILTERS.length]);
    }
    const total = [];
    const byFilter = [];
    const control5 = [];
    const spans5 = [];
    const loop5 = now();
    for (let i = 0; i < reps5; i++) {
      let s = now();
      await svc.getTotalUnreadCount();
      let e = now();
      total.push(e - s);
      spans5.push([s, e]);
      s = now();
      await svc.getUnreadCountByFilter(data.FILTERS[i % data.FILTERS.length]);
      e = now();
      byFilter.push(e - s);
      spans5.push([s, e]);
      // Control: what the wrapper does in JS around such a call.
      s = now();
      await Promise.resolve(JSON.parse(encodeArgs([data.FILTERS[i % data.FILTERS.length]])));
      control5.push(now() - s);
    }
    out.gc5 = { ...gcIn(loop5), ...slowWithGC(spans5, 0.5), calls: spans5.length };
    out.total = stats(total);
    out.byFilter = stats(byFilter);
    out.countControl = stats(control5);
    // The same calls back to back: their mean without the timer's granularity.
    t = now();
    for (let i = 0; i < reps5; i++) await svc.getTotalUnreadCount();
    out.totalLoopMean = (now() - t) / reps5;
    // The floor under any call: one awaited Promise round trip in JS.
    t = now();
    for (let i = 0; i < reps5; i++) await Promise.resolve(i);
    out.promiseLoopMean = (now() - t) / reps5;
    for (const f of data.FILTERS) await svc.unsubscribeUnreadCountByFilter(f);
    out.memoryBytes = wasmBytes();
    return out;
  },

  // Scenario 6, module: clearTotalUnreadCount with every conversation unread.
  async clearModule({ db, expectUnread }) {
    const svc = await service(db);
    const before = await svc.getTotalUnreadCount();
    if (expectUnread !== undefined && before !== expectUnread) throw new Error(`total unread ${before}, want ${expectUnread}`);
    const t = now();
    await svc.clearTotalUnreadCount();
    const ms = now() - t;
    const gc = gcIn(t);
    const after = await svc.getTotalUnreadCount();
    if (after !== 0) throw new Error(`total unread ${after} after clearing`);
    return { ms, before, gc, memoryBytes: wasmBytes() };
  },

  // Scenario 6b, module: clearUnreadCountByTypes with every conversation
  // unread; types [1] (P2P) is about 70 % of the list. The conversations of
  // the other types must keep their unread.
  async clearByTypesModule({ db, types }) {
    const svc = await service(db);
    const filter = { conversationTypes: types };
    const before = await svc.getTotalUnreadCount();
    const ofTypes = await svc.getUnreadCountByFilter(filter);
    const t = now();
    await svc.clearUnreadCountByTypes(types);
    const ms = now() - t;
    const gc = gcIn(t);
    const left = await svc.getUnreadCountByFilter(filter);
    const after = await svc.getTotalUnreadCount();
    if (left !== 0 || after !== before - ofTypes) {
      throw new Error(`after clearing types ${types}: ${left} unread of them left, total ${after}, want 0 and ${before - ofTypes}`);
    }
    return { ms, before, cleared: ofTypes, gc, memoryBytes: wasmBytes() };
  },

  // Scenarios 6 and 6b, baseline: every conversation (of the given types) to
  // 0 in one transaction of puts. Reading them (getAll, and picking the types)
  // is not timed.
  async clearBaseline({ baselineDb, types }) {
    const d = await openBaseline(baselineDb);
    const all = await req(d.transaction(STORE, 'readonly').objectStore(STORE).getAll());
    const picked = types ? all.filter((c) => types.includes(c.type)) : all;
    const unread = picked.filter((c) => c.unreadCount > 0).length;
    const t = now();
    const tx = d.transaction(STORE, 'readwrite');
    const s = tx.objectStore(STORE);
    for (const c of picked) {
      c.unreadCount = 0;
      s.put(c);
    }
    await done(tx);
    const ms = now() - t;
    d.close();
    return { ms, unread, count: picked.length, of: all.length, durability: tx.durability ?? null };
  },

  // Makes every conversation unread again (untimed), on both sides, with
  // messages created now: after the last clear's read times (the clock moved
  // on since), and not in the future, which a clear could not mark at once.
  async redirty({ db, baselineDb, n, seed, chunk = 10000 }) {
    const svc = await service(db);
    const rand = data.rng(seed % 1e9);
    await new Promise((r) => setTimeout(r, 2));
    const created = Date.now();
    const msgs = [];
    for (let i = 0; i < n; i++) msgs.push(data.message(rand, data.conversationOf(i), created, false));
    for (let i = 0; i < n; i += chunk) await svc.applyMessages(msgs.slice(i, i + chunk));
    const d = await openBaseline(baselineDb);
    const all = await req(d.transaction(STORE, 'readonly').objectStore(STORE).getAll());
    const map = new Map(all.map((c) => [c.conversationId, c]));
    const t = Date.now();
    for (const m of msgs) plainApply(map, m, t);
    const tx = d.transaction(STORE, 'readwrite');
    const s = tx.objectStore(STORE);
    for (const c of map.values()) s.put(c);
    await done(tx);
    d.close();
    return { total: await svc.getTotalUnreadCount() };
  },

  // Scenario 3: the batches are made once; the runner then calls module and
  // baseline chunks in turn.
  // The second baseline, which also stores every message, gets its own copy
  // of the conversations (withMessagesDb).
  async applyPrepare({ db, baselineDb, withMessagesDb, keptDb, n, total, convs, batch, t0 }) {
    await service(db);
    await loadEncoder();
    const { batches, created } = data.applyBatches(n, { total, convs, batch, t0 });
    const d = await openBaseline(baselineDb);
    const all = await req(d.transaction(STORE, 'readonly').objectStore(STORE).getAll());
    state.apply = { batches, d, map: new Map(all.map((c) => [c.conversationId, c])) };
    await deleteDb(withMessagesDb);
    const dm = await openWithMessages(withMessagesDb);
    const copy = structuredClone(all);
    await putAll(dm, copy);
    Object.assign(state.apply, { dm, mapM: new Map(copy.map((c) => [c.conversationId, c])) });
    await deleteDb(keptDb);
    const dk = await openBaseline(keptDb);
    await putAll(dk, all);
    state.apply.dk = dk;
    // The wrapper's own JS work on one batch: encoding its arguments.
    const t = now();
    for (let i = 0; i < 20; i++) encodeArgs([batches[i % batches.length]], ['messages']);
    const encodeMs = (now() - t) / 20;
    return { batches: batches.length, created, encodeMs, argsChars: encodeArgs([batches[0]], ['messages']).length };
  },

  async applyBaselineWithMessages({ from, to }) {
    const { batches, dm, mapM } = state.apply;
    return timeEach(to - from, async (i) => {
      const batch = batches[from + i];
      const stamp = Date.now();
      const changed = new Set();
      for (const m of batch) changed.add(plainApply(mapM, m, stamp));
      const tx = dm.transaction([STORE, 'messages'], 'readwrite');
      const s = tx.objectStore(STORE);
      const ms = tx.objectStore('messages');
      for (const c of changed) s.put(c);
      for (const m of batch) ms.put(m);
      await done(tx);
    });
  },

  // The third baseline does by hand what the module must: it keeps each
  // conversation's messages in the conversation's own value (those that
  // count as unread and the newest KEEP_NEWEST, as docs/api.md "What is
  // kept" says; in this scenario nothing is read, so that is every unread
  // one), holds nothing between calls, so reads the values a batch changes
  // in its transaction, and writes each back once.
  async applyBaselineKept({ from, to }) {
    const { batches, dk } = state.apply;
    return timeEach(to - from, async (i) => {
      const batch = batches[from + i];
      const stamp = Date.now();
      const tx = dk.transaction(STORE, 'readwrite');
      const s = tx.objectStore(STORE);
      const ids = [...new Set(batch.map((m) => m.conversationId))];
      const reads = ids.map((id) => s.get(id));
      await req(reads.at(-1)); // requests complete in order
      const map = new Map();
      reads.forEach((r, j) => r.result && map.set(ids[j], r.result));
      const changed = new Set();
      for (const m of batch) {
        const c = plainApply(map, m, stamp);
        const kept = c.messages ?? [];
        kept.push(m);
        c.messages = kept.slice(-Math.max(KEEP_NEWEST, c.unreadCount));
        changed.add(c);
      }
      for (const c of changed) s.put(c);
      await done(tx);
    });
  },

  async applyModule({ db, from, to }) {
    const svc = await service(db);
    const { batches } = state.apply;
    const start = now();
    const times = await timeEach(to - from, (i) => svc.applyMessages(batches[from + i]));
    return { times, gc: { ...gcIn(start), calls: to - from }, memoryBytes: wasmBytes() };
  },

  async applyBaseline({ from, to }) {
    const { batches, d, map } = state.apply;
    return timeEach(to - from, async (i) => {
      const stamp = Date.now();
      const changed = new Set();
      for (const m of batches[from + i]) changed.add(plainApply(map, m, stamp));
      const tx = d.transaction(STORE, 'readwrite');
      const s = tx.objectStore(STORE);
      for (const c of changed) s.put(c);
      await done(tx);
    });
  },

  // After scenario 3: both sides must agree on the count and the total.
  async applyCheck({ db }) {
    const svc = await service(db);
    const { map } = state.apply;
    let total = 0;
    for (const c of map.values()) total += c.unreadCount;
    const moduleTotal = await svc.getTotalUnreadCount();
    const { list } = await walk(svc, 10000);
    return { moduleTotal, baselineTotal: total, moduleCount: list.length, baselineCount: map.size };
  },

  // Scenario 11: what IndexedDB holds, by navigator.storage.estimate() (the
  // origin's usage, so taken as differences, nothing else writing meanwhile):
  // convs conversations × perConv messages from the other side, applied in
  // calls of batch and then read (markConversationRead each), then as many
  // again, read too; beside a baseline that keeps what localconv used to
  // keep: every message as a value of its own, with the conversations.
  async storage({ db, baselineDb, convs, perConv, batch, t0 }) {
    if (state.svc) await state.svc.close();
    state.svc = null;
    await deleteDb(db);
    await deleteDb(baselineDb);
    const usage = async () => (await navigator.storage.estimate()).usage;
    // What IndexedDB's files hold settles after the writes (the engine
    // compacts what was overwritten): the reading once it stopped falling
    // for a second, within 20 s.
    const settled = async () => {
      let last = await usage();
      for (let i = 0; i < 40; i++) {
        await new Promise((r) => setTimeout(r, 500));
        const u = await usage();
        if (u >= last && i >= 2) return u;
        last = Math.min(last, u);
      }
      return last;
    };
    const rand = data.rng(11);
    const cs = Array.from({ length: convs }, (_, i) => data.conversationOf(i));
    const round = (r) => {
      const out = [];
      for (let i = 0; i < perConv; i++) {
        for (const c of cs) out.push(data.message(rand, c, t0 + (r * perConv + i) * 10, false));
      }
      return out;
    };
    const rounds = [round(0), round(1)];
    const lc = await localconv();
    const before = await usage();
    // What the database holds, counted value by value: a string's
    // characters, 8 bytes a number, its property names; estimate() adds
    // what the engine has yet to compact, which varies run to run.
    const size = (v) => typeof v === 'string' ? v.length : typeof v === 'number' ? 8 : typeof v === 'boolean' ? 1
      : v instanceof Uint8Array ? v.length : Array.isArray(v) ? v.reduce((a, x) => a + size(x), 0)
        : v && typeof v === 'object' ? Object.entries(v).reduce((a, [k, x]) => a + k.length + size(x), 0) : 0;
    const held = async (name) => {
      const d = await openExisting(name);
      let n = 0;
      const stores = {};
      for (const store of d.objectStoreNames) {
        const tx = d.transaction(store, 'readonly');
        const [keys, values] = await Promise.all([req(tx.objectStore(store).getAllKeys()), req(tx.objectStore(store).getAll())]);
        stores[store] = { count: keys.length, bytes: size(keys) + size(values) };
        n += stores[store].bytes;
      }
      d.close();
      heldStores.push({ name, stores });
      return n;
    };
    const heldStores = [];
    const module = [];
    const moduleHeld = [];
    let moduleMs = 0;
    let total;
    for (const msgs of rounds) {
      const svc = await lc.LocalConversationService.open({ accountId: data.ACCOUNT, dbName: db });
      const t = now();
      for (let i = 0; i < msgs.length; i += batch) await svc.applyMessages(msgs.slice(i, i + batch));
      for (const c of cs) await svc.markConversationRead(c.id);
      moduleMs += now() - t;
      total = await svc.getTotalUnreadCount();
      await svc.close();
      module.push(await settled() - before);
      moduleHeld.push(await held(db));
    }

    const baselineBefore = await usage();
    const d = await openWithMessages(baselineDb);
    const map = new Map();
    const baseline = [];
    const baselineHeld = [];
    const t = now();
    for (const msgs of rounds) {
      for (let i = 0; i < msgs.length; i += batch) {
        const part = msgs.slice(i, i + batch);
        const stamp = Date.now();
        const changed = new Set(part.map((m) => plainApply(map, m, stamp)));
        const tx = d.transaction([STORE, 'messages'], 'readwrite');
        for (const c of changed) tx.objectStore(STORE).put(c);
        for (const m of part) tx.objectStore('messages').put(m);
        await done(tx);
      }
      const tx = d.transaction(STORE, 'readwrite');
      for (const c of map.values()) tx.objectStore(STORE).put({ ...c, unreadCount: 0 });
      await done(tx);
      baseline.push(await settled() - baselineBefore);
      baselineHeld.push(await held(baselineDb));
    }
    const baselineMs = now() - t;
    d.close();
    await deleteDb(db);
    await deleteDb(baselineDb);
    return { convs, perConv, messages: rounds.map((r) => r.length), module, baseline, moduleHeld, baselineHeld, heldStores, total, moduleMs, baselineMs };
  },

  // Opens the service on the work page (a step of its own in the memory table).
  async open({ db }) {
    await service(db);
    return {};
  },

  async close() {
    if (state.svc) await state.svc.close();
    state.svc = null;
    state.apply?.d.close();
    state.apply?.dm?.close();
    state.apply?.dk?.close();
    state.apply = null;
  },

  deleteDb,
  // The runner reads it after every step: the peak-memory table's wasm figure.
  wasmBytes,
};

globalThis.bench = bench;

const params = new URLSearchParams(location.search);
const kind = params.get('cold');
if (kind) {
  const args = JSON.parse(params.get('args') || '{}');
  globalThis.__cold = cold[kind](args).catch((e) => ({ error: String(e && e.stack || e) }));
}
document.title = 'ready';
