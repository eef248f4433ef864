// a change made in one tab reaches every other open tab
// of the account within one second, as the same CustomEvents with the same
// payloads, and every tab's cached list then equals the database. Two and
// three pages of one browser context (one profile: shared IndexedDB and
// BroadcastChannel).
//
// One principled difference, avoided here by giving every tab the same
// subscriptions: unreadCountChangedByFilter only exists for the filters a tab
// subscribed to.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { useBrowser, uniqueName } from './harness.mjs';
import {
  T, FILTERS, openTabs, openTab, deliver, strip, Latency, assertAllAgree, waitAgree,
  assertEventsTellTheList, afterSync, msg, PLACEMENT,
} from './tabs.mjs';

const env = useBrowser();
const latency = new Latency(); // told over the BroadcastChannel
const polled = new Latency(); // found by the poll: the broadcast was lost

// script is one call of every mutating method of docs/api.md §2 (and the no-ops that
// must emit nothing anywhere), as [actor, method, ...args]; actor is an index
// into the tabs, taken modulo their number so that every tab acts.
function script(acc) {
  const p2p = (x) => `${acc}|1|${x}`;
  const a = p2p('ann'), b = p2p('bob'), t = `${acc}|2|t1`, s = `${acc}|3|s1`;
  return [
    [0, 'applyMessages', [msg(a, 'a1', 'ann', T + 10), msg(b, 'b1', 'bob', T + 20), msg(t, 't1', 'x', T + 30), msg(t, 't2', acc, T + 40)]],
    [1, 'createConversation', s],
    [2, 'createConversation', s], // exists: nothing
    [0, 'updateConversationLocalExtension', a, '{"draft":"hi"}'],
    [1, 'updateConversationLocalExtension', a, '{"draft":"hi"}'], // same: nothing
    [2, 'stickTopConversation', b, true],
    [0, 'updateConversationInfo', t, { name: 'Team', avatar: 'https://x/t.png', mute: true }],
    [1, 'applyMessages', [msg(a, 'a2', 'ann', T + 50), msg(t, 't3', 'x', T + 60), msg(s, 's1', 'y', T + 70)]],
    [2, 'applyMessages', [msg(a, 'a2', 'ann', T + 50)]], // duplicate: nothing
    [0, 'markConversationRead', a],
    [1, 'applyReadTime', t, T + 55],
    [2, 'applyReadTime', t, T + 20], // older: nothing
    [0, 'revokeMessage', { conversationId: t, messageClientId: 't3' }, { revokeAccountId: 'x', revokeType: 1 }],
    [1, 'deleteMessages', [{ conversationId: s, messageClientId: 's1' }]],
    [2, 'clearUnreadCountByIds', [b, a]],
    [0, 'applyMessages', [msg(b, 'b2', 'bob', T + 80), msg(t, 't4', 'x', T + 90), msg(s, 's2', 'y', T + 95)]],
    [1, 'clearUnreadCountByTypes', [2]],
    [2, 'applyMessages', [msg(a, 'a3', 'ann', T + 100), msg(b, 'b3', 'bob', T + 110)]],
    [0, 'clearTotalUnreadCount'],
    [1, 'applyMessages', [msg(a, 'a4', 'ann', T + 120)]],
    // The current conversation is one tab's: it is marked read, and its read
    // time follows the messages that tab applies.
    [2, 'setCurrentConversation', a],
    [2, 'applyMessages', [msg(a, 'a5', 'ann', T + 130), msg(b, 'b4', 'bob', T + 135)]],
    [2, 'setCurrentConversation', null],
    [0, 'stickTopConversation', b, false],
    [1, 'deleteConversation', a],
    [2, 'deleteConversationListByIds', [b, p2p('nobody')]],
    // a comes back: its old messages never count again, the new one does.
    [0, 'applyMessages', [msg(a, 'a1', 'ann', T + 10), msg(a, 'a6', 'ann', T + 200)]],
    [1, 'deleteConversation', t, true],
    [2, 'applyMessages', [msg(t, 't9', 'x', T + 300)]],
    [0, 'applyReadTime', t, T + 300],
    [1, 'markConversationRead', s],
    [2, 'createConversation', b], // b comes back empty
    [0, 'updateConversationInfo', b, { name: 'Bob' }],
  ];
}

for (const n of [2, 3]) {
  test(`${n} tabs: every mutating call reaches the other tabs as the same events within 1 s, and every list equals the database`, async (t) => {
    const acc = uniqueName('tabs');
    const { tabs } = await openTabs(env, t, n, { accountId: acc });
    const from = await Promise.all(tabs.map((tab) => tab.logLength()));
    let emitted = 0;
    for (const [i, [who, method, ...args]] of script(acc).entries()) {
      const actor = tabs[who % n];
      const r = await deliver(actor, tabs.filter((x) => x !== actor), latency, method, ...args);
      emitted += r.events.length;
      if (i % 8 === 7) await assertAllAgree(tabs, `after step ${i} (${method})`);
    }
    assert.ok(emitted > 40, `the script emitted ${emitted} events`);

    // Every tab heard the same story, and nothing more: the logs since the
    // first call are equal.
    const logs = await Promise.all(tabs.map(async (tab, i) => strip((await tab.log()).slice(from[i]))));
    for (let i = 1; i < n; i++) assert.deepEqual(logs[i], logs[0], `tab ${i}'s events differ from tab 0's`);

    const fresh = await assertAllAgree(tabs, 'at the end');
    assert.equal(fresh.list.length, 4);
    for (const tab of tabs) assertEventsTellTheList(afterSync(await tab.log()), fresh, FILTERS, `tab ${tab.index}`);
    t.diagnostic(`cross-tab latency so far: ${latency.summary()}`);
  });
}

for (const n of [2, 3]) {
  test(`${n} tabs: the tab showing a conversation clears what another tab counted in it, and the others hear that too`, async (t) => {
    const acc = uniqueName('cur');
    const { tabs } = await openTabs(env, t, n, { accountId: acc });
    const [shower, sender] = [tabs[0], tabs[n - 1]];
    const x = shower.p2p('x');
    await deliver(sender, tabs.filter((tab) => tab !== sender), latency, 'applyMessages', [msg(x, 'x1', 'x', T + 1)]);
    await deliver(shower, tabs.slice(1), latency, 'setCurrentConversation', x);

    const marks = await Promise.all(tabs.map((tab) => tab.logLength()));
    const r = await sender.ok('applyMessages', [msg(x, 'x2', 'x', T + 2)]);
    if (PLACEMENT === 'sharedWorker') {
      // One module serves every tab, with one cache: it knows x is on screen in
      // one of them, so the message never counts, and every tab hears just that.
      assert.deepEqual(r.events.map((e) => e.type), ['conversationChanged']);
      assert.equal(r.events[0].detail[0].unreadCount, 0, 'x is on screen in a tab of this module');
      for (const [i, tab] of tabs.entries()) {
        if (tab === sender) continue;
        const got = await tab.waitLog(marks[i] + r.events.length, marks[i], 1000);
        assert.ok(got.reached, `tab ${i} heard the message within 1 s`);
        assert.deepEqual(strip(got.log), strip(r.events), `tab ${i}`);
      }
      await waitAgree(tabs, 'after the message');
      return;
    }
    assert.equal(r.events.find((e) => e.type === 'conversationChanged').detail[0].unreadCount, 1,
      'the sender is not showing x: it counts the message');
    // The showing tab hears the message, then clears it as a call of its own
    // (read time := the message's time), which every tab hears.
    const cleared = await shower.waitFor('totalUnreadCountChanged', marks[0] + r.events.length, 1000);
    assert.ok(cleared, 'the showing tab did not clear the conversation');
    const heard = strip((await shower.log()).slice(marks[0]));
    assert.deepEqual(heard.slice(0, r.events.length), strip(r.events));
    const follow = heard.slice(r.events.length);
    assert.deepEqual(follow.map((e) => e.type), ['conversationChanged', 'totalUnreadCountChanged', 'unreadCountChangedByFilter', 'unreadCountChangedByFilter']);
    assert.equal(follow[0].detail[0].unreadCount, 0);
    assert.equal(follow[1].detail, 0);
    // The sender hears the clearing after its own events.
    const got = await sender.waitLog(marks[n - 1] + heard.length, marks[n - 1], 1000);
    assert.ok(got.reached, 'the sender did not hear the showing tab\'s clearing within 1 s');
    assert.deepEqual(strip(got.log), heard, 'the sender');
    const fresh = await waitAgree(tabs, 'after the showing tab cleared');
    // A third tab hears both calls as told, or, if it caught up only after the
    // clearing committed, their net effect: x changed, the counts as before.
    for (const [i, tab] of tabs.entries()) {
      if (tab === shower || tab === sender) continue;
      const log = (await tab.log()).slice(marks[i]);
      const net = [{ type: 'conversationChanged', detail: follow[0].detail }];
      assert.ok([JSON.stringify(heard), JSON.stringify(net)].includes(JSON.stringify(strip(log))),
        `tab ${i} heard ${JSON.stringify(strip(log))}`);
      assert.ok(log.at(-1).at - cleared.at < 1000, `tab ${i} heard the clearing within 1 s`);
    }
    assert.equal(fresh.readTimes[x], T + 2);
    assert.equal(fresh.total, 0);
  });
}

// silence makes a tab's BroadcastChannel posts vanish, as when the tab dies
// between its commit and its message reaching the others.
const silence = (tab) => tab.eval(() => {
  globalThis.__post = BroadcastChannel.prototype.postMessage;
  BroadcastChannel.prototype.postMessage = function () {};
});
const unsilence = (tab) => tab.eval(() => { BroadcastChannel.prototype.postMessage = globalThis.__post; });

for (const n of [2, 3]) {
  test(`${n} tabs: changes whose broadcast was lost still reach the other tabs as the same events within 1 s`, async (t) => {
    const acc = uniqueName('lostnews');
    const { tabs } = await openTabs(env, t, n, { accountId: acc });
    const x = tabs[0].p2p('x');
    for (const tab of tabs) await silence(tab);
    // Nobody tells anybody: every tab finds the others' commits by itself.
    await deliver(tabs[0], tabs.slice(1), polled, 'applyMessages', [msg(x, 'x1', 'x', T + 1)]);
    await deliver(tabs[n - 1], tabs.slice(0, -1), polled, 'stickTopConversation', x, true);
    await deliver(tabs[1], tabs.filter((tab) => tab !== tabs[1]), polled, 'markConversationRead', x);
    await waitAgree(tabs, 'without broadcasts');
  });
}

test('a tab that missed a broadcast catches up at its next call, the missed events first', async (t) => {
  const acc = uniqueName('miss');
  // The lost posts are the page's own BroadcastChannel's: the module runs in
  // the page here, whatever LOCALCONV_PLACEMENT says.
  const { tabs: [a, b] } = await openTabs(env, t, 2, { accountId: acc, placement: 'page' });
  const x = a.p2p('x'), y = a.p2p('y');
  await silence(a);
  const mark = await b.logLength();
  const r1 = await a.ok('applyMessages', [msg(x, 'x1', 'x', T + 1)]);
  await unsilence(a);
  // b's very next call: it catches up inside the call's own transaction
  // (unless its poll found a's commit just before; the story is the same).
  await b.ok('applyMessages', [msg(y, 'y1', 'y', T + 2)]);
  const heard = strip((await b.log()).slice(mark));
  assert.deepEqual(heard.slice(0, r1.events.length), strip(r1.events), 'a\'s call, as a told it, first');
  const own = heard.slice(r1.events.length);
  assert.deepEqual(own.map((e) => e.type), ['conversationCreated', 'totalUnreadCountChanged', 'unreadCountChangedByFilter', 'unreadCountChangedByFilter']);
  assert.equal(own[0].detail.conversationId, y);
  assert.equal(own[1].detail, 2, 'b counted on top of what it caught up with');
  await waitAgree([a, b], 'after b caught up');
});

test('a tab that opens while another is writing converges without a call of its own', async (t) => {
  const acc = uniqueName('opening');
  const { context, tabs: [a] } = await openTabs(env, t, 1, { accountId: acc });
  // a writes without pause while b opens: commits between b's load and b
  // starting to listen must not be lost.
  const writing = a.eval(async (acc) => {
    const svc = globalThis.tabkit.svc;
    for (let i = 0; i < 150; i++) {
      await svc.applyMessages([{ conversationId: `${acc}|1|p${i % 40}`, messageClientId: 'w' + i, senderId: `p${i % 40}`, createTime: 1e12 + i, messageType: 0 }]);
    }
  }, acc);
  const b = await openTab(env, t, context, 1, { accountId: acc });
  await writing;
  const fresh = await waitAgree([a, b], 'b, opened during writes', 1000);
  assert.equal(fresh.total, 150);
});

// The figures of the tests above (each was asserted < 1000 ms where taken).
after(() => {
  console.log(`# cross-tab latency (call settled → last event in another tab): ${latency.summary()}`);
  console.log(`# the same when the broadcast was lost (found by the poll): ${polled.summary()}`);
});
