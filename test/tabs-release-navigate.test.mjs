// A tab navigated away from while its call runs, with the module in the page
// or in the page's own worker: the call dies with the page, and the other tab
// stays exact (docs/design.md, "A tab that goes away mid-call"). Its own file
// for WebKit's back/forward cache, which kept such a page's transaction open
// and so blocked the other tabs until the page lets go of it at pagehide
// (js/bfcache.js); tabs-release.test.mjs has the other ways a tab goes away.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useBrowser, ENGINE, uniqueName } from './harness.mjs';
import { leaveMidCall, bigCall, assertExact, view } from './release.mjs';
import { T, msg, newTabContext, openTab, installTabKit } from './tabs.mjs';

// Playwright turns Chromium's back/forward cache off; on here, so that
// Chromium may keep the page too.
const env = useBrowser({ ignoreDefaultArgs: ['--disable-back-forward-cache'] });

for (const placement of ['page', 'worker']) {
  test(`${placement}: a tab navigated away 30 ms into its applyMessages of 10,000 leaves the other tab exact`, { timeout: 240_000 }, async (t) => {
    await leaveMidCall(env, t, placement, 'navigated away', (a) => a.page.goto(env.base + '/test/pages/blank.html?elsewhere'));
  });
}

// In every placement, a tab that comes back from the cache finds its call
// settled and its service working. (In 'sharedWorker' the call runs on in the
// worker while the page is away: tabs-release.test.mjs.)
for (const placement of ['page', 'worker', 'sharedWorker']) {
  test(`${placement}: a tab that comes back from the back/forward cache has its call settled and its service working`, { timeout: 240_000 }, async (t) => {
    const acc = uniqueName('bfcache');
    const context = await newTabContext(env, t);
    const options = { accountId: acc, placement };
    const a = await openTab(env, t, context, 0, options, { allowErrors: true });
    const b = await openTab(env, t, context, 1, options);
    await b.ok('applyMessages', [msg(b.p2p('x'), 'x1', 'x', T - 1)]);
    await a.eval((m) => {
      globalThis.big = m;
      globalThis.restored = false;
      addEventListener('pageshow', (e) => { if (e.persisted) globalThis.restored = true; });
      globalThis.outcome = null;
      globalThis.tabkit.svc.applyMessages(m).then(
        () => { globalThis.outcome = { applied: true }; },
        (e) => { globalThis.outcome = { code: e.code, message: String(e.message) }; });
    }, bigCall(acc));
    await new Promise((r) => setTimeout(r, 30));
    await a.page.goto(env.base + '/test/pages/blank.html?elsewhere');
    // B is exact, and can write, while A is away (in the cache, where the engine keeps it).
    await assertExact(b, acc, 'while A is away');
    await b.ok('applyMessages', [msg(b.p2p('x'), 'x2', 'x', T)]);

    await back(a);
    const restored = await a.eval(() => globalThis.restored === true);
    t.diagnostic(`the page ${restored ? 'came back from the back/forward cache' : 'was loaded anew (not kept in the cache)'}`);
    // WebKit keeps the page: the case this test is for. (Chromium's and
    // Firefox's own checks may not keep it here; then the page is new.)
    if (ENGINE === 'webkit') assert.ok(restored, 'WebKit kept the page in its back/forward cache');
    if (!restored) {
      if (!(await a.eval(() => !!globalThis.tabkit))) await a.eval(installTabKit); // WebDriver has no init scripts
      await a.open(options);
      await a.ok('applyMessages', [msg(a.p2p('y'), 'y1', 'y', T + 1)]);
      await agrees(a, 'a page loaded anew');
      await assertExact(b, acc, 'after A was loaded anew and wrote');
      return;
    }

    // The call A had running is settled within a minute: rejected with
    // 190001, its transaction aborted at pagehide, or applied whole.
    const outcome = await a.eval(() => new Promise((resolve) => {
      const until = Date.now() + 60_000;
      (function check() {
        if (globalThis.outcome || Date.now() > until) resolve(globalThis.outcome);
        else setTimeout(check, 100);
      })();
    }));
    assert.ok(outcome, 'the call A made before it went away is still pending a minute after it came back');
    t.diagnostic(`A's call: ${JSON.stringify(outcome)}`);
    if (!outcome.applied) {
      assert.equal(outcome.code, 190001, `the call rejects with 190001: ${JSON.stringify(outcome)}`);
      assert.ok(outcome.message.length > 0);
    }
    const applied = await assertExact(b, acc, 'after A came back');
    // A worker given up (stopped at pagehide, or a SharedWorker whose
    // services are reopened) says the call may or may not have been stored:
    // true either way. Any other answer is the database's.
    if (!/may or may not have been stored/.test(outcome.message ?? '')) {
      assert.equal(applied, outcome.applied === true, 'the database holds the call exactly when A was told it was applied');
    }

    // A's service works: a call of its own, within a minute, seen by B, and
    // A's list agrees with the database.
    const mine = await a.eval((m) => Promise.race([
      globalThis.tabkit.svc.applyMessages(m).then(() => ({ applied: true }), (e) => ({ code: e.code, message: String(e.message) })),
      new Promise((r) => setTimeout(() => r({ hang: true }), 60_000)),
    ]), [msg(a.p2p('y'), 'y1', 'y', T + 1)]);
    assert.deepEqual(mine, { applied: true }, "A's service takes a call after it came back");
    await agrees(a, 'A after it came back and wrote');
    const bView = await view(b);
    assert.ok(bView.list.some((c) => c.conversationId === a.p2p('y')), "B heard of A's call");
    await assertExact(b, acc, 'after A came back and wrote');
  });
}

// back goes back in tab a's history to the page it left, and waits until
// that page answers (Playwright's evaluate throws while it navigates).
async function back(a) {
  await a.eval(() => { setTimeout(() => history.back(), 0); });
  for (const until = Date.now() + 30_000; ;) {
    let here = false;
    try {
      here = await a.eval(() => !location.search.includes('elsewhere') && document.readyState === 'complete' && !!globalThis.localconv);
    } catch (e) {
      if (Date.now() > until) throw e;
    }
    if (here) return;
    assert.ok(Date.now() < until, 'the tab did not go back');
    await new Promise((r) => setTimeout(r, 100));
  }
}

// agrees waits, for a minute at most, until the tab's list and counts are
// those of a fresh load of the database.
async function agrees(tab, what) {
  let mine, fresh;
  for (const until = Date.now() + 60_000; ;) {
    [mine, fresh] = [await view(tab), await view(tab, true)];
    if (JSON.stringify(mine) === JSON.stringify(fresh) || Date.now() > until) break;
    await new Promise((r) => setTimeout(r, 500));
  }
  assert.deepEqual(mine, fresh, `${what}: the tab differs from a fresh load of the database`);
}
