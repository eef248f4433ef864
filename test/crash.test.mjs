// Crashed tabs, in the SharedWorker placement: a renderer crashed with
// Chromium's DevTools protocol (Page.crash), so this file runs in Chromium
// only (test/harness.mjs, CHROMIUM_ONLY).
//
// A tab that crashes has its service closed in the worker, and the others go
// on. The SharedWorker itself lives in the process of the tab that started
// it: when that tab crashes, the worker dies with it; the other tabs' calls
// in flight reject with 190001, their services hear syncFailed, and later
// calls work on a new worker.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useBrowser, uniqueName } from './harness.mjs';
import { openService, msg } from './client.mjs';

const env = useBrowser();
const T = (Math.floor(Date.now() / 86_400_000) + 1) * 86_400_000;

// stats asks the SharedWorker the page reaches for worker.js's debug stats.
const stats = (page) => page.evaluate(() => new Promise((resolve) => {
  const worker = new SharedWorker(new URL('/js/worker.js', location.href), { type: 'module', name: 'localconv' });
  worker.port.onmessage = ({ data }) => { if (data.id !== 1) return; worker.port.close(); resolve(data.value); }; // not {alive}
  worker.port.postMessage({ id: 1, op: 'stats' });
}));

async function crash(context, page) {
  const cdp = await context.newCDPSession(page);
  const dead = new Promise((resolve) => page.once('crash', resolve));
  cdp.send('Page.crash').catch(() => {}); // answered by the crash itself
  await dead;
}

test('sharedWorker: a tab that crashes leaves no service behind in the worker; the others go on', async (t) => {
  const context = await env.context(t);
  const pages = [];
  for (let i = 0; i < 3; i++) pages.push(await env.page(t, context));
  const acc = uniqueName('crashed');
  const clients = [];
  for (const page of pages) clients.push(await openService(page, { accountId: acc, placement: 'sharedWorker' }));
  assert.equal((await stats(pages[0])).services, 3);
  await crash(context, pages[2]);
  let st;
  for (let i = 0; i < 50 && st?.services !== 2; i++) {
    if (st) await new Promise((r) => setTimeout(r, 100));
    st = await stats(pages[0]);
  }
  assert.deepEqual([st.instances, st.services], [1, 2], 'after a tab crashed');
  const x = `${acc}|1|x`;
  await clients[0].ok('applyMessages', [msg(x, 'm1', 'x', T)]);
  assert.equal(await clients[1].value('getTotalUnreadCount'), 1);
});

test('sharedWorker: the tab hosting the worker crashes; the other tab\'s calls reject, syncFailed comes, later calls work', async (t) => {
  const context = await env.context(t);
  const host = await env.page(t, context);
  const other = await env.page(t, context);
  const acc = uniqueName('host');
  await openService(host, { accountId: acc, placement: 'sharedWorker' });
  const b = await openService(other, { accountId: acc, placement: 'sharedWorker' });
  await b.ok('applyMessages', [msg(b.p2p('x'), 'm1', 'x', T + 1)]);
  await b.ok('subscribeUnreadCountByFilter', { conversationTypes: [1] });

  // Calls in flight when the worker dies: a steady stream of them.
  await other.evaluate(() => {
    const svc = globalThis.kit.services.svc;
    globalThis.inFlight = [];
    globalThis.failed = [];
    svc.addEventListener('syncFailed', (e) => globalThis.failed.push({ code: e.detail.code, message: e.detail.message }));
    let i = 0;
    globalThis.pump = setInterval(() => {
      for (let k = 0; k < 20; k++) {
        const p = (i++ % 2 ? svc.getTotalUnreadCount() : svc.getConversationList(0, 10)).then(
          () => ({ ok: true }), (e) => ({ code: e.code, message: e.message }));
        globalThis.inFlight.push(p);
      }
    }, 5);
  });
  await new Promise((r) => setTimeout(r, 300));
  await crash(context, host);
  await new Promise((r) => setTimeout(r, 300));

  const settled = await other.evaluate(async () => {
    clearInterval(globalThis.pump);
    const all = globalThis.inFlight;
    const timeout = new Promise((r) => setTimeout(() => r('hung'), 10_000));
    const out = await Promise.race([Promise.all(all), timeout]);
    return out === 'hung' ? { hung: true, n: all.length } : { results: out };
  });
  assert.ok(!settled.hung, `calls in flight stayed pending (${settled.n} made)`);
  const rejected = settled.results.filter((r) => !r.ok);
  for (const r of rejected) {
    assert.equal(r.code, 190001, r.message);
    assert.match(r.message, /worker stopped/);
  }
  const failed = await other.evaluate(() => globalThis.failed);
  assert.ok(failed.length >= 1, 'syncFailed reached the other tab');
  assert.equal(failed[0].code, 190001);
  assert.match(failed[0].message, /worker stopped/);

  // Later calls work, on a new worker that loaded what was stored, with the
  // filter subscription replayed.
  const later = await b.call('getTotalUnreadCount');
  assert.deepEqual([later.error, later.value], [undefined, 1], 'a later query');
  const applied = await b.ok('applyMessages', [msg(b.p2p('y'), 'm2', 'y', T + 2)]);
  assert.deepEqual(applied.value, { applied: 1, duplicates: 0 });
  assert.deepEqual(applied.events.map((e) => e.type), ['conversationCreated', 'totalUnreadCountChanged', 'unreadCountChangedByFilter'],
    'the subscribed filter came along to the new worker');
  // A new tab reaches the same new worker and sees it.
  const fresh = await env.page(t, context);
  const c = await openService(fresh, { accountId: acc, placement: 'sharedWorker' });
  assert.equal(await c.value('getTotalUnreadCount'), 2);
});
