// The unread and read-time methods of docs/api.md §2 through the wrapper.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useBrowser, uniqueName } from './harness.mjs';
import { openService, assertConversation, assertRejected, msg, types } from './client.mjs';

const env = useBrowser();
const T = 1_700_000_000_000;

// Three conversations with unread: bob (P2P) 3, t1 (team) 2, s1 (super team) 1.
async function seeded(t) {
  const page = await env.page(t);
  const s = await openService(page, { accountId: uniqueName() });
  const ids = { bob: s.p2p('bob'), t1: s.team('t1'), s1: s.superTeam('s1') };
  await s.ok('applyMessages', [
    msg(ids.bob, 'b1', 'bob', T + 1), msg(ids.bob, 'b2', 'bob', T + 2), msg(ids.bob, 'b3', 'bob', T + 3),
    msg(ids.bob, 'b0', s.accountId, T + 4),
    msg(ids.t1, 't1', 'carol', T + 1), msg(ids.t1, 't2', 'dave', T + 2),
    msg(ids.s1, 's1', 'erin', T + 5),
  ]);
  return { s, ids };
}

test('getTotalUnreadCount, getUnreadCountByIds, getUnreadCountByFilter', async (t) => {
  const { s, ids } = await seeded(t);
  const total = await s.ok('getTotalUnreadCount');
  assert.equal(total.value, 6);
  assert.deepEqual(total.events, []);
  assert.equal(await s.value('getUnreadCountByIds', [ids.bob, ids.t1, s.p2p('nobody')]), 5);
  assert.equal(await s.value('getUnreadCountByIds', [ids.s1]), 1);
  assert.equal(await s.value('getUnreadCountByIds', [s.p2p('nobody')]), 0);
  assert.equal(await s.value('getUnreadCountByFilter', { conversationTypes: [1, 2] }), 5);
  assert.equal(await s.value('getUnreadCountByFilter', { conversationTypes: [3] }), 1);
  assert.equal(await s.value('getUnreadCountByFilter', { conversationTypes: [3, 1, 3] }), 4);
  assert.equal(await s.value('getUnreadCountByFilter', { ignoreMuted: true }), 6);

  await s.ok('updateConversationInfo', ids.t1, { mute: true });
  assert.equal(await s.value('getTotalUnreadCount'), 6, 'muted conversations still count in the total');
  assert.equal(await s.value('getUnreadCountByFilter', { ignoreMuted: true }), 4);
  assert.equal(await s.value('getUnreadCountByFilter', { conversationTypes: [2], ignoreMuted: true }), 0);
  assert.equal(await s.value('getUnreadCountByFilter', { conversationTypes: [2], ignoreMuted: false }), 2);
});

test('subscribeUnreadCountByFilter and unsubscribeUnreadCountByFilter', async (t) => {
  const { s, ids } = await seeded(t);
  const sub = await s.ok('subscribeUnreadCountByFilter', { conversationTypes: [2, 1] });
  assert.equal(sub.value, undefined);
  assert.deepEqual(sub.events, [{
    type: 'unreadCountChangedByFilter', custom: true,
    detail: { filter: { conversationTypes: [1, 2], ignoreMuted: false }, unreadCount: 5 },
  }], 'the current count at once, the filter normalized');
  assert.deepEqual((await s.ok('subscribeUnreadCountByFilter', { conversationTypes: [1, 2, 2], ignoreMuted: false })).events, [],
    'the same filter again: nothing');
  const muted = await s.ok('subscribeUnreadCountByFilter', { ignoreMuted: true });
  assert.deepEqual(muted.events[0].detail, { filter: { conversationTypes: [], ignoreMuted: true }, unreadCount: 6 });

  // A change that moves both counts: one event per filter; one that moves neither: none.
  const m = await s.ok('applyMessages', [msg(ids.t1, 't3', 'carol', T + 6)]);
  assert.deepEqual(types(m.events), ['conversationChanged', 'totalUnreadCountChanged', 'unreadCountChangedByFilter', 'unreadCountChangedByFilter']);
  assert.deepEqual(m.events.slice(2).map((e) => e.detail), [
    { filter: { conversationTypes: [1, 2], ignoreMuted: false }, unreadCount: 6 },
    { filter: { conversationTypes: [], ignoreMuted: true }, unreadCount: 7 },
  ]);
  const st = await s.ok('applyMessages', [msg(ids.s1, 's2', 'erin', T + 6)]);
  assert.deepEqual(st.events.filter((e) => e.type === 'unreadCountChangedByFilter').map((e) => e.detail),
    [{ filter: { conversationTypes: [], ignoreMuted: true }, unreadCount: 8 }], 'only the filters whose count changed');

  const un = await s.ok('unsubscribeUnreadCountByFilter', { conversationTypes: [1, 2] });
  assert.equal(un.value, undefined);
  assert.deepEqual(un.events, []);
  assert.deepEqual((await s.ok('unsubscribeUnreadCountByFilter', { conversationTypes: [3] })).events, [], 'unknown filter: no effect');
  const after = await s.ok('applyMessages', [msg(ids.bob, 'b9', 'bob', T + 9)]);
  assert.deepEqual(after.events.filter((e) => e.type === 'unreadCountChangedByFilter').map((e) => e.detail.filter),
    [{ conversationTypes: [], ignoreMuted: true }]);
  // Subscribing again after unsubscribing emits the count again.
  const again = await s.ok('subscribeUnreadCountByFilter', { conversationTypes: [1, 2] });
  assert.deepEqual(again.events.map((e) => e.detail), [{ filter: { conversationTypes: [1, 2], ignoreMuted: false }, unreadCount: 7 }]);
});

test('markConversationRead, getConversationReadTime, applyReadTime', async (t) => {
  const { s, ids } = await seeded(t);
  await s.ok('subscribeUnreadCountByFilter', { conversationTypes: [1] });
  assert.equal(await s.value('getConversationReadTime', ids.bob), 0, 'never marked');

  let before = Date.now();
  const r = await s.ok('markConversationRead', ids.bob);
  const marked = r.value;
  assert.ok(marked >= before && marked <= Date.now(), `read time ${marked}: the time of marking, past its last message`);
  const bob = assertConversation(await s.value('getConversation', ids.bob), { unreadCount: 0 });
  assert.deepEqual(r.events, [
    { type: 'conversationChanged', detail: [bob], custom: true },
    { type: 'conversationReadTimeUpdated', detail: { conversationId: ids.bob, readTime: marked }, custom: true },
    { type: 'totalUnreadCountChanged', detail: 3, custom: true },
    { type: 'unreadCountChangedByFilter', detail: { filter: { conversationTypes: [1], ignoreMuted: false }, unreadCount: 0 }, custom: true },
  ]);
  assert.equal(await s.value('getConversationReadTime', ids.bob), marked);
  // Marking again moves the read time to the new now, and nothing else.
  const same = await s.ok('markConversationRead', ids.bob);
  assert.ok(same.value >= marked);
  assert.deepEqual(same.events, same.value === marked ? []
    : [{ type: 'conversationReadTimeUpdated', detail: { conversationId: ids.bob, readTime: same.value }, custom: true }],
  'already read: only the read time moves');
  // A message stamped after the clock is part of what is marked read.
  const L = Date.now() + 3_600_000;
  await s.ok('applyMessages', [msg(ids.bob, 'future', 'bob', L)]);
  assert.equal((await s.ok('markConversationRead', ids.bob)).value, L);

  // applyReadTime: unread recomputed from the stored messages; older times change nothing.
  const a = await s.ok('applyReadTime', ids.t1, T + 1);
  assert.equal(a.value, undefined);
  const t1 = assertConversation(await s.value('getConversation', ids.t1), { unreadCount: 1 });
  assert.deepEqual(a.events, [
    { type: 'conversationChanged', detail: [t1], custom: true },
    { type: 'conversationReadTimeUpdated', detail: { conversationId: ids.t1, readTime: T + 1 }, custom: true },
    { type: 'totalUnreadCountChanged', detail: 2, custom: true },
  ]);
  assert.equal(await s.value('getConversationReadTime', ids.t1), T + 1);
  assert.deepEqual((await s.ok('applyReadTime', ids.t1, T)).events, [], 'an older read time changes nothing');
  assert.equal(await s.value('getConversationReadTime', ids.t1), T + 1);
  const later = await s.ok('applyReadTime', ids.t1, T + 100);
  assert.deepEqual(types(later.events), ['conversationChanged', 'conversationReadTimeUpdated', 'totalUnreadCountChanged']);
  assert.equal((await s.value('getConversation', ids.t1)).unreadCount, 0);
  // A message older than the read time does not count; a newer one does.
  await s.ok('applyMessages', [msg(ids.t1, 'old', 'carol', T + 50), msg(ids.t1, 'new', 'carol', T + 101)]);
  assert.equal((await s.value('getConversation', ids.t1)).unreadCount, 1);

  // A conversation without messages is marked read now.
  const empty = s.p2p('empty');
  await s.ok('createConversation', empty);
  before = Date.now();
  const now = await s.value('markConversationRead', empty);
  assert.ok(now >= before && now <= Date.now(), 'now');
  assert.equal(await s.value('getConversationReadTime', empty), now);
});

test('clearUnreadCountByIds, clearUnreadCountByTypes, clearTotalUnreadCount', async (t) => {
  const { s, ids } = await seeded(t);
  await s.ok('subscribeUnreadCountByFilter', { conversationTypes: [2] });

  const missing = s.p2p('missing');
  const before = Date.now();
  const r = await s.ok('clearUnreadCountByIds', [ids.t1, missing]);
  assert.equal(r.value.length, 2);
  assert.deepEqual(r.value[0], { conversationId: ids.t1 });
  assert.equal(r.value[1].conversationId, missing);
  assert.equal(r.value[1].error.code, 191004);
  assert.match(r.value[1].error.message, /conversationId/);
  const t1 = assertConversation(await s.value('getConversation', ids.t1), { unreadCount: 0 });
  assert.deepEqual(r.events, [
    { type: 'conversationChanged', detail: [t1], custom: true },
    { type: 'totalUnreadCountChanged', detail: 4, custom: true },
    { type: 'unreadCountChangedByFilter', detail: { filter: { conversationTypes: [2], ignoreMuted: false }, unreadCount: 0 }, custom: true },
  ], 'clearing shows as conversationChanged, not conversationReadTimeUpdated');
  const marked = async (id) => {
    const rt = await s.value('getConversationReadTime', id);
    assert.ok(rt >= before && rt <= Date.now(), `read time ${rt} of ${id}: the time of clearing`);
    return rt;
  };
  await marked(ids.t1);
  assert.deepEqual((await s.ok('clearUnreadCountByIds', [ids.t1])).value, [{ conversationId: ids.t1 }]);

  const byType = await s.ok('clearUnreadCountByTypes', [3]);
  assert.equal(byType.value, undefined);
  assert.deepEqual(types(byType.events), ['conversationChanged', 'totalUnreadCountChanged']);
  assert.equal(await s.value('getTotalUnreadCount'), 3);
  await marked(ids.s1);
  assert.deepEqual(types((await s.ok('clearUnreadCountByTypes', [2, 3])).events), [], 'nothing to clear');

  // Messages stamped after the clock count as unread until cleared.
  const L = Date.now() + 3_600_000;
  await s.ok('applyMessages', [msg(ids.t1, 't3', 'carol', L + 7), msg(ids.s1, 's2', 'erin', L + 8)]);
  assert.equal(await s.value('getTotalUnreadCount'), 5);
  const all = await s.ok('clearTotalUnreadCount');
  assert.equal(all.value, undefined);
  assert.deepEqual(types(all.events), ['conversationChanged', 'totalUnreadCountChanged', 'unreadCountChangedByFilter']);
  assert.deepEqual(all.events[0].detail.map((c) => c.conversationId).sort(), [ids.bob, ids.t1, ids.s1].sort());
  assert.equal(all.events[1].detail, 0);
  for (const c of (await s.value('getConversationList', 0, 0)).conversationList) assert.equal(c.unreadCount, 0);
  assert.deepEqual(
    await Promise.all([ids.t1, ids.s1].map((id) => s.value('getConversationReadTime', id))),
    [L + 7, L + 8], 'cleared up to their newest messages');
  await marked(ids.bob);
  assert.deepEqual((await s.ok('clearTotalUnreadCount')).events, [], 'nothing left to clear');
  assertRejected(await s.call('clearUnreadCountByTypes', []), 191004, /conversationTypes/, 'clearUnreadCountByTypes([])');
});

test('markConversationRead clears a message that did not become lastMessage, stamped after the clock too', async (t) => {
  const s = await openService(await env.page(t), { accountId: uniqueName() });
  const bob = s.p2p('bob');
  const L = (Math.floor(Date.now() / 86_400_000) + 1) * 86_400_000; // a day ahead
  await s.ok('applyMessages', [msg(bob, 'm1', 'bob', L + 1), msg(bob, 'm2', 'bob', L + 5, { lastMessageUpdateEnabled: false })]);
  const before = await s.value('getConversation', bob);
  assert.equal(before.lastMessage.messageRefer.messageClientId, 'm1');
  assert.equal(before.unreadCount, 2);
  const r = await s.ok('markConversationRead', bob);
  assert.equal(r.value, L + 5, 'the read time covers the newest stored message');
  assertConversation(await s.value('getConversation', bob), { unreadCount: 0 });
  assert.equal(await s.value('getTotalUnreadCount'), 0);
  assert.equal(await s.value('getConversationReadTime', bob), L + 5);
});
