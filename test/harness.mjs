// Shared set-up for the browser tests: the repository's dev server on a free
// port and a browser: headless Chromium driven by playwright-core, or, with
// LOCALCONV_BROWSER=firefox|webkit, Firefox or WebKit through the drivers in
// test/drivers/, which give the tests the part of Playwright's page they use
// (evaluate, goto, reload, waitForFunction, close, errors, workers) and
// contexts with storage of their own.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { before, after } from 'node:test';
import { chromium } from 'playwright-core';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const screenshotDir = path.join(root, 'test-results', 'screenshots');

const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
export const chromiumArgs = [
  '--headless=new', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

// startServer runs bin/devserver (built by `make test`) and returns its base URL.
export async function startServer() {
  const bin = path.join(root, 'bin', 'devserver');
  if (!existsSync(bin)) throw new Error('bin/devserver is missing: run the tests through `make test`');
  const proc = spawn(bin, ['-addr', '127.0.0.1:0', '-root', root, '-tests'], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  for await (const chunk of proc.stdout) {
    out += chunk;
    const m = out.match(/on (http:\/\/[^/\s]+)/);
    if (m) return { url: m[1], close: () => proc.kill() };
  }
  throw new Error('devserver exited: ' + out);
}

// ENGINE is the browser these tests run in: chromium (default), firefox, webkit.
export const ENGINE = process.env.LOCALCONV_BROWSER || 'chromium';
export const ENGINES = ['chromium', 'firefox', 'webkit'];
if (!ENGINES.includes(ENGINE)) throw new Error(`LOCALCONV_BROWSER=${ENGINE}: one of ${ENGINES.join(', ')}`);

// CHROMIUM_ONLY is the one list of what runs in Chromium alone, with why:
// whole files, which test/drivers/run.mjs leaves out in the other engines.
// Everything else runs in all three engines.
export const CHROMIUM_ONLY = {
  'demo.test.mjs': 'drives the demo UI with Playwright locators, clicks, keyboard and screenshots',
  'extension.test.mjs': 'a Chrome extension (Manifest V3) and its service worker, restarted over CDP',
  'mainthread.test.mjs': "PerformanceObserver 'longtask' exists only in Chromium",
  'tabs-crash.test.mjs': "crashes a tab with CDP's Page.crash and calls into Node with Playwright's exposeFunction",
  'crash.test.mjs': "crashes a tab with CDP's Page.crash",
  'tabs-release-crash.test.mjs': "crashes the tab that hosts the SharedWorker with CDP's Page.crash",
};

// KNOWN_GAPS: files that do not hold in an engine yet, with why; run.mjs
// leaves them out there (and the closing note of the round says so).
// None now: {'file.test.mjs': {engine: 'why'}}.
export const KNOWN_GAPS = {};

// chromiumOnly fails test t when a Chromium-only file (above) is run in
// another engine by hand: run.mjs never does, so nothing is ever skipped.
export function chromiumOnly(t) {
  if (ENGINE === 'chromium') return;
  const reason = CHROMIUM_ONLY[path.basename(process.argv[1] ?? '')];
  if (reason) throw new Error(`${t.name}: runs in Chromium only (${reason}); test/drivers/run.mjs leaves it out in ${ENGINE}`);
}

export async function launch(options = {}) {
  if (ENGINE === 'firefox') return (await import('./drivers/firefox.mjs')).launch();
  if (ENGINE === 'webkit') return (await import('./drivers/webkit.mjs')).launch();
  return chromium.launch({ executablePath: CHROMIUM, args: chromiumArgs, ...options });
}

// openPage opens the blank test page, which has imported the wrapper as
// globalThis.localconv. Console errors and page errors are collected.
export async function openPage(context, base, pagePath = '/test/pages/blank.html') {
  const page = await context.newPage();
  if (ENGINE === 'chromium') {
    page.errors = [];
    page.on('pageerror', (e) => page.errors.push(e));
    page.on('console', (m) => {
      if (m.type() === 'error') page.errors.push(new Error(m.text()));
    });
  } // the other engines' drivers keep page.errors themselves
  await page.goto(base + pagePath);
  await page.waitForFunction(() => document.title === 'ready' || document.title.endsWith('localconv demo'));
  return page;
}

export function screenshotPath(name) {
  mkdirSync(screenshotDir, { recursive: true });
  return path.join(screenshotDir, name + '.png');
}

let counter = 0;
// uniqueName gives each test its own account or database.
export const uniqueName = (prefix = 'acc') => `${prefix}${process.pid}x${Date.now()}x${counter++}`;

// ---------------------------------------------------------------------------
// Per-file set-up for the wrapper's tests: one dev server and one browser for
// the whole file, a fresh context (own storage, own origin state) per page.

// useBrowser registers before/after hooks in the calling test file and returns
// env with:
//   context(t)         a new browser context (its own storage) with the in-page
//                      kit installed, closed when test t ends;
//   page(t, context?)  a new page on blank.html, closed when t ends, in the
//                      context given or else in one context the file's tests
//                      share (cheaper: the module's compiled code is cached);
//                      tests keep apart there by unique account names;
//   isolatedPage(t)    page(t, await context(t)): nothing shared at all.
// A page that logged an error fails its test. launchOptions go to
// Playwright's chromium.launch (Chromium only).
export function useBrowser(launchOptions = {}) {
  const env = { base: null, browser: null, server: null, shared: null, engine: ENGINE };
  before(async () => {
    env.server = await startServer();
    env.base = env.server.url;
    env.browser = await launch(launchOptions);
  });
  after(async () => {
    await env.browser?.close();
    env.server?.close();
  });
  const newContext = async () => {
    const context = await env.browser.newContext();
    await context.addInitScript(installKit);
    return context;
  };
  env.context = async (t) => {
    chromiumOnly(t);
    const context = await newContext();
    t.after(() => context.close());
    return context;
  };
  env.page = async (t, context) => {
    chromiumOnly(t);
    env.shared ??= newContext();
    const page = await openPage(context ?? (await env.shared), env.base);
    t.after(async () => {
      await page.close();
      if (page.errors.length) throw new Error('the page reported errors: ' + page.errors.map((e) => e.message).join('; '));
    });
    return page;
  };
  env.isolatedPage = async (t) => env.page(t, await env.context(t));
  return env;
}

// installKit runs in every page before its own scripts (context.addInitScript)
// and defines globalThis.kit, the in-page helpers the tests call through
// page.evaluate. It must be self-contained: Playwright sends its source.
export function installKit() {
  const EVENTS = [
    'syncStarted', 'syncFinished', 'syncFailed', 'conversationCreated', 'conversationDeleted',
    'conversationChanged', 'conversationReadTimeUpdated', 'totalUnreadCountChanged',
    'unreadCountChangedByFilter',
  ];
  const tick = (ms = 0) => new Promise((r) => setTimeout(r, ms));
  const kit = {
    EVENTS,
    services: {},
    // err describes a thrown value the way the tests compare it.
    err(e) {
      return {
        isLocalConvError: e instanceof globalThis.localconv.LocalConvError,
        isError: e instanceof Error,
        name: e && e.name,
        code: e && e.code,
        message: e && String(e.message),
      };
    },
    // record logs every event the service dispatches as {type, detail}.
    record(svc) {
      if (svc.__log) return svc.__log;
      const log = [];
      for (const type of EVENTS) {
        svc.addEventListener(type, (e) => {
          const detail = type === 'syncFailed' ? kit.err(e.detail) : e.detail;
          log.push({ type, detail, custom: e instanceof CustomEvent });
        });
      }
      Object.defineProperty(svc, '__log', { value: log });
      return log;
    },
    // open opens a service with a recorder attached from the start (through
    // the listeners option, so the first sync is recorded) and names it.
    async open(name, options) {
      const early = [];
      const listeners = {};
      for (const type of EVENTS) {
        listeners['on' + type[0].toUpperCase() + type.slice(1)] = (detail) => early.push({ type, detail: type === 'syncFailed' ? kit.err(detail) : detail });
      }
      const svc = await globalThis.localconv.LocalConversationService.open({ listeners, ...options });
      kit.services[name] = svc;
      kit.record(svc);
      svc.__early = early;
      return { early: early.slice() };
    },
    // call runs one method of a named service and reports its outcome, the
    // events dispatched before its Promise settled, and those dispatched after
    // (there should be none): {value} or {error} or {syncThrow}; with
    // snapshot, also the service's snapshot afterwards.
    async call(name, method, args, { wait = 0, snapshot = false } = {}) {
      const svc = kit.services[name];
      const log = kit.record(svc);
      const start = log.length;
      let p;
      try {
        p = svc[method](...args);
      } catch (e) {
        return { syncThrow: kit.err(e), events: log.slice(start) };
      }
      const out = { isPromise: p instanceof Promise };
      try {
        out.value = await p;
      } catch (e) {
        out.error = kit.err(e);
      }
      const settled = log.length;
      await tick(wait);
      out.events = log.slice(start, settled);
      out.late = log.slice(settled);
      if (snapshot) out.snapshot = await kit.snapshot(name);
      return out;
    },
    // batch runs calls ([method, args] or [method, argsSource, vars]) one
    // after the other in one round trip, each as call() with its snapshot.
    async batch(name, calls) {
      const out = [];
      for (const [method, args, vars] of calls) {
        const list = typeof args === 'string'
          ? new Function(...Object.keys(vars), `return (${args});`)(...Object.values(vars))
          : args;
        out.push(await kit.call(name, method, list, { snapshot: true }));
      }
      return out;
    },
    // snapshot is everything a test compares to see that nothing changed.
    async snapshot(name) {
      const svc = kit.services[name];
      const list = await svc.getConversationList(0, 0);
      const all = [...list.conversationList];
      let page = list;
      while (!page.finished) {
        page = await svc.getConversationList(page.offset, 0);
        all.push(...page.conversationList);
      }
      const readTimes = {};
      for (const c of all) readTimes[c.conversationId] = await svc.getConversationReadTime(c.conversationId);
      return {
        list: all,
        total: await svc.getTotalUnreadCount(),
        pinned: await svc.getStickTopConversationList(),
        readTimes,
      };
    },
    tick,
  };
  globalThis.kit = kit;
}
