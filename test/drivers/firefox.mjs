// Firefox (Debian's firefox-esr) over WebDriver BiDi with puppeteer-core:
// Playwright drives only its own patched Firefox builds, not a stock one.
// A context is a BiDi user context (its own storage); its pages are tabs of
// one profile, sharing IndexedDB, BroadcastChannel and SharedWorkers.
import puppeteer from 'puppeteer-core';
import { PageBase, runSource, settle, trap, encode } from './wire.mjs';

const FIREFOX = process.env.FIREFOX || '/usr/bin/firefox-esr';

// Background tabs would have their timers throttled to one a second after a
// while; the tests keep several tabs busy at once, as users do not.
const PREFS = {
  'dom.min_background_timeout_value': 4,
  'dom.min_background_timeout_value_without_budget_throttling': 4,
  'dom.timeout.enable_budget_timer_throttling': false,
  'browser.tabs.remote.unloadTabs': false,
};

class FirefoxPage extends PageBase {
  constructor(p, initScripts) {
    super();
    this.p = p;
    this.initScripts = initScripts;
  }

  async evaluate(fn, arg) {
    const expr = `(${runSource(fn)})(${JSON.stringify(encode(arg))})`;
    return settle(this, await this.p.evaluate(expr));
  }

  async goto(url) {
    await this.p.goto(url, { waitUntil: 'load' });
  }

  async reload() {
    await this.p.reload({ waitUntil: 'load' });
  }

  async close() {
    if (this.closed) return;
    try {
      // What the page reported since the last evaluate.
      this.absorb(JSON.parse(await this.p.evaluate(`JSON.stringify({ errors: globalThis.__drv ? globalThis.__drv.errors.splice(0) : [], workers: [] })`)));
    } catch {}
    this.closed = true;
    await this.p.close();
  }
}

class FirefoxContext {
  constructor(ctx) {
    this.ctx = ctx;
    this.initScripts = [trap];
    this.pages = new Set();
  }

  async addInitScript(fn) {
    this.initScripts.push(fn);
  }

  async newPage() {
    const p = await this.ctx.newPage();
    for (const fn of this.initScripts) await p.evaluateOnNewDocument(`(${fn.toString()})()`);
    const page = new FirefoxPage(p, this.initScripts);
    this.pages.add(page);
    const close = page.close.bind(page);
    // As in Playwright, closing a page of a closed context does nothing.
    page.close = async () => {
      if (!this.pages.delete(page) || this.closed) return;
      await close();
    };
    return page;
  }

  async close() {
    if (this.closed) return;
    // The pages still open report what they logged since their last evaluate.
    for (const page of [...this.pages]) await page.close().catch(() => {});
    this.closed = true;
    await this.ctx.close().catch(() => {});
  }
}

export async function launch() {
  const browser = await puppeteer.launch({
    browser: 'firefox', executablePath: FIREFOX, headless: true, extraPrefsFirefox: PREFS,
    protocolTimeout: 600_000,
  });
  return {
    engine: 'firefox',
    version: async () => browser.version(),
    newContext: async () => new FirefoxContext(await browser.createBrowserContext()),
    close: () => browser.close(),
  };
}
