// WebKit: WebKitGTK's MiniBrowser (the engine Safari is built on, not Safari)
// through WebKitWebDriver, a W3C WebDriver server, with selenium-webdriver.
//
// A context is a WebDriver session: its own MiniBrowser process with its own
// (ephemeral) storage. WebKitWebDriver serves one session at a time, so each
// context has a server of its own. A page is a window of the session; the
// windows of one session share IndexedDB, BroadcastChannel and SharedWorkers,
// as tabs of one profile do. MiniBrowser needs a display: without $DISPLAY an
// Xvfb is started for the process.
//
// Classic WebDriver runs one command at a time per session, and a page is
// reached by switching the session's current window to it. So that several
// pages can wait at once (a tab waiting for another tab's events), an evaluate
// starts the function in the page and then polls it, each step holding the
// session for at most a few tens of milliseconds.
import { spawn } from 'node:child_process';
import net from 'node:net';
import { Builder } from 'selenium-webdriver';
import { PageBase, runSource, trap, encode, settle } from './wire.mjs';

const MINIBROWSER = process.env.MINIBROWSER || '/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser';
const DRIVER = process.env.WEBKITWEBDRIVER || 'WebKitWebDriver';
const STEP_MS = 40;

const freePort = () => new Promise((resolve, reject) => {
  const s = net.createServer();
  s.once('error', reject);
  s.listen(0, '127.0.0.1', () => {
    const { port } = s.address();
    s.close(() => resolve(port));
  });
});

async function startXvfb() {
  const proc = spawn('Xvfb', ['-displayfd', '1', '-screen', '0', '1280x1024x24', '-nolisten', 'tcp'], { stdio: ['ignore', 'pipe', 'ignore'] });
  let out = '';
  for await (const chunk of proc.stdout) {
    out += chunk;
    if (out.includes('\n')) return { display: ':' + out.trim(), close: () => proc.kill() };
  }
  throw new Error('Xvfb did not start (apt-get install -y xvfb)');
}

async function startDriver(env) {
  const port = await freePort();
  const proc = spawn(DRIVER, [`--port=${port}`, '--host=127.0.0.1'], { stdio: ['ignore', 'ignore', 'inherit'], env });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 200; i++) {
    if (proc.exitCode !== null) throw new Error(`${DRIVER} exited (${proc.exitCode})`);
    try {
      const r = await fetch(url + '/status');
      if (r.ok) return { url, close: () => proc.kill() };
    } catch {}
    await new Promise((r) => setTimeout(r, 50));
  }
  proc.kill();
  throw new Error(`${DRIVER} did not answer on ${url}`);
}

class WebKitPage extends PageBase {
  constructor(ctx, handle) {
    super();
    this.ctx = ctx;
    this.handle = handle;
  }

  // cmd runs fn(driver) with this page's window current, one at a time.
  cmd(fn) { return this.ctx.exclusive(this.handle, fn); }

  async evaluate(fn, arg) {
    // The function's source is part of the script (not eval'd in the page,
    // which a strict CSP would refuse): WebDriver creates the function itself.
    const script = `
const done = arguments[arguments.length - 1];
const d = globalThis.__drv || (globalThis.__drv = { errors: [], workers: new Map(), slots: new Map(), seq: 0 });
const id = 'e' + (++d.seq);
const run = (${runSource(fn)});
const p = run(arguments[0]);
d.slots.set(id, p);
let fin = false;
p.then((text) => { if (!fin) { fin = true; d.slots.delete(id); done({ text }); } });
setTimeout(() => { if (!fin) { fin = true; done({ id }); } }, ${STEP_MS});`;
    let r = await this.cmd((driver) => driver.executeAsyncScript(script, encode(arg)));
    while (r && !('text' in r)) {
      const id = r.id;
      r = await this.cmd((driver) => driver.executeAsyncScript(`
const done = arguments[arguments.length - 1];
const d = globalThis.__drv;
const p = d && d.slots.get(arguments[0]);
if (!p) { done({ gone: true }); return; }
let fin = false;
p.then((text) => { if (!fin) { fin = true; d.slots.delete(arguments[0]); done({ text }); } });
setTimeout(() => { if (!fin) { fin = true; done({ id: arguments[0] }); } }, ${STEP_MS});`, id));
      if (r && r.gone) throw new Error('page.evaluate: the page navigated or closed before the function settled');
    }
    return settle(this, r.text);
  }

  // afterLoad puts the trap and the context's init scripts in the page:
  // WebDriver has no way to run them before the page's own scripts, so they
  // run once it has loaded (blank.html's module has run by then).
  async afterLoad() {
    const src = this.ctx.initScripts.map((fn) => `(${fn.toString()})();`).join('\n');
    await this.cmd((driver) => driver.executeScript(src));
  }

  async goto(url) {
    await this.cmd((driver) => driver.get(url));
    await this.afterLoad();
  }

  async reload() {
    await this.cmd((driver) => driver.navigate().refresh());
    await this.afterLoad();
  }

  async close() {
    if (this.closed) return;
    this.closed = true;
    await this.ctx.closeWindow(this);
  }
}

class WebKitContext {
  constructor(driver, server, home) {
    Object.assign(this, { driver, server, home, current: home, queue: Promise.resolve() });
    this.initScripts = [trap];
    this.pages = new Set();
  }

  exclusive(handle, fn) {
    const run = this.queue.then(async () => {
      if (this.current !== handle) {
        await this.driver.switchTo().window(handle);
        this.current = handle;
      }
      return fn(this.driver);
    });
    this.queue = run.catch(() => {});
    return run;
  }

  async addInitScript(fn) {
    this.initScripts.push(fn);
  }

  async newPage() {
    // A window of its own, not a tab: a background tab would be hidden and
    // throttled, and the tests keep every page busy.
    const handle = await this.exclusive(this.current, async (driver) => {
      await driver.switchTo().newWindow('window');
      const h = await driver.getWindowHandle();
      this.current = h;
      return h;
    });
    const page = new WebKitPage(this, handle);
    this.pages.add(page);
    return page;
  }

  // closeWindow closes a page's window, absorbing what it reported last. The
  // first window stays open: closing a session's last window ends it.
  async closeWindow(page) {
    // As in Playwright, closing a page of a closed context does nothing.
    if (!this.pages.delete(page) || this.closed) return;
    await this.exclusive(page.handle, async (driver) => {
      try {
        page.absorb(await driver.executeScript('return { errors: globalThis.__drv ? globalThis.__drv.errors.splice(0) : [], workers: [] }'));
      } catch {}
      await driver.close();
      await driver.switchTo().window(this.home);
      this.current = this.home;
    });
  }

  async close() {
    if (this.closed) return;
    // The pages still open report what they logged since their last evaluate.
    for (const page of [...this.pages]) await page.close().catch(() => {});
    this.closed = true;
    await this.queue;
    await this.driver.quit().catch(() => {});
    this.server.close();
  }
}

export async function launch() {
  let xvfb = null;
  const env = { ...process.env };
  if (!env.DISPLAY) {
    xvfb = await startXvfb();
    env.DISPLAY = xvfb.display;
  }
  const contexts = new Set();
  let version = null;
  return {
    engine: 'webkit',
    newContext: async () => {
      const server = await startDriver(env);
      const driver = await new Builder().usingServer(server.url).withCapabilities({
        browserName: 'MiniBrowser',
        'webkitgtk:browserOptions': { binary: MINIBROWSER, args: ['--automation'] },
      }).build();
      await driver.manage().setTimeouts({ script: 600_000, pageLoad: 120_000 });
      version ??= (await driver.getCapabilities()).get('browserVersion') ?? null;
      const ctx = new WebKitContext(driver, server, await driver.getWindowHandle());
      contexts.add(ctx);
      const close = ctx.close.bind(ctx);
      ctx.close = async () => { contexts.delete(ctx); await close(); };
      return ctx;
    },
    // The WebKitGTK version, known once a context was made.
    version: async () => version,
    close: async () => {
      await Promise.all([...contexts].map((c) => c.close()));
      xvfb?.close();
    },
  };
}
