// The package as an app gets it: packed (npm pack, its prepack check included),
// installed from the tarball into examples/vite, examples/webpack and
// examples/esbuild with `npm ci`, built for production, served as static files
// and run in headless Chromium in each placement — open, apply a message, list,
// events, a reload — with no console error. Also: what the tarball holds, and
// what open() says in Node.
//
// Run by `make test-bundlers`, once, in one browser; test/drivers/run.mjs
// (make test-js) leaves it out.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createServer } from 'node:http';
import { existsSync, readFileSync, renameSync, mkdirSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { root, launch, uniqueName } from './harness.mjs';

const run = promisify(execFile);
const js = path.join(root, 'js');
const examples = path.join(root, 'examples');
const PLACEMENTS = ['page', 'worker', 'sharedWorker'];
const timings = {};

async function sh(cmd, args, cwd) {
  try {
    return await run(cmd, args, { cwd, maxBuffer: 64 << 20, env: { ...process.env, npm_config_update_notifier: 'false' } });
  } catch (e) {
    throw new Error(`${cmd} ${args.join(' ')} (in ${path.relative(root, cwd) || '.'}) failed:\n${e.stdout}\n${e.stderr}`);
  }
}

async function timed(name, fn) {
  const start = Date.now();
  try {
    return await fn();
  } finally {
    timings[name] = ((Date.now() - start) / 1000).toFixed(1) + ' s';
  }
}

// serve answers GET for the files under dir, .wasm as application/wasm, and
// 404 for anything else (no fallback page: a missing file must show).
function serve(dir, headers = {}) {
  const types = { '.html': 'text/html', '.js': 'text/javascript', '.mjs': 'text/javascript', '.wasm': 'application/wasm', '.css': 'text/css', '.json': 'application/json' };
  const server = createServer(async (req, res) => {
    const p = path.join(dir, path.normalize(decodeURIComponent(new URL(req.url, 'http://x').pathname)).replace(/^(\.\.[/\\])+/, ''));
    const file = existsSync(p) && statSync(p).isDirectory() ? path.join(p, 'index.html') : p;
    try {
      const body = await readFile(file);
      res.writeHead(200, { 'content-type': types[path.extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-cache', ...headers });
      res.end(body);
    } catch {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('not found');
    }
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ url: `http://127.0.0.1:${server.address().port}`, close: () => server.close() })));
}

let browser;
before(async () => {
  // The tarball the examples' package.json names (file:../pack/localconv.tgz).
  await timed('npm pack', async () => {
    mkdirSync(path.join(examples, 'pack'), { recursive: true });
    const { stdout } = await sh('npm', ['pack', '--json', '--pack-destination', path.join(examples, 'pack')], js);
    const [{ filename }] = JSON.parse(stdout);
    renameSync(path.join(examples, 'pack', filename), path.join(examples, 'pack', 'localconv.tgz'));
  });
  browser = await launch();
});
after(async () => {
  await browser?.close();
  console.log('bundler timings:', JSON.stringify(timings));
});

// freshPage is a page in a context of its own (own storage), collecting what
// it reports as errors.
async function freshPage() {
  const context = await browser.newContext();
  const errors = [];
  const page = await context.newPage();
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  return { context, page, errors };
}

// exercise runs the example app served at base in every placement, each in a
// fresh context (own storage): receive a message, see its events, list it,
// reload and list it again.
async function exercise(base) {
  for (const placement of PLACEMENTS) {
    const { context, page, errors } = await freshPage();
    const ready = async () => {
      await page.waitForSelector('body[data-state]', { timeout: 30_000 });
      const state = await page.evaluate(() => document.body.dataset.state);
      assert.equal(state, 'ready', `${placement}: the app did not open: ${await page.textContent('#status')} ${errors.join('; ')}`);
    };
    try {
      const account = uniqueName('bundled');
      await page.goto(`${base}/?placement=${placement}&account=${account}`);
      await ready();
      const first = await page.evaluate(async () => {
        const applied = await window.app.receive('hello');
        return { applied, events: [...window.app.events], list: await window.app.list() };
      });
      assert.deepEqual(first.applied, { applied: 1, duplicates: 0 }, placement);
      assert.ok(first.events.includes('conversationCreated') && first.events.includes('totalUnreadCountChanged'), `${placement}: events ${first.events}`);
      assert.deepEqual(first.list.map((c) => [c.conversationId, c.lastMessage.text, c.unreadCount]), [[`${account}|1|bob`, 'hello', 1]], placement);
      if (placement !== 'page') {
        const workers = page.workers().map((w) => w.url());
        if (placement === 'worker') assert.equal(workers.length, 1, `${placement}: a dedicated worker runs the module`);
      }
      await page.reload();
      await ready();
      const again = await page.evaluate(() => window.app.list());
      assert.deepEqual(again.map((c) => [c.conversationId, c.lastMessage.text, c.unreadCount]), [[`${account}|1|bob`, 'hello', 1]], `${placement}: after a reload`);
      assert.deepEqual(errors, [], `${placement}: console errors`);
    } finally {
      await context.close();
    }
  }
}

// bundled installs the example (npm ci from its lockfile: the tarball just
// packed plus the bundler), builds it and returns the folder to serve.
async function bundled(name, served) {
  const dir = path.join(examples, name);
  await timed(`${name}: npm ci`, () => sh('npm', ['ci', '--prefer-offline', '--no-audit', '--no-fund'], dir));
  await timed(`${name}: build`, () => sh('npm', ['run', 'build'], dir));
  return path.join(dir, served);
}

for (const [name, served] of [['vite', 'dist'], ['webpack', '.'], ['esbuild', '.']]) {
  test(`${name}: a production build of an app that installed the package opens every placement, applies, lists, hears events and survives a reload`, { timeout: 240_000 }, async () => {
    const server = await serve(await bundled(name, served));
    try {
      await timed(`${name}: browser`, () => exercise(server.url));
    } finally {
      server.close();
    }
  });
}

// examples/nim: a NIM app (nim-web-sdk-ng, attachToNIM, NetEase's UIKit store,
// a list view) built for production. It cannot log in without the network;
// it must build, start, and show what the SDK's events bring. Served with a
// CSP that refuses every request off the origin: the SDK and the UIKit
// report statistics to NetEase's servers.
const OFFLINE_NOISE = /Content Security Policy|statistic\.live\.126\.net|yunxinfw\.com|illegal state|Can not sendCmd|@xkit-yx|\[NIM /;
test('nim: a production build of a NIM app on attachToNIM starts in every placement and lists what the SDK delivers', { timeout: 240_000 }, async () => {
  const server = await serve(await bundled('nim', 'dist'), {
    'content-security-policy': "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self' 'unsafe-inline'; connect-src 'self'; img-src 'self' data:",
  });
  try {
    await timed('nim: browser', async () => {
      for (const placement of PLACEMENTS) {
        const { context, page, errors } = await freshPage();
        try {
          const account = uniqueName('nimapp');
          await page.goto(`${server.url}/?appkey=localconv-test&placement=${placement}`);
          await page.waitForSelector('body[data-state="ready"]', { timeout: 30_000 });
          // The SDK's own events of a login and a message, emitted on its services.
          await page.evaluate((a) => {
            const { nim } = window.app;
            const ls = nim.V2NIMLoginService;
            ls.account = a;
            ls.emit('onLoginStatus', 1);
            ls.emit('onDataSync', 1, 2);
            const m = Object.assign(nim.V2NIMMessageCreator.createTextMessage('hello from bob'), {
              conversationId: `${a}|1|bob`, conversationType: 1, messageClientId: 'c1', messageServerId: '1',
              senderId: 'bob', receiverId: a, isSelf: false, createTime: Date.now(), messageStatus: { errorCode: 200 },
            });
            nim.V2NIMMessageService.emit('onReceiveMessages', [m]);
            ls.emit('onDataSync', 1, 3);
          }, account);
          await page.waitForSelector(`li[data-id="${account}|1|bob"] .badge`, { timeout: 30_000 });
          assert.equal(await page.textContent(`li[data-id="${account}|1|bob"] .last`), 'hello from bob', placement);
          assert.equal(await page.textContent('#total'), '1', placement);
          const offOrigin = errors.filter((e) => !OFFLINE_NOISE.test(e));
          assert.deepEqual(offOrigin, [], `${placement}: console errors`);
        } finally {
          await context.close();
        }
      }
    });
  } finally {
    server.close();
  }
});

test('the tarball holds the module, the worker, the loader, the declarations, README and licences, and every export target', async () => {
  const pkg = JSON.parse(readFileSync(path.join(js, 'package.json'), 'utf8'));
  const { stdout } = await sh('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], js);
  const packed = new Set(JSON.parse(stdout)[0].files.map((f) => f.path));
  const required = ['package.json', 'README.md', 'LICENSE', 'LICENSE-wasm_exec', 'localconv.js', 'localconv.wasm', 'wasm_exec.js', 'worker.js', 'localconv.d.ts', ...pkg.files];
  const targets = [];
  const walk = (v) => (typeof v === 'string' ? targets.push(v.replace(/^\.\//, '')) : Object.values(v).forEach(walk));
  walk(pkg.exports);
  for (const f of [...required, ...targets]) assert.ok(packed.has(f), `npm pack leaves out ${f}`);
  assert.ok(pkg.exports['./package.json'], 'exports lists ./package.json');
  assert.equal(pkg.license, 'MIT');
  assert.match(readFileSync(path.join(js, 'LICENSE'), 'utf8'), /^MIT License/);
  assert.match(readFileSync(path.join(js, 'LICENSE-wasm_exec'), 'utf8'), /The Go Authors/);
  for (const field of ['repository', 'homepage', 'bugs']) assert.ok(pkg[field], `package.json has ${field}`);
});

test('npm pack refuses a package without its built files', async () => {
  const { stderr } = await run('node', [path.join(js, 'scripts', 'check-pack.mjs'), '--files', 'localconv.js,missing.wasm'], { cwd: js }).then(
    () => assert.fail('the check passed'),
    (e) => e,
  );
  assert.match(stderr, /missing\.wasm/);
  assert.match(stderr, /make build/);
});

test('in Node, open() says it needs a browser', async () => {
  const { LocalConversationService, LocalConvError } = await import(path.join(js, 'localconv.js'));
  for (const placement of PLACEMENTS) {
    const e = await LocalConversationService.open({ accountId: 'me', placement }).then(() => assert.fail('opened in Node'), (e) => e);
    assert.ok(e instanceof LocalConvError, `${placement}: ${e}`);
    if (placement === 'sharedWorker') assert.equal(e.code, 191004, 'refused before anything starts');
    else assert.match(e.message, /needs a browser/, placement);
  }
});
