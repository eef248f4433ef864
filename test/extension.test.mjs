// The wrapper and the wasm inside a Manifest V3 extension
// (examples/extension/). Its service worker is a module worker that imports
// the wrapper statically and owns the store under the CSP
// "script-src 'self' 'wasm-unsafe-eval'"; its popup shows the conversation
// list and the total unread and stays in step. Headless Chromium with the
// extension loaded unpacked: messages applied in the service worker show in
// the popup; the service worker is stopped and started again and the data is
// still there.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { root } from './harness.mjs';

const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const extDir = path.join(root, 'examples', 'extension');
const T = 1_700_000_000_000;
const ACCOUNT = 'me'; // examples/extension/shared.js

// syncExtension puts the wrapper and the module into the example's
// localconv/ folder, as `make extension` does, when it is missing or older
// than js/ (the module itself is built by `make build`).
function syncExtension() {
  const js = path.join(root, 'js');
  const lib = path.join(extDir, 'localconv');
  const files = [...readdirSync(js).filter((f) => f.endsWith('.js')), 'localconv.wasm'];
  if (!existsSync(path.join(js, 'localconv.wasm'))) throw new Error('js/localconv.wasm is missing: run `make build` (or `make extension`)');
  mkdirSync(lib, { recursive: true });
  for (const f of files) {
    const src = path.join(js, f), dst = path.join(lib, f);
    if (!existsSync(dst) || statSync(dst).mtimeMs < statSync(src).mtimeMs) cpSync(src, dst);
  }
}

const env = { context: null, worker: null, id: null, errors: [], userDataDir: null };

before(async () => {
  syncExtension();
  env.userDataDir = mkdtempSync(path.join(os.tmpdir(), 'localconv-ext-'));
  env.context = await chromium.launchPersistentContext(env.userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    ignoreDefaultArgs: ['--disable-extensions'], // Playwright's default, which would refuse the extension
    args: [
      '--headless=new', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
      `--disable-extensions-except=${extDir}`, `--load-extension=${extDir}`,
    ],
  });
  env.worker = env.context.serviceWorkers().find((w) => w.url().endsWith('/background.js'))
    ?? await env.context.waitForEvent('serviceworker', { predicate: (w) => w.url().endsWith('/background.js'), timeout: 20_000 });
  env.id = new URL(env.worker.url()).host;
  env.worker.on('console', (m) => { if (m.type() === 'error') env.errors.push(`service worker: ${m.text()}`); });
  // No alarm ticks while the test runs: the messages are the test's own.
  await env.worker.evaluate(() => chrome.alarms.clearAll());
});

after(async () => {
  await env.context?.close();
  if (env.userDataDir) rmSync(env.userDataDir, { recursive: true, force: true });
});

// inWorker runs fn(arg) in the service worker; fn finds the open service as
// `await globalThis.example.ready` (background.js). The functions are passed
// as they are: the CSP forbids rebuilding them there with new Function.
const inWorker = (fn, arg) => env.worker.evaluate(fn, arg);

async function openPopup(t) {
  const page = await env.context.newPage();
  page.errors = [];
  page.on('pageerror', (e) => page.errors.push(`popup: ${e.message}`));
  page.on('console', (m) => { if (m.type() === 'error') page.errors.push(`popup: ${m.text()}`); });
  await page.addInitScript(() => {
    globalThis.__csp = [];
    document.addEventListener('securitypolicyviolation', (e) => globalThis.__csp.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  const start = Date.now();
  await page.goto(`chrome-extension://${env.id}/popup.html`);
  await page.waitForFunction(() => document.body.dataset.state !== 'opening', null, { timeout: 20_000 });
  assert.equal(await page.evaluate(() => document.body.dataset.state), 'ready', await page.textContent('#status'));
  t.diagnostic(`the popup showed its list ${Date.now() - start} ms after it was opened (the module loaded and synced in the popup)`);
  t.after(async () => {
    const csp = await page.evaluate(() => globalThis.__csp).catch(() => []);
    await page.close();
    assert.deepEqual([...page.errors, ...csp.map((v) => `CSP violation: ${v}`)], [], 'the popup reported problems');
  });
  return page;
}

// shown is what the popup shows: the total and the list, row by row.
function shown(page) {
  return page.evaluate(() => ({
    total: Number(document.getElementById('total').value),
    rows: [...document.querySelectorAll('#list li')].map((li) => ({
      id: li.dataset.id,
      name: li.querySelector('.name').textContent,
      text: li.querySelector('.text').textContent,
      unread: Number(li.querySelector('.unread').textContent),
    })),
  }));
}

// state is the service worker's own view, in the popup's terms.
function state() {
  return inWorker(async () => {
    const service = await globalThis.example.ready;
    return {
    total: await service.getTotalUnreadCount(),
    rows: (await service.getConversationList(0, 100)).conversationList.map((c) => ({
      id: c.conversationId, name: c.name || c.conversationId.split('|')[2], text: c.lastMessage ? c.lastMessage.text : '', unread: c.unreadCount,
    })),
    };
  });
}

// untilShown waits until the popup shows what the service worker holds.
async function untilShown(page, what) {
  const deadline = Date.now() + 5000;
  let want, got;
  do {
    [want, got] = await Promise.all([state(), shown(page)]);
    if (JSON.stringify(want) === JSON.stringify(got)) return got;
    await new Promise((r) => setTimeout(r, 50));
  } while (Date.now() < deadline);
  assert.deepEqual(got, want, `${what}: the popup shows what the service worker holds`);
  return got;
}

const MANIFEST_CSP = "script-src 'self' 'wasm-unsafe-eval'; object-src 'self'";

// tryEval (in the service worker or the popup) tries eval from a task of the
// context's own — DevTools lets its own evaluations eval — and reports whether
// it was refused and which policies said so.
function tryEval() {
  return new Promise((resolve) => {
    const policies = [];
    (globalThis.document ?? globalThis).addEventListener('securitypolicyviolation', (e) => policies.push(e.originalPolicy));
    setTimeout(() => {
      let refused = false;
      try { (0, eval)('1'); } catch (e) { refused = e instanceof EvalError; }
      setTimeout(() => resolve({ refused, policies, scope: globalThis.constructor.name }), 100);
    }, 0);
  });
}

const msg = (peer, id, at, text, type = 1) => ({
  conversationId: `${ACCOUNT}|${type}|${peer}`, messageClientId: id, senderId: peer, createTime: T + at, messageType: 0, text,
});

test('the example is a Manifest V3 extension: module service worker, the CSP of the issue, no inline script, no eval', () => {
  const manifest = JSON.parse(readFileSync(path.join(extDir, 'manifest.json'), 'utf8'));
  assert.equal(manifest.manifest_version, 3);
  assert.deepEqual(manifest.background, { service_worker: 'background.js', type: 'module' });
  assert.equal(manifest.content_security_policy.extension_pages, "script-src 'self' 'wasm-unsafe-eval'; object-src 'self'");
  const html = readFileSync(path.join(extDir, 'popup.html'), 'utf8');
  assert.doesNotMatch(html, /<script(?![^>]*\bsrc=)[^>]*>/i, 'no inline script');
  assert.doesNotMatch(html, /\son[a-z]+\s*=/i, 'no inline event handler');
  // The service worker imports the wrapper statically; neither it nor the
  // wrapper uses dynamic import(), top-level await or eval.
  const sources = ['background.js', 'popup.js', 'shared.js'].map((f) => [f, path.join(extDir, f)])
    .concat(readdirSync(path.join(root, 'js')).filter((f) => f.endsWith('.js')).map((f) => [`js/${f}`, path.join(root, 'js', f)]));
  for (const [name, file] of sources) {
    const src = readFileSync(file, 'utf8').replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, ''); // code, not comments
    assert.doesNotMatch(src, /\bimport\s*\(/, `${name}: no dynamic import()`);
    assert.doesNotMatch(src, /^await\s/m, `${name}: no top-level await`);
    assert.doesNotMatch(src, /\beval\(|new Function\(/, `${name}: no eval`);
  }
  assert.match(readFileSync(path.join(extDir, 'background.js'), 'utf8'), /^import \{[^}]*LocalConversationService[^}]*\} from '\.\/localconv\/localconv\.js';$/m);
});

test('the service worker runs the module under the CSP, applies messages; the popup shows the list and the total and stays in step', { timeout: 60_000 }, async (t) => {
  // The manifest's CSP is in force where the module runs (beside Chrome's own
  // MV3 minimum): eval is refused, yet the wasm compiled and the service is open.
  const sw = await env.worker.evaluate(tryEval);
  assert.equal(sw.scope, 'ServiceWorkerGlobalScope');
  assert.equal(sw.refused, true, 'eval is refused in the service worker');
  assert.ok(sw.policies.includes(MANIFEST_CSP), `the manifest's policy is enforced: ${JSON.stringify(sw.policies)}`);
  assert.equal(await env.worker.evaluate(async () => typeof (await globalThis.example.ready).getTotalUnreadCount), 'function');

  const r = await inWorker(async (messages) => (await globalThis.example.ready).applyMessages(messages), [
    msg('ada', 'a1', 1, 'Morning!'), msg('ada', 'a2', 2, 'PR is up'), msg('grace', 'g1', 3, 'Lunch?'),
    msg('design', 'd1', 4, 'Standup in 5', 2),
  ]);
  assert.deepEqual(r, { applied: 4, duplicates: 0 });

  const popup = await openPopup(t);
  const inPopup = await popup.evaluate(tryEval);
  assert.equal(inPopup.refused, true, 'eval is refused in the popup');
  assert.ok(inPopup.policies.includes(MANIFEST_CSP), `the manifest's policy is enforced: ${JSON.stringify(inPopup.policies)}`);
  await popup.evaluate(() => { globalThis.__csp.length = 0; }); // the violations just caused on purpose
  const first = await untilShown(popup, 'on opening');
  assert.deepEqual(first, {
    total: 4,
    rows: [
      { id: `${ACCOUNT}|2|design`, name: 'design', text: 'Standup in 5', unread: 1 },
      { id: `${ACCOUNT}|1|grace`, name: 'grace', text: 'Lunch?', unread: 1 },
      { id: `${ACCOUNT}|1|ada`, name: 'ada', text: 'PR is up', unread: 2 },
    ],
  });

  // The service worker applies more: the popup follows, without reloading.
  await inWorker(async (messages) => (await globalThis.example.ready).applyMessages(messages), [msg('linus', 'l1', 5, 'Shipping it.'), msg('ada', 'a3', 6, 'ok')]);
  await popup.waitForFunction(() => document.getElementById('total').value === '6');
  const second = await untilShown(popup, 'after the service worker applied more');
  assert.deepEqual(second.rows.map((x) => x.id), [`${ACCOUNT}|1|ada`, `${ACCOUNT}|1|linus`, `${ACCOUNT}|2|design`, `${ACCOUNT}|1|grace`]);
  await inWorker(async (id) => (await globalThis.example.ready).updateConversationInfo(id, { name: 'Design Team' }), `${ACCOUNT}|2|design`);
  await popup.waitForFunction((id) => document.querySelector(`li[data-id="${id}"] .name`)?.textContent === 'Design Team', `${ACCOUNT}|2|design`);

  // A change made in the popup (opening a conversation marks it read) reaches the service worker.
  await popup.click(`li[data-id="${ACCOUNT}|1|ada"]`);
  await popup.waitForFunction(() => document.getElementById('total').value === '3');
  const read = await untilShown(popup, 'after the popup marked ada read');
  assert.equal(read.total, 3);
  assert.equal(read.rows.find((x) => x.id === `${ACCOUNT}|1|ada`).unread, 0);

  // The popup asks the service worker for incoming messages (chrome.runtime messaging).
  await popup.click('#receive');
  await popup.waitForFunction(() => document.getElementById('total').value === '6');
  const received = await untilShown(popup, 'after the popup asked for 3 messages');
  assert.equal(received.total, 6);
  assert.deepEqual(env.errors, []);
});

test('stopped and started again, the service worker has its data; a new popup shows it', { timeout: 60_000 }, async (t) => {
  const before = await state();
  assert.ok(before.total > 0 && before.rows.length >= 4, 'the previous test left data');
  const instance = await env.worker.evaluate(() => { globalThis.marker = 'the first instance'; return performance.timeOrigin; });

  // Stop every service worker (DevTools' "stop" does the same), through a page's CDP session.
  const popup = await openPopup(t);
  const cdp = await env.context.newCDPSession(popup);
  const statuses = [];
  cdp.on('ServiceWorker.workerVersionUpdated', ({ versions }) => {
    for (const v of versions) if (v.scriptURL.endsWith('/background.js')) statuses.push(v.runningStatus);
  });
  await cdp.send('ServiceWorker.enable');
  await cdp.send('ServiceWorker.stopAllWorkers');
  const browserCdp = await env.context.browser().newBrowserCDPSession();
  const swTargets = async () => (await browserCdp.send('Target.getTargets')).targetInfos
    .filter((x) => x.type === 'service_worker' && x.url.endsWith('/background.js')).length;
  for (let i = 0; i < 100 && (statuses.at(-1) !== 'stopped' || await swTargets()); i++) await new Promise((r) => setTimeout(r, 50));
  assert.equal(statuses.at(-1), 'stopped', `the service worker stopped (${statuses.join(' → ')})`);
  assert.equal(await swTargets(), 0, 'no service worker target left');

  // The popup still shows the list: it reads the database through a service of its own.
  assert.deepEqual(await shown(popup), before);

  // A message from the popup wakes the service worker; it reopens the store.
  const woke = await popup.evaluate(() => chrome.runtime.sendMessage({ type: 'ping' }));
  assert.deepEqual(woke, { total: before.total }, 'the restarted service worker answered with the kept total');
  const again = await env.worker.evaluate(() => ({ marker: globalThis.marker ?? null, origin: performance.timeOrigin }));
  assert.equal(again.marker, null, 'a new instance of the service worker');
  assert.notEqual(again.origin, instance);
  assert.deepEqual(await state(), before, 'the restarted service worker has every conversation, count and last message');

  // It goes on applying, and a popup opened now shows the kept list and the new message.
  await inWorker(async (m) => (await globalThis.example.ready).applyMessages([m]), msg('zoe', 'z1', 7, 'Hello again'));
  const fresh = await openPopup(t);
  const now = await untilShown(fresh, 'a popup opened after the restart');
  assert.equal(now.total, before.total + 1);
  const zoe = `${ACCOUNT}|1|zoe`; // a peer the simulated messages never use
  assert.deepEqual(now.rows.find((x) => x.id === zoe), { id: zoe, name: 'zoe', text: 'Hello again', unread: 1 });
  assert.deepEqual(now.rows.filter((x) => x.id !== zoe), before.rows, 'every kept conversation as it was');
  await untilShown(popup, 'the popup that was open across the restart');
  assert.deepEqual(env.errors, []);
});
