// applyClearHistory through the wrapper (docs/api.md "Clear history"): what
// a clear does to a conversation and its events, messages at or before it
// applied later, conversations not in the list, bad arguments, a reload, and
// several tabs in each placement.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useBrowser, uniqueName } from './harness.mjs';
import { openService, assertConversation, assertRejected, msg, types } from './client.mjs';
import { openTabs, deliver, assertAllAgree, msg as tabMsg } from './tabs.mjs';

const env = useBrowser();
const T = 1_700_000_000_000;

async function open(t) {
  const page = await env.page(t);
  return openService(page, { accountId: uniqueName() });
}

test('applyClearHistory: messages at or before the time are gone, only later ones count, lastMessage goes without falling back', async (t) => {
  const s = await open(t);
  const bob = s.p2p('bob');
  const p2pOnly = { conversationTypes: [1] };
  await s.ok('applyMessages', [msg(bob, 'm1', 'bob', T + 1), msg(bob, 'm2', 'bob', T + 2), msg(bob, 'm3', 'bob', T + 3)]);
  await s.ok('subscribeUnreadCountByFilter', p2pOnly);

  const r = await s.ok('applyClearHistory', bob, T + 2);
  assert.equal(r.value, undefined);
  const c = assertConversation(await s.value('getConversation', bob), { unreadCount: 1, sortOrder: T + 3 });
  assert.equal(c.lastMessage.messageRefer.messageClientId, 'm3', 'a lastMessage after the clear stays');
  assert.deepEqual(r.events, [
    { type: 'conversationChanged', detail: [c], custom: true },
    { type: 'conversationReadTimeUpdated', detail: { conversationId: bob, readTime: T + 2 }, custom: true },
    { type: 'totalUnreadCountChanged', detail: 1, custom: true },
    { type: 'unreadCountChangedByFilter', detail: { filter: { ...p2pOnly, ignoreMuted: false }, unreadCount: 1 }, custom: true },
  ]);
  assert.equal(await s.value('getConversationReadTime', bob), T + 2);

  // The login sync's roaming brings them again, and one never seen at the
  // clear's time: duplicates, nothing changes.
  const before = await s.snapshot();
  const again = await s.ok('applyMessages', [msg(bob, 'm1', 'bob', T + 1), msg(bob, 'm2', 'bob', T + 2), msg(bob, 'old', 'bob', T + 2)]);
  assert.deepEqual(again.value, { applied: 0, duplicates: 3 });
  assert.deepEqual(again.events, []);
  assert.deepEqual(await s.snapshot(), before);
  assertRejected(await s.call('revokeMessage', { conversationId: bob, messageClientId: 'm2' }, {}), 191004, /refer/, 'a cleared message is not stored');

  // Up to the last message: lastMessage becomes null, nothing older replaces it.
  const all = await s.ok('applyClearHistory', bob, T + 3);
  const c2 = assertConversation(await s.value('getConversation', bob), { unreadCount: 0, lastMessage: null, sortOrder: T + 3 });
  assert.deepEqual(all.events.slice(0, 2), [
    { type: 'conversationChanged', detail: [c2], custom: true },
    { type: 'conversationReadTimeUpdated', detail: { conversationId: bob, readTime: T + 3 }, custom: true },
  ]);
  assert.deepEqual(types(all.events), ['conversationChanged', 'conversationReadTimeUpdated', 'totalUnreadCountChanged', 'unreadCountChangedByFilter']);
  await s.ok('applyMessages', [msg(bob, 'm4', 'bob', T + 4)]);
  await s.ok('deleteMessages', [{ conversationId: bob, messageClientId: 'm4' }]);
  assert.equal((await s.value('getConversation', bob)).lastMessage, null, 'no fallback to a cleared message');

  // The same clear again, or an older one: nothing, no event.
  assert.deepEqual((await s.ok('applyClearHistory', bob, T + 3)).events, []);
  assert.deepEqual((await s.ok('applyClearHistory', bob, T + 1)).events, []);
});

test('applyClearHistory moves the conversation up to the time, a pinned one keeping its offset', async (t) => {
  const s = await open(t);
  const carol = s.p2p('carol');
  const created = await s.value('createConversation', carol);
  await s.ok('stickTopConversation', carol, true);
  const later = created.createTime + 60_000;
  const r = await s.ok('applyClearHistory', carol, later);
  const c = assertConversation(await s.value('getConversation', carol), { sortOrder: later + 1e15, stickTop: true });
  assert.ok(c.updateTime >= later, `updateTime ${c.updateTime} is at least the clear's time ${later}, later than now`);
  assert.deepEqual(types(r.events), ['conversationChanged', 'conversationReadTimeUpdated']);
});

test('applyClearHistory of a conversation not in the list: accepted, nothing visible, and what it cleared never counts', async (t) => {
  const s = await open(t);
  const nobody = s.p2p('nobody');
  const before = await s.snapshot();
  const r = await s.ok('applyClearHistory', nobody, T + 5);
  assert.equal(r.value, undefined);
  assert.deepEqual(r.events, []);
  assert.deepEqual(await s.snapshot(), before);
  assertRejected(await s.call('getConversation', nobody), 191004, /no such conversation/, 'still not in the list');
  const old = await s.ok('applyMessages', [msg(nobody, 'n1', 'nobody', T + 5)]);
  assert.deepEqual([old.value, old.events], [{ applied: 0, duplicates: 1 }, []], 'a message the clear took creates nothing');
  await s.ok('applyMessages', [msg(nobody, 'n2', 'nobody', T + 6)]);
  assertConversation(await s.value('getConversation', nobody), { unreadCount: 1 });

  // Deleted without its messages, cleared, then back: neither the kept
  // messages nor one the clear took count.
  const gone = s.team('gone');
  await s.ok('applyMessages', [msg(gone, 'g1', 'bob', T + 1), msg(gone, 'g2', 'bob', T + 2)]);
  await s.ok('deleteConversation', gone, false);
  const cleared = await s.ok('applyClearHistory', gone, Date.now() + 60_000);
  assert.deepEqual(cleared.events, []);
  assert.deepEqual((await s.ok('applyMessages', [msg(gone, 'g3', 'bob', Date.now() + 30_000)])).value, { applied: 0, duplicates: 1 });
  await s.ok('createConversation', gone);
  assertConversation(await s.value('getConversation', gone), { unreadCount: 0, lastMessage: null });
  assert.equal(await s.value('getTotalUnreadCount'), 1, 'n2 only');
});

test('applyClearHistory bad arguments reject with 191004 naming the parameter and change nothing', async (t) => {
  const s = await open(t);
  const bob = s.p2p('bob');
  await s.ok('applyMessages', [msg(bob, 'm1', 'bob', T + 1)]);
  const before = await s.snapshot();
  const cases = [
    ['an id of another account', ['other|1|bob', T], /conversationId/],
    ['a malformed id', [`${s.accountId}|4|bob`, T], /conversationId/],
    ['a number id', [42, T], /conversationId.*number/],
    ['no id', [undefined, T], /conversationId.*undefined/],
    ['no deleteTime', [bob], /deleteTime.*undefined/],
    ['a negative deleteTime', [bob, -1], /deleteTime.*\[0, 1e15\)/],
    ['deleteTime 1e15', [bob, 1e15], /deleteTime.*\[0, 1e15\)/],
    ['a fractional deleteTime', [bob, T + 0.5], /deleteTime.*integer/],
    ['NaN', [bob, NaN], /deleteTime.*NaN/],
    ['Infinity', [bob, Infinity], /deleteTime.*Infinity/],
    ['a string deleteTime', [bob, String(T)], /deleteTime.*string/],
    ['null deleteTime', [bob, null], /deleteTime.*null/],
  ];
  for (const [label, args, pattern] of cases) {
    assertRejected(await s.call('applyClearHistory', ...args), 191004, pattern, label);
  }
  const [date] = await s.batch([['applyClearHistory', '[id, new Date(T)]']], { src: true, vars: { id: bob, T } });
  assertRejected(date, 191004, /deleteTime.*Date/, 'a Date deleteTime');
  assert.deepEqual(await s.snapshot(), before, 'nothing changed');
});

test('applyClearHistory is kept across a reload: what it cleared stays gone', async (t) => {
  const page = await env.isolatedPage(t);
  const acc = uniqueName();
  const s = await openService(page, { accountId: acc });
  const bob = s.p2p('bob');
  await s.ok('applyMessages', [msg(bob, 'm1', 'bob', T + 1), msg(bob, 'm2', 'bob', T + 2)]);
  await s.ok('applyClearHistory', bob, T + 1);
  const before = await s.snapshot();

  await page.reload();
  await page.waitForFunction(() => document.title === 'ready');
  const s2 = await openService(page, { accountId: acc });
  assert.deepEqual(await s2.snapshot(), before);
  const r = await s2.ok('applyMessages', [msg(bob, 'm1', 'bob', T + 1), msg(bob, 'm0', 'bob', T)]);
  assert.deepEqual([r.value, r.events], [{ applied: 0, duplicates: 2 }, []]);
  assertConversation(await s2.value('getConversation', bob), { unreadCount: 1 });
});

for (const placement of ['page', 'worker', 'sharedWorker']) {
  test(`applyClearHistory in one tab (${placement}): the other tab hears the same events and obeys the clear`, async (t) => {
    const acc = uniqueName('clear');
    const { tabs: [a, b] } = await openTabs(env, t, 2, { accountId: acc, placement });
    const bob = a.p2p('bob');
    await deliver(a, [b], null, 'applyMessages', [tabMsg(bob, 'm1', 'bob', T + 1), tabMsg(bob, 'm2', 'bob', T + 2), tabMsg(bob, 'm3', 'bob', T + 3)]);
    const r = await deliver(b, [a], null, 'applyClearHistory', bob, T + 2);
    assert.deepEqual(types(r.events).slice(0, 3), ['conversationChanged', 'conversationReadTimeUpdated', 'totalUnreadCountChanged']);
    // Tab a never saw the clear's messages go, but applies them as duplicates.
    const again = await a.ok('applyMessages', [tabMsg(bob, 'm2', 'bob', T + 2), tabMsg(bob, 'a-old', 'bob', T + 2)]);
    assert.deepEqual([again.value, again.events], [{ applied: 0, duplicates: 2 }, []]);
    const fresh = await assertAllAgree([a, b], 'after the clear');
    assert.equal(fresh.list.find((c) => c.conversationId === bob).unreadCount, 1);
  });
}
