// A tab that crashes or closes in the middle of its calls leaves
// nothing half-written. Each of its calls is in the database whole or not at
// all (and those that are form a prefix of what it called), the tabs that
// stay open agree with a fresh load, docs/api.md §3's invariant holds, and they go on
// working.
//
// The tab is crashed (CDP Page.crash) or closed (page.close(), no unload
// handlers) as soon as it has started a chosen call: a large applyMessages
// (400 messages into 25 new conversations) or a clearUnreadCountByIds over 10
// conversations, each one IndexedDB transaction. Many calls follow the chosen
// one, so the tab is still busy when it dies.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useBrowser, uniqueName } from './harness.mjs';
import { T, FILTERS, newTabContext, openTab, waitAgree, assertEventsTellTheList, afterSync, msg } from './tabs.mjs';

const env = useBrowser();
const CALLS = 16;

// calls is what the doomed tab does in a round: applies to 25 conversations
// of their own, then clears 10 of them, CALLS / 2 times over.
function calls(acc, round) {
  const out = [];
  for (let i = 0; i < CALLS; i += 2) {
    const convs = Array.from({ length: 25 }, (_, j) => `${acc}|1|r${round}c${i}p${j}`);
    const messages = [];
    for (const [j, c] of convs.entries()) {
      for (let k = 0; k < 16; k++) messages.push(msg(c, `m${k}`, `r${round}c${i}p${j}`, T + 100 * i + k));
    }
    out.push({ method: 'applyMessages', args: [messages], convs });
    out.push({ method: 'clearUnreadCountByIds', args: [convs.slice(0, 10)], convs: convs.slice(0, 10) });
  }
  return out;
}

// outcome tells, from a fresh load, whether each call is in the database:
// true (whole), false (not at all); anything in between fails the test.
function outcome(snap, plan) {
  const byId = new Map(snap.list.map((c) => [c.conversationId, c]));
  return plan.map((call, i) => {
    if (call.method === 'applyMessages') {
      const present = call.convs.filter((id) => byId.has(id));
      assert.ok(present.length === 0 || present.length === call.convs.length,
        `call ${i} (applyMessages) is half there: ${present.length} of ${call.convs.length} conversations`);
      if (present.length) for (const id of call.convs.slice(10)) assert.equal(byId.get(id).unreadCount, 16, `${id}`);
      return present.length > 0;
    }
    const convs = call.convs.map((id) => byId.get(id)).filter(Boolean);
    if (convs.length === 0) return false; // the apply before it is not there
    const cleared = convs.filter((c) => c.unreadCount === 0);
    assert.ok(cleared.length === 0 || cleared.length === convs.length,
      `call ${i} (clearUnreadCountByIds) is half there: ${cleared.length} of ${convs.length} cleared`);
    for (const c of cleared) assert.equal(snap.readTimes[c.conversationId], c.lastMessage.messageRefer.createTime);
    return cleared.length > 0;
  });
}

async function crashRounds(t, { survivors, kill, rounds }) {
  const acc = uniqueName('crash');
  const context = await newTabContext(env, t);
  const stay = [];
  for (let i = 0; i < survivors; i++) stay.push(await openTab(env, t, context, i, { accountId: acc }));
  const x = stay[0].p2p('x');
  await stay[0].ok('applyMessages', [msg(x, 'x1', 'x', T)]);

  const results = [];
  for (let round = 0; round < rounds; round++) {
    const doomed = await openTab(env, t, context, 10 + round, { accountId: acc }, { allowErrors: true });
    const plan = calls(acc, round);
    const at = round * 3 + 1; // the call under way when it dies: 1, 4, 7
    let dead;
    const died = new Promise((resolve) => { dead = () => resolve(Date.now()); });
    const marks = await Promise.all(stay.map((tab) => tab.logLength()));
    await doomed.page.exposeFunction('startedCall', async (i) => {
      if (i !== at) return;
      if (kill === 'crash') {
        doomed.page.once('crash', dead);
        const cdp = await context.newCDPSession(doomed.page);
        cdp.send('Page.crash').catch(() => {}); // answered by the crash itself
      } else {
        await doomed.page.close({ runBeforeUnload: false });
        dead();
      }
    });
    const running = doomed.eval(async (plan) => {
      for (const [i, { method, args }] of plan.entries()) {
        globalThis.startedCall(i);
        await globalThis.tabkit.svc[method](...args);
      }
    }, plan).then(() => 'finished', () => 'died');
    const diedAt = await died;
    assert.equal(await running, 'died');
    if (kill === 'crash') await doomed.page.close();

    // The tabs that stayed agree with the database, which has each call
    // whole or not at all, the ones before the one under way for sure.
    const fresh = await waitAgree(stay, `after ${kill} in round ${round}`);
    const done = outcome(fresh, plan);
    // And they knew within a second of the death, even of a commit whose
    // broadcast died with the tab (the poll finds those).
    for (const [i, tab] of stay.entries()) {
      const heard = (await tab.log()).slice(marks[i]);
      if (heard.length) {
        const lag = heard.at(-1).at - diedAt;
        assert.ok(lag < 1000, `tab ${tab.index} heard the last of the dead tab's calls ${lag.toFixed(0)} ms after it died`);
      }
    }
    assert.ok(done.slice(0, at).every(Boolean), `the calls before the one under way are there: ${done}`);
    assert.deepEqual(done, done.map((_, i) => i < done.filter(Boolean).length), `a prefix of the calls is there: ${done}`);
    results.push(`round ${round}: call ${at} ${done[at] ? 'committed' : 'did not commit'} (${done.filter(Boolean).length}/${CALLS} calls in)`);

    // Applying the call under way again completes it exactly once.
    const underway = plan[at];
    const r = await stay[0].ok(underway.method, ...underway.args);
    if (underway.method === 'applyMessages') {
      assert.deepEqual(r.value, done[at] ? { applied: 0, duplicates: 400 } : { applied: 400, duplicates: 0 });
    }
    const again = await waitAgree(stay, `after redoing call ${at} in round ${round}`);
    assert.ok(outcome(again, plan)[at]);
  }
  // The tabs that stayed heard a story that tells their list, and go on.
  await stay.at(-1).ok('applyMessages', [msg(x, 'x2', 'x', T + 1)]);
  const end = await waitAgree(stay, 'at the end');
  for (const tab of stay) assertEventsTellTheList(afterSync(await tab.log()), end, FILTERS, `tab ${tab.index}`);
  t.diagnostic(results.join('; '));
}

test('a tab that crashes in the middle of its calls leaves each call whole or absent; the two other tabs stay right', async (t) => {
  await crashRounds(t, { survivors: 2, kill: 'crash', rounds: 3 });
});

test('a tab closed in the middle of its calls leaves each call whole or absent; the other tab stays right', async (t) => {
  await crashRounds(t, { survivors: 1, kill: 'close', rounds: 3 });
});
