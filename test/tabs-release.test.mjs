// A tab that goes away — closed, reloaded, navigated — or a service closed,
// while a call of its own is queued or running, in every placement. The call
// is applied whole, and then every other tab's list, counts and events agree
// with the database; or it is not applied at all, and no tab hears of it
// (docs/design.md, "Several tabs and placements"). In 'sharedWorker' the call
// runs on in the worker after its tab is gone (worker.js release() closes the
// tab's services behind it); in 'page' and 'worker' it dies with its tab.
// A crashed tab: test/tabs-crash.test.mjs; a worker that dies mid-call:
// test/tabs-release-crash.test.mjs (both Chromium only).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useBrowser, uniqueName } from './harness.mjs';
import { T, newTabContext, openTab, msg } from './tabs.mjs';
import { BIG, PER, bigCall, assertExact, leaveMidCall } from './release.mjs';

const env = useBrowser();
const PLACEMENTS = ['page', 'worker', 'sharedWorker'];

// How tab A goes away while its call runs, by the word the tests use.
const LEAVE = {
  closed: (a) => a.page.close(),
  reloaded: (a) => a.page.reload(),
  'navigated away': (a) => a.page.goto(env.base + '/test/pages/blank.html?elsewhere'),
};

for (const placement of PLACEMENTS) {
  for (const [how, leave] of Object.entries(LEAVE)) {
    // A page navigated away from, module in the page or its worker: in
    // tabs-release-navigate.test.mjs, with the way back into a page kept in
    // the back/forward cache.
    if (how === 'navigated away' && placement !== 'sharedWorker') continue;
    // Bounded (a failure, not a hang): a tab whose transaction outlives it
    // blocks every other tab's writes.
    test(`${placement}: a tab ${how} 30 ms into its applyMessages of 10,000 leaves the other tab exact`, { timeout: 240_000 }, async (t) => {
      await leaveMidCall(env, t, placement, how, leave);
    });
  }
}

for (const placement of PLACEMENTS) {
  test(`${placement}: close() right after two calls: both are applied whole, in order, and the other tab hears exactly them`, async (t) => {
    const acc = uniqueName('closing');
    const context = await newTabContext(env, t);
    const options = { accountId: acc, placement };
    const a = await openTab(env, t, context, 0, options);
    const b = await openTab(env, t, context, 1, options);
    const out = await a.eval(async ([big, second]) => {
      const svc = globalThis.tabkit.svc;
      const calls = [svc.applyMessages(big), svc.applyMessages(second), svc.close()];
      const late = svc.getTotalUnreadCount();
      const settled = await Promise.allSettled([...calls, late]);
      return settled.map((s) => (s.status === 'fulfilled' ? { value: s.value ?? null } : { code: s.reason.code }));
    }, [bigCall(acc), [msg(`${acc}|1|y`, 'y1', 'y', T + BIG * PER)]]);
    assert.deepEqual(out, [
      { value: { applied: BIG * PER, duplicates: 0 } },
      { value: { applied: 1, duplicates: 0 } },
      { value: null },
      { code: 190002 },
    ], 'the calls before close() are applied, the one after it is refused');
    assert.equal(await assertExact(b, acc, 'after A closed'), true);
  });
}

// stats asks the SharedWorker (of worker.js, or of url) for worker.js's debug stats.
const stats = (tab, url = '/js/worker.js') => tab.eval((url) => new Promise((resolve) => {
  const worker = new SharedWorker(new URL(url, location.href), { type: 'module', name: 'localconv' });
  worker.port.onmessage = ({ data }) => { if (data.id !== 1) return; worker.port.close(); resolve(data.value); }; // not {alive}
  worker.port.postMessage({ id: 1, op: 'stats' });
}), url);

for (const [how, leave] of Object.entries(LEAVE)) {
  test(`sharedWorker: a tab ${how} while a second open() of its waits behind its call leaves no session behind`, async (t) => {
    const acc = uniqueName('opening');
    const context = await newTabContext(env, t);
    const options = { accountId: acc, placement: 'sharedWorker' };
    const b = await openTab(env, t, context, 1, options);
    const a = await openTab(env, t, context, 0, options, { allowErrors: true });
    assert.equal((await stats(b)).sessions, 2);
    // The worker takes A's messages in order: the call first, which holds the
    // hub until it committed, then the open, which attaches after it.
    await a.eval((m) => { globalThis.big = m; }, bigCall(acc));
    await a.eval((o) => {
      globalThis.tabkit.svc.applyMessages(globalThis.big).catch(() => {});
      setTimeout(() => globalThis.localconv.LocalConversationService.open(o).catch(() => {}), 0);
    }, options);
    await new Promise((r) => setTimeout(r, 30));
    await leave(a);
    assert.equal(await assertExact(b, acc, `after A was ${how}`), true);
    let st;
    for (const deadline = Date.now() + 5_000; Date.now() < deadline && st?.sessions !== 1;) {
      await new Promise((r) => setTimeout(r, 100));
      st = await stats(b);
    }
    assert.equal(st.sessions, 1, `only B's session is left in the worker: ${JSON.stringify(st)}`);
  });
}

// A worker the tabs give up for stopped while it lives: its Web Lock went
// (here: stolen) and it did not answer within 2 s (here: busy). Each tab's
// service moves to a "new" worker — the same one, once it answers again —
// and the services they moved away from are closed there: a service left
// behind would keep its filters and its conversation on screen, marking
// that conversation read in every tab.
test('sharedWorker: a worker given up for stopped while it lives closes the services the tabs moved away from', async (t) => {
  const acc = uniqueName('busy');
  const context = await newTabContext(env, t);
  const url = '/test/pages/busy-worker.js';
  const options = { accountId: acc, placement: 'sharedWorker', workerUrl: url };
  const b = await openTab(env, t, context, 1, options);
  const c = await openTab(env, t, context, 2, options);
  const x = b.p2p('x');
  await c.ok('applyMessages', [msg(x, 'x1', 'x', T)]);
  await b.ok('setCurrentConversation', x);
  assert.equal((await stats(b, url)).sessions, 2);
  const from = await b.logLength();
  await b.eval(async (url) => {
    const worker = new SharedWorker(new URL(url, location.href), { type: 'module', name: 'localconv' });
    worker.port.postMessage({ op: 'busy', ms: 4000 });
    await new Promise((r) => setTimeout(r, 300));
    const { held } = await navigator.locks.query();
    const alive = held.find((l) => l.name.startsWith('localconv-worker-'));
    await navigator.locks.request(alive.name, { steal: true }, () => {});
  }, url);
  const failed = await b.waitFor('syncFailed', from, 10_000);
  assert.match(failed?.detail.message ?? 'none', /worker stopped/);
  await b.ok('setCurrentConversation', null); // B looks at no conversation now
  // The worker closes the sessions the tabs moved away from once it took the
  // locks they let go: wait for that (B's new session and C's, no third),
  // not for a guess at how long it takes (500 ms failed once under load).
  let moved;
  for (const deadline = Date.now() + 10_000; Date.now() < deadline && moved?.sessions !== 2;) {
    await new Promise((r) => setTimeout(r, 100));
    moved = await stats(b, url);
  }
  assert.equal(moved.sessions, 2, `the sessions moved away from are closed: ${JSON.stringify(moved)}`);
  await c.ok('applyMessages', [msg(x, 'x2', 'x', T + 1)]);
  for (const tab of [b, c]) {
    const got = await tab.ok('getConversation', x);
    assert.equal(got.value.unreadCount, 1, `tab ${tab.index}: no conversation is on screen, x2 is unread`);
  }
  const st = await stats(b, url);
  assert.equal(st.sessions, 2, `B's and C's new sessions, no others: ${JSON.stringify(st)}`);
});
