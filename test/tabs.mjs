// Helpers for the multi-tab tests (test/tabs*.test.mjs): several pages of one
// browser context — tabs of one browser profile, sharing IndexedDB and
// BroadcastChannel — each with the service of one account open. Not a test file.
//
// Every tab records every event it dispatches with the time it came
// (performance.timeOrigin + now(), comparable across the pages of a browser),
// so a test can compare the acting tab's events with what the others heard,
// and how long that took.
import assert from 'node:assert/strict';
import { openPage, chromiumOnly } from './harness.mjs';

// Message times start a day ahead of the clock, at a whole day: marking read
// sets a read time of max(now, the newest message), and with messages ahead
// of now that is the newest message, a time the tests can name.
export const T = (Math.floor(Date.now() / 86_400_000) + 1) * 86_400_000;

// LOCALCONV_PLACEMENT=worker|sharedWorker runs the module off the page's main
// thread (open({placement})); by default it runs in the page.
export const PLACEMENT = process.env.LOCALCONV_PLACEMENT || undefined;

// Filters every tab subscribes to (the same ones, so that filter events are
// comparable across tabs: a tab only hears of the filters it subscribed).
export const FILTERS = [
  { conversationTypes: [1] },
  { conversationTypes: [2, 3], ignoreMuted: true },
  { ignoreMuted: true },
];

// installTabKit runs in every page before its scripts (context.addInitScript)
// and defines globalThis.tabkit. Self-contained: Playwright sends its source.
export function installTabKit() {
  const EVENTS = [
    'syncStarted', 'syncFinished', 'syncFailed', 'conversationCreated', 'conversationDeleted',
    'conversationChanged', 'conversationReadTimeUpdated', 'totalUnreadCountChanged',
    'unreadCountChangedByFilter',
  ];
  const now = () => performance.timeOrigin + performance.now();
  const err = (e) => ({ code: e && e.code, message: e && String(e.message), isLocalConvError: e instanceof globalThis.localconv.LocalConvError });
  const waiters = new Set();
  const tabkit = {
    svc: null,
    log: [],
    // open opens the service with every event recorded from the first sync on.
    async open(options) {
      const listeners = {};
      for (const type of EVENTS) {
        listeners['on' + type[0].toUpperCase() + type.slice(1)] = (detail) => {
          tabkit.log.push({ type, detail: type === 'syncFailed' ? err(detail) : detail, at: now() });
          for (const w of waiters) w();
        };
      }
      const start = now();
      tabkit.svc = await globalThis.localconv.LocalConversationService.open({ listeners, ...options });
      return { log: tabkit.log.slice(), ms: now() - start };
    },
    // call runs a method and returns its outcome with the events dispatched
    // before its Promise settled, and when it started and settled.
    async call(method, args) {
      const from = tabkit.log.length;
      const start = now();
      const out = {};
      try {
        out.value = await tabkit.svc[method](...args);
      } catch (e) {
        out.error = err(e);
      }
      out.end = now();
      out.start = start;
      out.events = tabkit.log.slice(from);
      return out;
    },
    // waitLog resolves once the log holds n events, or after timeoutMs, with
    // the log from index from.
    waitLog(n, from, timeoutMs) {
      return new Promise((resolve) => {
        const done = () => {
          waiters.delete(check);
          clearTimeout(timer);
          resolve({ reached: tabkit.log.length >= n, log: tabkit.log.slice(from), now: now() });
        };
        const check = () => { if (tabkit.log.length >= n) done(); };
        const timer = setTimeout(done, timeoutMs);
        waiters.add(check);
        check();
      });
    },
    // waitFor resolves with the first event from index from that matches
    // type (and detail, compared as JSON when given), or null after timeoutMs.
    waitFor(type, from, timeoutMs) {
      return new Promise((resolve) => {
        const done = (e) => {
          waiters.delete(check);
          clearTimeout(timer);
          resolve(e ?? null);
        };
        const check = () => {
          const e = tabkit.log.slice(from).find((x) => x.type === type);
          if (e) done(e);
        };
        const timer = setTimeout(() => done(null), timeoutMs);
        waiters.add(check);
        check();
      });
    },
    // snapshot is everything the app can read: the whole list walked in
    // small pages, lists by option, the counts, the pinned list, read times.
    async snapshot(filters, svc = tabkit.svc) {
      const walk = async (page) => {
        const all = [];
        let offset = 0;
        for (let i = 0; i < 10000; i++) {
          const p = await page(offset);
          all.push(...p.conversationList);
          if (p.finished) return all;
          offset = p.offset;
        }
        throw new Error('paging did not finish');
      };
      const list = await walk((o) => svc.getConversationList(o, 7));
      const readTimes = {};
      for (const c of list) readTimes[c.conversationId] = await svc.getConversationReadTime(c.conversationId);
      return {
        list,
        onlyUnread: await walk((o) => svc.getConversationListByOption(o, 5, { onlyUnread: true })),
        teams: await walk((o) => svc.getConversationListByOption(o, 5, { conversationTypes: [2, 3] })),
        total: await svc.getTotalUnreadCount(),
        filterCounts: await Promise.all(filters.map((f) => svc.getUnreadCountByFilter(f))),
        pinned: await svc.getStickTopConversationList(),
        readTimes,
      };
    },
    // freshSnapshot loads the database anew (a second service in this page,
    // with its own connection — in the page, whatever the tabs' placement, so
    // that a SharedWorker's one cache is checked against the database too),
    // takes its snapshot and closes it.
    async freshSnapshot(options, filters) {
      const log = [];
      const svc = await globalThis.localconv.LocalConversationService.open({
        ...options, placement: 'page', listeners: { onSyncFailed: (e) => log.push(err(e)) },
      });
      try {
        if (log.length) throw new Error('the fresh load failed: ' + JSON.stringify(log));
        return await tabkit.snapshot(filters, svc);
      } finally {
        await svc.close();
      }
    },
    now,
  };
  globalThis.tabkit = tabkit;
}

// Tab is the Node-side handle of one tab.
export class Tab {
  constructor(page, index, accountId) {
    Object.assign(this, { page, index, accountId });
  }

  p2p(target) { return `${this.accountId}|1|${target}`; }
  team(target) { return `${this.accountId}|2|${target}`; }
  superTeam(target) { return `${this.accountId}|3|${target}`; }

  eval(fn, arg) { return this.page.evaluate(fn, arg); }

  async open(options) {
    this.options = options;
    return this.eval((o) => globalThis.tabkit.open(o), options);
  }

  call(method, ...args) {
    return this.eval(([m, a]) => globalThis.tabkit.call(m, a), [method, args]);
  }

  // ok runs a call that must succeed.
  async ok(method, ...args) {
    const r = await this.call(method, ...args);
    assert.equal(r.error, undefined, `tab ${this.index}: ${method} failed: ${JSON.stringify(r.error)}`);
    return r;
  }

  logLength() { return this.eval(() => globalThis.tabkit.log.length); }
  log() { return this.eval(() => globalThis.tabkit.log.slice()); }
  waitLog(n, from, timeoutMs) { return this.eval(([a, b, c]) => globalThis.tabkit.waitLog(a, b, c), [n, from, timeoutMs]); }
  waitFor(type, from, timeoutMs) { return this.eval(([a, b, c]) => globalThis.tabkit.waitFor(a, b, c), [type, from, timeoutMs]); }
  snapshot(filters = FILTERS) { return this.eval((f) => globalThis.tabkit.snapshot(f), filters); }
  freshSnapshot(filters = FILTERS) {
    return this.eval(([o, f]) => globalThis.tabkit.freshSnapshot(o, f), [this.options, filters]);
  }
}

// newTabContext is a browser context (one profile: shared IndexedDB and
// BroadcastChannel) with the tab kit in every page, closed when t ends.
export async function newTabContext(env, t) {
  chromiumOnly(t);
  const context = await env.browser.newContext();
  await context.addInitScript(installTabKit);
  t.after(() => context.close());
  return context;
}

// openTab opens a page in context with the account's service open. A page
// that logged an error fails the test, unless allowErrors.
export async function openTab(env, t, context, index, options, { allowErrors = false, subscribe = FILTERS } = {}) {
  const page = await openPage(context, env.base);
  t.after(async () => {
    if (!page.isClosed()) await page.close();
    if (!allowErrors && page.errors.length) throw new Error(`tab ${index} reported errors: ` + page.errors.map((e) => e.message).join('; '));
  });
  const tab = new Tab(page, index, options.accountId);
  const opened = await tab.open(PLACEMENT ? { placement: PLACEMENT, ...options } : options);
  for (const f of subscribe) await tab.ok('subscribeUnreadCountByFilter', f);
  tab.openMs = opened.ms;
  return tab;
}

// openTabs opens n tabs of one account in one context.
export async function openTabs(env, t, n, options, context) {
  context ??= await newTabContext(env, t);
  const tabs = [];
  for (let i = 0; i < n; i++) tabs.push(await openTab(env, t, context, i, options));
  return { context, tabs };
}

// strip drops the arrival times, leaving {type, detail} as the app sees them.
export const strip = (events) => events.map(({ type, detail }) => ({ type, detail }));

// Latency keeps the cross-tab delivery times a test measured (ms from the
// acting tab's call settling to the last of its events arriving elsewhere).
export class Latency {
  samples = [];
  add(ms) { this.samples.push(ms); }
  summary() {
    const s = [...this.samples].sort((a, b) => a - b);
    if (!s.length) return 'no samples';
    const q = (p) => s[Math.min(s.length - 1, Math.floor(p * s.length))].toFixed(1);
    return `n=${s.length} median=${q(0.5)} ms p95=${q(0.95)} ms max=${s.at(-1).toFixed(1)} ms`;
  }
}

// deliver runs one call in actor and checks that every other tab hears the
// very events the actor dispatched, in order, within one second of the call
// settling. It returns the actor's result.
export async function deliver(actor, others, latency, method, ...args) {
  const marks = await Promise.all(others.map((o) => o.logLength()));
  const r = await actor.ok(method, ...args);
  const want = strip(r.events);
  await Promise.all(others.map(async (o, i) => {
    const got = await o.waitLog(marks[i] + r.events.length, marks[i], 2000);
    assert.ok(got.reached, `tab ${o.index} did not hear tab ${actor.index}'s ${method} within 2 s: heard ${JSON.stringify(strip(got.log))}, want ${JSON.stringify(want)}`);
    assert.deepEqual(strip(got.log), want, `tab ${o.index} heard tab ${actor.index}'s ${method} differently`);
    if (r.events.length) {
      const ms = Math.max(0, got.log.at(-1).at - r.end);
      latency?.add(ms);
      assert.ok(ms < 1000, `tab ${o.index} heard tab ${actor.index}'s ${method} after ${ms.toFixed(0)} ms`);
    }
  }));
  return r;
}

// assertConsistent checks docs/api.md §3's invariant and the option lists against
// the snapshot's own list: the total is the sum, each filter's count is the
// sum over the conversations it matches, the option lists and the pinned list
// are the list's matching items in list order.
export function assertConsistent(s, filters = FILTERS, what = '') {
  const sum = (xs) => xs.reduce((n, c) => n + c.unreadCount, 0);
  assert.equal(s.total, sum(s.list), `${what}: total is the sum of the unread counts`);
  filters.forEach((f, i) => {
    const match = s.list.filter((c) => (!f.conversationTypes?.length || f.conversationTypes.includes(c.type)) && !(f.ignoreMuted && c.mute));
    assert.equal(s.filterCounts[i], sum(match), `${what}: filter ${JSON.stringify(f)}`);
  });
  const ids = (xs) => xs.map((c) => c.conversationId);
  assert.deepEqual(ids(s.onlyUnread), ids(s.list.filter((c) => c.unreadCount > 0)), `${what}: onlyUnread`);
  assert.deepEqual(ids(s.teams), ids(s.list.filter((c) => c.type !== 1)), `${what}: teams`);
  assert.deepEqual(s.pinned, s.list.filter((c) => c.stickTop), `${what}: pinned`);
  assert.equal(new Set(ids(s.list)).size, s.list.length, `${what}: each conversation once`);
  for (const c of s.list) assert.ok(c.unreadCount >= 0, `${what}: ${c.conversationId} unread ${c.unreadCount}`);
}

// assertAllAgree checks that every tab's snapshot equals a fresh load of the
// database (taken in the first tab) and is consistent.
export async function assertAllAgree(tabs, what) {
  const fresh = await tabs[0].freshSnapshot();
  assertConsistent(fresh, FILTERS, `${what}: fresh load`);
  for (const tab of tabs) assert.deepEqual(await tab.snapshot(), fresh, `${what}: tab ${tab.index} differs from a fresh load of the database`);
  return fresh;
}

// waitAgree waits (up to timeoutMs) until every tab's snapshot equals a fresh
// load, then asserts it.
export async function waitAgree(tabs, what, timeoutMs = 3000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const fresh = await tabs[0].freshSnapshot();
    const snaps = await Promise.all(tabs.map((tab) => tab.snapshot()));
    if (snaps.every((s) => JSON.stringify(s) === JSON.stringify(fresh)) || Date.now() > deadline) {
      return assertAllAgree(tabs, what);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

// replay rebuilds what an app that only listens would hold from a tab's
// events after its sync: the conversations by id, the last total, and the last
// count of each filter. The tab's list, total and counts must equal it.
export function assertEventsTellTheList(log, snap, filters = FILTERS, what = '') {
  const convs = new Map();
  let total = 0;
  const counts = new Map();
  for (const { type, detail } of log) {
    switch (type) {
      case 'conversationCreated':
        assert.ok(!convs.has(detail.conversationId), `${what}: created twice ${detail.conversationId}`);
        convs.set(detail.conversationId, detail);
        break;
      case 'conversationDeleted':
        for (const id of detail) {
          assert.ok(convs.has(id), `${what}: deleted unknown ${id}`);
          convs.delete(id);
        }
        break;
      case 'conversationChanged':
        for (const c of detail) {
          assert.ok(convs.has(c.conversationId), `${what}: changed unknown ${c.conversationId}`);
          convs.set(c.conversationId, c);
        }
        break;
      case 'totalUnreadCountChanged':
        total = detail;
        break;
      case 'unreadCountChangedByFilter':
        counts.set(JSON.stringify([[...(detail.filter.conversationTypes ?? [])].sort(), !!detail.filter.ignoreMuted]), detail.unreadCount);
        break;
    }
  }
  const byId = (xs) => Object.fromEntries(xs.map((c) => [c.conversationId, c]));
  assert.deepEqual(byId([...convs.values()]), byId(snap.list), `${what}: the events tell a different list`);
  assert.equal(total, snap.total, `${what}: the last totalUnreadCountChanged`);
  filters.forEach((f, i) => {
    const key = JSON.stringify([[...(f.conversationTypes ?? [])].sort(), !!f.ignoreMuted]);
    assert.equal(counts.get(key) ?? 0, snap.filterCounts[i], `${what}: the last count of filter ${JSON.stringify(f)}`);
  });
}

// afterSync is the part of a log after the first sync finished.
export function afterSync(log) {
  const i = log.findIndex((e) => e.type === 'syncFinished');
  assert.ok(i >= 0, 'the tab synced');
  return log.slice(i + 1);
}

// msg builds a message for applyMessages.
export function msg(conversationId, messageClientId, senderId, createTime, extra = {}) {
  return { conversationId, messageClientId, senderId, createTime, messageType: 0, text: messageClientId, ...extra };
}

export { mulberry32 } from '../bench/prng.js';
