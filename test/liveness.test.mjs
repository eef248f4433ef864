// No call stays pending forever, nothing grows per call, and a loop of
// awaited calls lets the page's other tasks run.
//
// The SharedWorker lives in the process of the tab that started it: when that
// tab's renderer crashes (Chromium's DevTools protocol, Page.crash: this one
// test is Chromium-only), the worker dies with it. The other tabs' calls in
// flight must reject with 190001, their services hear syncFailed, and later
// calls work on a new worker.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useBrowser, uniqueName } from './harness.mjs';
import { openService, msg } from './client.mjs';

const env = useBrowser();
const T = (Math.floor(Date.now() / 86_400_000) + 1) * 86_400_000;

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
  const cdp = await context.newCDPSession(host);
  const dead = new Promise((resolve) => host.once('crash', resolve));
  cdp.send('Page.crash').catch(() => {}); // answered by the crash itself
  await dead;
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

test('worker: 100,000 calls leave the wrapper\'s bookkeeping as it was', async (t) => {
  const page = await env.page(t);
  const acc = uniqueName('many');
  const out = await page.evaluate(async (acc) => {
    const { remoteStats } = await import('/js/remote.js');
    const svc = await globalThis.localconv.LocalConversationService.open({ accountId: acc, placement: 'worker', storage: 'memory' });
    await svc.applyMessages([{ conversationId: `${acc}|1|x`, messageClientId: 'm1', senderId: 'x', createTime: 1, messageType: 0 }]);
    const start = remoteStats();
    let peak = 0;
    let errors = 0;
    for (let round = 0; round < 100; round++) {
      const calls = [];
      for (let i = 0; i < 1000; i++) {
        // Successes and failures both: a rejected call must be let go too.
        calls.push(i % 10 === 9 ? svc.getConversation('nope').catch(() => errors++) : svc.getTotalUnreadCount());
      }
      // The calls reach the bridge a few microtasks later (the module is
      // entered from a microtask), and are answered a task later at least.
      for (let k = 0; k < 10; k++) await null;
      peak = Math.max(peak, remoteStats().pending);
      await Promise.all(calls);
    }
    const end = remoteStats();
    await svc.close();
    return { start, end, peak, errors, closed: remoteStats() };
  }, acc);
  assert.equal(out.errors, 10_000, 'the failing calls failed');
  assert.ok(out.peak >= 1000, `calls were in flight together (${out.peak})`);
  assert.deepEqual(out.end, out.start, 'after 100,000 calls');
  assert.equal(out.start.pending, 0);
  assert.deepEqual([out.closed.pending, out.closed.streams, out.closed.services], [0, 0, 0], 'after close()');
});

// timerDuring runs n awaited calls in the page and reports whether a timer
// set before the loop ran before the loop ended.
function timerDuring(page, acc, storage, method, n) {
  return page.evaluate(async ([acc, storage, method, n]) => {
    const svc = await globalThis.localconv.LocalConversationService.open({ accountId: acc, storage });
    const id = `${acc}|1|x`;
    let fired = false;
    setTimeout(() => { fired = true; }, 0);
    const start = performance.now();
    let firedAt = -1;
    for (let i = 0; i < n; i++) {
      if (method === 'applyMessages') {
        await svc.applyMessages([{ conversationId: id, messageClientId: `m${i}`, senderId: 'x', createTime: 1 + i, messageType: 0 }]);
      } else {
        await svc.getTotalUnreadCount();
      }
      if (fired && firedAt < 0) firedAt = i;
    }
    const ms = performance.now() - start;
    await svc.close();
    return { fired, firedAt, ms };
  }, [acc, storage, method, n]);
}

test('a loop of 3,000 awaited applyMessages in memory storage lets a timer run', async (t) => {
  const page = await env.page(t);
  const r = await timerDuring(page, uniqueName('breathe'), 'memory', 'applyMessages', 3000);
  assert.ok(r.firedAt >= 0 && r.firedAt < 3000, `the timer ran during the ${Math.round(r.ms)} ms loop (at call ${r.firedAt})`);
});

test('a loop of 20,000 awaited queries lets a timer run', async (t) => {
  const page = await env.page(t);
  const r = await timerDuring(page, uniqueName('breathe'), undefined, 'getTotalUnreadCount', 20000);
  assert.ok(r.firedAt >= 0 && r.firedAt < 20000, `the timer ran during the ${Math.round(r.ms)} ms loop (at call ${r.firedAt})`);
});
