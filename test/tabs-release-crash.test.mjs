// The SharedWorker dies while a tab's call runs in it: the tab that hosts it
// crashes (CDP Page.crash, so Chromium only: test/harness.mjs CHROMIUM_ONLY).
// The other tab's call in flight rejects with 190001 (it may or may not have
// been stored), its service hears syncFailed and reopens on a new worker that
// loads the database. The call is there whole or not at all, the tab agrees
// with the database, and, if the call is not there, it heard nothing of it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useBrowser, uniqueName } from './harness.mjs';
import { T, newTabContext, openTab, msg } from './tabs.mjs';
import { BIG, PER, bigCall, assertExact } from './release.mjs';

const env = useBrowser();

async function crash(context, page) {
  const cdp = await context.newCDPSession(page);
  const dead = new Promise((resolve) => page.once('crash', resolve));
  cdp.send('Page.crash').catch(() => {}); // answered by the crash itself
  await dead;
}

for (const delay of [30, 300]) {
  test(`sharedWorker: the worker dies ${delay} ms into a tab's applyMessages of 10,000; the tab reopens and is exact`, async (t) => {
    const acc = uniqueName('died');
    const context = await newTabContext(env, t);
    const options = { accountId: acc, placement: 'sharedWorker' };
    const host = await openTab(env, t, context, 0, options, { allowErrors: true });
    const b = await openTab(env, t, context, 1, options, { allowErrors: true });
    await b.eval((m) => { globalThis.big = m; }, bigCall(acc));
    await b.eval(() => {
      globalThis.outcome = globalThis.tabkit.call('applyMessages', [globalThis.big]);
    });
    await new Promise((r) => setTimeout(r, delay));
    await crash(context, host.page);
    await host.page.close();
    const r = await b.eval(() => globalThis.outcome);
    if (r.error) {
      assert.equal(r.error.code, 190001, r.error.message);
      assert.match(r.error.message, /worker stopped.*may or may not have been stored/);
    } else {
      assert.deepEqual(r.value, { applied: BIG * PER, duplicates: 0 });
    }
    // The next call runs on the new worker.
    await b.ok('applyMessages', [msg(b.p2p('x'), 'x1', 'x', T)]);
    const log = await b.log();
    const failed = log.findIndex((e) => e.type === 'syncFailed');
    assert.ok(failed >= 0, 'the tab heard syncFailed');
    assert.ok(log.slice(failed).some((e) => e.type === 'syncFinished'), 'and a new sync after it');
    // A call that rejected, yet is in the database, committed as the worker
    // died: the tab may not have heard of it, but syncFailed told it to read
    // the list again after the new sync. Otherwise its events tell its list.
    const applied = await assertExact(b, acc, `after the worker died ${delay} ms in`, { unheard: Boolean(r.error) });
    t.diagnostic(`the call ${r.error ? 'rejected' : 'resolved'}; it ${applied ? 'is' : 'is not'} in the database`);
  });
}
