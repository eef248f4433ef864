// Helpers for the tests of a tab that goes away while its call runs
// (test/tabs-release*.test.mjs): the large call, what a tab reads, and the
// check that the tab that stayed agrees with the database. Not a test file.
import assert from 'node:assert/strict';
import { uniqueName } from './harness.mjs';
import { T, FILTERS, msg, newTabContext, openTab, assertEventsTellTheList, afterSync } from './tabs.mjs';

export const BIG = 2000; // team conversations of the big call
export const PER = 5; // messages in each

// bigCall is 10,000 messages over 2,000 new team conversations.
export function bigCall(acc) {
  const messages = [];
  for (let i = 0; i < BIG * PER; i++) messages.push(msg(`${acc}|2|big${i % BIG}`, `m${i}`, 's', T + i));
  return messages;
}

// view is what a tab reads, in one round trip: the whole list (pages of 100),
// the total and the filters' counts. fresh: a new service in the page (its own
// connection, the module in the page) that loads the database, then closes.
export function view(tab, fresh = false) {
  return tab.eval(async ([fresh, options, filters]) => {
    const failed = [];
    const svc = fresh
      ? await globalThis.localconv.LocalConversationService.open({ ...options, placement: 'page', listeners: { onSyncFailed: (e) => failed.push(e.message) } })
      : globalThis.tabkit.svc;
    if (failed.length) throw new Error(`the fresh load failed: ${failed.join('; ')}`);
    try {
      const list = [];
      for (let offset = 0; ;) {
        const p = await svc.getConversationList(offset, 100);
        list.push(...p.conversationList);
        if (p.finished) break;
        offset = p.offset;
      }
      return {
        list,
        total: await svc.getTotalUnreadCount(),
        filterCounts: await Promise.all(filters.map((f) => svc.getUnreadCountByFilter(f))),
      };
    } finally {
      if (fresh) await svc.close();
    }
  }, [fresh, tab.options, FILTERS]);
}

// assertExact checks the tab that stayed against the database: the same list,
// total and counts; the big call in it whole or not at all; and the tab's
// events since its sync telling exactly its list (so, if the call is not in
// the database, that the tab heard nothing of it). A call that outlived its
// tab may still be running: the two are read again until they agree, for at
// most 60 s, and must agree then. (WebKit keeps a closed tab's transaction
// open for some 30 s: until then a fresh load cannot open the database.)
// unheard: a call the database holds may have gone unheard (its worker died
// before telling; the tab synced anew since).
export async function assertExact(tab, acc, what, { unheard = false } = {}) {
  let mine, fresh, failed;
  for (const deadline = Date.now() + 60_000; ;) {
    try {
      [mine, fresh, failed] = [await view(tab), await view(tab, true), null];
    } catch (e) {
      failed = e;
    }
    if ((!failed && JSON.stringify(mine) === JSON.stringify(fresh)) || Date.now() > deadline) break;
    await new Promise((r) => setTimeout(r, 500));
  }
  if (failed) throw failed;
  assert.deepEqual(mine, fresh, `${what}: the tab that stayed differs from a fresh load of the database`);
  const big = fresh.list.filter((c) => c.conversationId.startsWith(`${acc}|2|big`));
  assert.ok(big.length === 0 || big.length === BIG, `${what}: the call is half there: ${big.length} of ${BIG} conversations`);
  if (big.length) assert.ok(big.every((c) => c.unreadCount === PER), `${what}: every message of the call counts`);
  if (!(unheard && big.length)) assertEventsTellTheList(afterSync(await tab.log()), fresh, FILTERS, what);
  return big.length > 0;
}


// leaveMidCall is the test of a tab that goes away while its call runs: tab A
// starts applyMessages of 10,000, leave(a) takes it away 30 ms later, and tab
// B must then agree with the database — at once, and again after a call of
// its own, which runs after A's (in the worker's hub, or in IndexedDB's order
// of transactions). how names the way A went, in the messages.
export async function leaveMidCall(env, t, placement, how, leave) {
  const acc = uniqueName('leave');
  const context = await newTabContext(env, t);
  const options = { accountId: acc, placement };
  const a = await openTab(env, t, context, 0, options, { allowErrors: true });
  const b = await openTab(env, t, context, 1, options);
  await b.ok('applyMessages', [msg(b.p2p('x'), 'x1', 'x', T - 1)]);
  await a.eval((m) => { globalThis.big = m; }, bigCall(acc));
  await a.eval(() => { globalThis.tabkit.svc.applyMessages(globalThis.big).catch(() => {}); });
  await new Promise((r) => setTimeout(r, 30));
  await leave(a);
  await assertExact(b, acc, `right after A was ${how}`);
  await b.ok('applyMessages', [msg(b.p2p('x'), 'x2', 'x', T)]);
  const applied = await assertExact(b, acc, `after A was ${how} and B's own call`);
  t.diagnostic(`the call ${applied ? 'was applied whole' : 'was not applied'}`);
}
