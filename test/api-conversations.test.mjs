// The conversation methods of docs/api.md §2 through the wrapper: results' shapes and
// values, and the events each call dispatches before it resolves.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useBrowser, uniqueName } from './harness.mjs';
import { openService, assertConversation, assertRejected, listOrder, msg, types } from './client.mjs';

const env = useBrowser();
const T = 1_700_000_000_000;
const PIN = 1e15;

async function open(t) {
  const page = await env.page(t);
  return openService(page, { accountId: uniqueName() });
}

test('createConversation, getConversation, getConversationListByIds', async (t) => {
  const s = await open(t);
  const bob = s.p2p('bob'), team = s.team('t1'), st = s.superTeam('s1');

  const before = Date.now();
  const r = await s.ok('createConversation', bob);
  const after = Date.now();
  const c = assertConversation(r.value, {
    conversationId: bob, type: 1, name: '', avatar: '', mute: false, stickTop: false,
    localExtension: '', lastMessage: null, unreadCount: 0,
  });
  assert.ok(c.createTime >= before && c.createTime <= after, 'createTime is the time of the call');
  assert.equal(c.sortOrder, c.createTime, 'a created conversation sorts by the time of the call');
  assert.equal(c.updateTime, c.createTime);
  assert.deepEqual(r.events, [{ type: 'conversationCreated', detail: c, custom: true }]);

  // Idempotent: the existing conversation, no event.
  const again = await s.ok('createConversation', bob);
  assert.deepEqual(again.value, c);
  assert.deepEqual(again.events, []);

  assertConversation(await s.value('createConversation', team), { conversationId: team, type: 2 });
  assertConversation(await s.value('createConversation', st), { conversationId: st, type: 3 });

  assert.deepEqual(await s.value('getConversation', bob), c);
  const byIds = await s.ok('getConversationListByIds', [st, s.p2p('nobody'), bob]);
  assert.deepEqual(byIds.value.map((x) => x.conversationId), [st, bob], 'input order, unknown ids skipped');
  assert.deepEqual(byIds.value[1], c);
  assert.deepEqual(byIds.events, []);
  assert.deepEqual(await s.value('getConversationListByIds', [s.p2p('nobody')]), []);
});

test('getConversationList and getConversationListByOption page in sortOrder order', async (t) => {
  const s = await open(t);
  const ids = ['a', 'b', 'c', 'd', 'e'].map((x) => s.p2p(x));
  const team = s.team('t1');
  // Two conversations share a sortOrder, so the order falls back on the id.
  await s.ok('applyMessages', [
    msg(ids[0], 'm0', 'a', T + 1), msg(ids[1], 'm1', 'b', T + 3), msg(ids[2], 'm2', 'c', T + 3),
    msg(ids[3], 'm3', 'd', T + 2), msg(ids[4], 'm4', s.accountId, T + 5), msg(team, 'm5', 'x', T + 4),
  ]);
  const all = await s.value('getConversationList', 0, 0);
  assert.equal(all.finished, true);
  assert.equal(all.offset, 0);
  all.conversationList.forEach((c) => assertConversation(c));
  assert.deepEqual(all.conversationList.map((c) => c.conversationId), [ids[4], team, ids[1], ids[2], ids[3], ids[0]]);
  assert.deepEqual(all.conversationList.map((c) => c.sortOrder), [T + 5, T + 4, T + 3, T + 3, T + 2, T + 1]);
  assert.deepEqual(listOrder(all.conversationList), all.conversationList);

  // Pages of 2: the offset is the last item's sortOrder, ties are not lost.
  const seen = [];
  let page = await s.value('getConversationList', 0, 2);
  const offsets = [];
  for (;;) {
    seen.push(...page.conversationList.map((c) => c.conversationId));
    if (page.finished) break;
    assert.equal(page.conversationList.length, 2);
    assert.equal(page.offset, page.conversationList.at(-1).sortOrder);
    offsets.push(page.offset);
    page = await s.value('getConversationList', page.offset, 2);
  }
  assert.equal(page.offset, 0);
  assert.deepEqual(offsets, [T + 4, T + 3]);
  assert.deepEqual(seen, all.conversationList.map((c) => c.conversationId));

  // Pages of 3 split the tie at T + 3: the next page resumes right after the
  // handed-out item, neither skipping nor repeating its twin. Its position
  // differs from the walk above's at the same sortOrder, so its offset is the
  // next number above T + 3 that no other position holds.
  const first = await s.value('getConversationList', 0, 3);
  assert.deepEqual(first.conversationList.map((c) => c.conversationId), [ids[4], team, ids[1]]);
  assert.ok(first.offset > T + 3 && first.offset < T + 3 + 1e-3, `offset ${first.offset} is just above T + 3`);
  assert.equal(Math.floor(first.offset), T + 3);
  // The earlier walk's offset still resumes after its own page.
  assert.deepEqual((await s.value('getConversationList', T + 3, 1)).conversationList.map((c) => c.conversationId), [ids[3]]);
  assert.equal(first.finished, false);
  const second = await s.value('getConversationList', first.offset, 3);
  assert.deepEqual(second.conversationList.map((c) => c.conversationId), [ids[2], ids[3], ids[0]]);
  assert.deepEqual([second.offset, second.finished], [0, true], 'the page that exhausts the data says finished');

  // An offset the service did not hand out starts below it.
  const below = async (offset) => (await s.value('getConversationList', offset, 10)).conversationList.map((c) => c.conversationId);
  assert.deepEqual(await below(T + 6), all.conversationList.map((c) => c.conversationId));
  assert.deepEqual(await below(T + 2.5), [ids[3], ids[0]]);
  assert.deepEqual(await below(T + 2), [ids[0]]);
  assert.deepEqual(await below(T + 1), []);

  // By option: types, onlyUnread, and paging over the selection.
  const teams = await s.value('getConversationListByOption', 0, 10, { conversationTypes: [2, 3] });
  assert.deepEqual(teams, { offset: 0, finished: true, conversationList: [all.conversationList[1]] });
  const unread = await s.value('getConversationListByOption', 0, 10, { onlyUnread: true });
  assert.deepEqual(unread.conversationList.map((c) => c.conversationId), [team, ids[1], ids[2], ids[3], ids[0]],
    'the conversation with only my message has no unread');
  const p2pUnread = await s.value('getConversationListByOption', 0, 3, { conversationTypes: [1], onlyUnread: true });
  assert.deepEqual(p2pUnread.conversationList.map((c) => c.conversationId), [ids[1], ids[2], ids[3]]);
  assert.equal(p2pUnread.finished, false);
  assert.equal(p2pUnread.offset, T + 2);
  const rest = await s.value('getConversationListByOption', p2pUnread.offset, 3, { conversationTypes: [1], onlyUnread: true });
  assert.deepEqual(rest, { offset: 0, finished: true, conversationList: [all.conversationList[5]] });
  assert.deepEqual(await s.value('getConversationListByOption', 0, 10), all, 'no option means all');
  assert.deepEqual(await s.value('getConversationListByOption', 0, 10, {}), all, 'an empty option means all');
  assert.deepEqual(await s.value('getConversationListByOption', 0, 10, { conversationTypes: [3] }),
    { offset: 0, finished: true, conversationList: [] });
});

test('updateConversationLocalExtension and updateConversationInfo', async (t) => {
  const s = await open(t);
  const bob = s.p2p('bob');
  const c0 = await s.value('createConversation', bob);

  const r = await s.ok('updateConversationLocalExtension', bob, '{"draft":"héllo"}');
  assert.equal(r.value, undefined);
  const c1 = assertConversation(await s.value('getConversation', bob), { localExtension: '{"draft":"héllo"}' });
  assert.deepEqual(r.events, [{ type: 'conversationChanged', detail: [c1], custom: true }]);
  assert.equal(c1.sortOrder, c0.sortOrder, 'a local extension does not move the conversation');
  assert.deepEqual((await s.ok('updateConversationLocalExtension', bob, '{"draft":"héllo"}')).events, [], 'same value: no event');
  const big = 'x'.repeat(64 * 1024);
  await s.ok('updateConversationLocalExtension', bob, big);
  assert.equal((await s.value('getConversation', bob)).localExtension, big, '64 KiB is allowed');
  await s.ok('updateConversationLocalExtension', bob, '');
  assert.equal((await s.value('getConversation', bob)).localExtension, '');

  const info = await s.ok('updateConversationInfo', bob, { name: 'Bob', avatar: 'https://example.com/bob.png' });
  assert.equal(info.value, undefined);
  const c2 = assertConversation(await s.value('getConversation', bob), { name: 'Bob', avatar: 'https://example.com/bob.png', mute: false });
  assert.deepEqual(types(info.events), ['conversationChanged']);
  assert.deepEqual(info.events[0].detail, [c2]);
  const mute = await s.ok('updateConversationInfo', bob, { mute: true });
  assertConversation(mute.events[0].detail[0], { name: 'Bob', avatar: 'https://example.com/bob.png', mute: true });
  assert.deepEqual((await s.ok('updateConversationInfo', bob, {})).events, [], 'nothing given: no event');
  assert.deepEqual((await s.ok('updateConversationInfo', bob, { name: 'Bob', mute: true })).events, [], 'same values: no event');
  assert.deepEqual((await s.ok('updateConversationInfo', bob, { name: undefined })).events, [], 'undefined is left alone');
  await s.ok('updateConversationInfo', bob, { name: '', mute: false });
  assertConversation(await s.value('getConversation', bob), { name: '', avatar: 'https://example.com/bob.png', mute: false });
});

test('stickTopConversation and getStickTopConversationList', async (t) => {
  const s = await open(t);
  const [a, b, c] = ['a', 'b', 'c'].map((x) => s.p2p(x));
  await s.ok('applyMessages', [msg(a, 'm1', 'a', T + 1), msg(b, 'm2', 'b', T + 2), msg(c, 'm3', 'c', T + 3)]);
  assert.deepEqual(await s.value('getStickTopConversationList'), []);

  let before = Date.now();
  const r = await s.ok('stickTopConversation', a, true);
  let after = Date.now();
  assert.equal(r.value, undefined);
  const pa = assertConversation(await s.value('getConversation', a), { stickTop: true });
  assert.ok(pa.sortOrder >= before + PIN && pa.sortOrder <= after + PIN, 'pinned: the time of the call + 1e15');
  assert.deepEqual(r.events, [{ type: 'conversationChanged', detail: [pa], custom: true }]);
  assert.deepEqual((await s.value('getConversationList', 0, 0)).conversationList.map((x) => x.conversationId), [a, c, b]);

  await s.ok('stickTopConversation', c, true);
  const pinned = await s.value('getStickTopConversationList');
  assert.deepEqual(pinned.map((x) => x.conversationId).sort(), [a, c].sort());
  assert.deepEqual(pinned, listOrder(pinned), 'sortOrder descending');
  pinned.forEach((x) => assertConversation(x, { stickTop: true }));

  assert.deepEqual((await s.ok('stickTopConversation', a, true)).events, [], 'unchanged: no event');
  before = Date.now();
  const un = await s.ok('stickTopConversation', a, false);
  after = Date.now();
  const ua = assertConversation(un.events[0].detail[0], { conversationId: a, stickTop: false });
  assert.ok(ua.sortOrder >= before && ua.sortOrder <= after, 'unpinned: the time of the call');
  assert.deepEqual(await s.value('getStickTopConversationList'), [await s.value('getConversation', c)]);
  assert.deepEqual((await s.value('getConversationList', 0, 0)).conversationList.map((x) => x.conversationId), [c, a, b]);
});

test('deleteConversation and deleteConversationListByIds', async (t) => {
  const s = await open(t);
  const [a, b, c, d] = ['a', 'b', 'c', 'd'].map((x) => s.p2p(x));
  await s.ok('applyMessages', [
    msg(a, 'a1', 'a', T + 1), msg(a, 'a2', 'a', T + 2), msg(b, 'b1', 'b', T + 3),
    msg(c, 'c1', s.accountId, T + 4), msg(d, 'd1', 'd', T + 5), msg(d, 'd2', 'd', T + 6),
  ]);
  assert.equal(await s.value('getTotalUnreadCount'), 5);

  const r = await s.ok('deleteConversation', a);
  assert.equal(r.value, undefined);
  assert.deepEqual(r.events, [
    { type: 'conversationDeleted', detail: [a], custom: true },
    { type: 'totalUnreadCountChanged', detail: 3, custom: true },
  ]);
  assertRejected(await s.call('getConversation', a), 191004, /conversationId/, 'getConversation after delete');
  // Its messages never count again: applying them is a duplicate, and it comes back read.
  assert.deepEqual(await s.value('applyMessages', [msg(a, 'a1', 'a', T + 1)]), { applied: 0, duplicates: 1 });
  assertRejected(await s.call('getConversation', a), 191004, /conversationId/, 'a duplicate creates nothing');
  const before = Date.now();
  const back = assertConversation(await s.value('createConversation', a), { unreadCount: 0, lastMessage: null });
  assert.ok(back.createTime >= T + 2);
  const readTime = await s.value('getConversationReadTime', a);
  assert.ok(readTime >= T + 2 && readTime <= before, `the read time ${readTime} was marked at the deletion, past its messages`);

  // Without clearMessage its stored messages stay: deleting a newer one falls back to them.
  await s.ok('applyMessages', [msg(a, 'a3', 'a', T + 7)]);
  await s.ok('deleteMessages', [{ conversationId: a, messageClientId: 'a3' }]);
  assert.equal((await s.value('getConversation', a)).lastMessage.messageRefer.messageClientId, 'a2');
  // With clearMessage they go.
  await s.ok('deleteConversation', a, true);
  // A message newer than the deletion brings it back (an older one would not).
  await s.ok('applyMessages', [msg(a, 'a4', 'a', Date.now() + 1)]);
  await s.ok('deleteMessages', [{ conversationId: a, messageClientId: 'a4' }]);
  assertConversation(await s.value('getConversation', a), { lastMessage: null, unreadCount: 0 });
  await s.ok('deleteConversation', a, false);

  const missing = s.p2p('missing');
  const list = await s.ok('deleteConversationListByIds', [b, missing, c, d], false);
  assert.equal(list.value.length, 4);
  assert.deepEqual(list.value[0], { conversationId: b });
  assert.deepEqual(list.value[2], { conversationId: c });
  assert.deepEqual(list.value[3], { conversationId: d });
  assert.equal(list.value[1].conversationId, missing);
  assert.deepEqual(Object.keys(list.value[1].error).sort(), ['code', 'message']);
  assert.equal(list.value[1].error.code, 191004);
  assert.match(list.value[1].error.message, /conversationId/);
  assert.deepEqual(list.events, [
    { type: 'conversationDeleted', detail: [b, c, d], custom: true },
    { type: 'totalUnreadCountChanged', detail: 0, custom: true },
  ]);
  assert.deepEqual(await s.value('getConversationList', 0, 0), { offset: 0, finished: true, conversationList: [] });
  const none = await s.ok('deleteConversationListByIds', [b], true);
  assert.equal(none.value[0].error.code, 191004, 'already deleted');
  assert.deepEqual(none.events, []);
});

test('two walks of one list at once, with different limits, each see every conversation once, in order', async (t) => {
  const s = await open(t);
  // 120 conversations at one sortOrder, as a bulk sync with second-resolution times gives.
  const ids = Array.from({ length: 120 }, (_, i) => s.p2p(`p${String(i).padStart(3, '0')}`));
  await s.ok('applyMessages', ids.map((id, i) => msg(id, `m${i}`, `p${String(i).padStart(3, '0')}`, T)));
  const walks = [{ limit: 10, offset: 0, seen: [] }, { limit: 25, offset: 0, seen: [] }, { limit: 7, offset: 0, seen: [] }];
  for (let round = 0; walks.some((w) => !w.done); round++) {
    assert.ok(round < 100, 'the walks end');
    for (const w of walks) {
      if (w.done) continue;
      const page = await s.value('getConversationList', w.offset, w.limit);
      w.seen.push(...page.conversationList.map((c) => c.conversationId));
      if (page.finished) w.done = true;
      else assert.notEqual(page.offset, 0, 'an unfinished page never hands out 0');
      w.offset = page.offset;
    }
  }
  for (const w of walks) assert.deepEqual(w.seen, [...ids].sort(), `the walk with limit ${w.limit}`);
});

test('offset 0 is always the top, even after a walk that reached conversations of sortOrder 0', async (t) => {
  const s = await open(t);
  const top = Array.from({ length: 5 }, (_, i) => s.p2p(`top${i}`));
  const zero = Array.from({ length: 30 }, (_, i) => s.p2p(`z${String(i).padStart(2, '0')}`));
  await s.ok('applyMessages', [
    ...top.map((id, i) => msg(id, `t${i}`, `top${i}`, 5000 + i)),
    ...zero.map((id, i) => msg(id, `z${i}`, `z${String(i).padStart(2, '0')}`, 0)),
  ]);
  const expected = [...[...top].reverse(), ...zero];
  const first = await s.value('getConversationList', 0, 10);
  assert.deepEqual(first.conversationList.map((c) => c.conversationId), expected.slice(0, 10));
  assert.equal(first.finished, false);
  assert.ok(first.offset > 0, `an unfinished page at sortOrder 0 hands out ${first.offset}, not 0`);
  const again = await s.value('getConversationList', 0, 10);
  assert.deepEqual(again.conversationList.map((c) => c.conversationId), expected.slice(0, 10), 'offset 0 starts at the top again');
  const seen = [...first.conversationList.map((c) => c.conversationId)];
  for (let page = first; !page.finished;) {
    page = await s.value('getConversationList', page.offset, 10);
    seen.push(...page.conversationList.map((c) => c.conversationId));
  }
  assert.deepEqual(seen, expected);
});

test('strings order by UTF-16 code units, as JavaScript and IndexedDB: lastMessage, its fallback and ties, after a reload too', async (t) => {
  const context = await env.context(t);
  const page = await env.page(t, context);
  const acc = uniqueName();
  const s = await openService(page, { accountId: acc });
  const bob = s.p2p('bob');
  // U+FF01 is above the surrogates in UTF-16, below a 4-byte character in UTF-8.
  const [hi, astral] = ['x\uFF01', 'x\u{1F642}'];
  assert.ok(astral < hi, 'JavaScript orders the astral character first');
  await s.ok('applyMessages', [msg(bob, astral, 'bob', T + 1), msg(bob, hi, 'bob', T + 1)]);
  assert.equal((await s.value('getConversation', bob)).lastMessage.messageRefer.messageClientId, hi, 'the later of a tie by JS order');
  await s.ok('applyMessages', [msg(bob, 'newer', 'bob', T + 2)]);
  await s.ok('deleteMessages', [{ conversationId: bob, messageClientId: 'newer' }]);
  assert.equal((await s.value('getConversation', bob)).lastMessage.messageRefer.messageClientId, hi, 'the fallback agrees');
  // Ties in the list go by id in JS order.
  const [c1, c2, c3] = [s.p2p('c\uFF01'), s.p2p('c\u{1F642}'), s.p2p('c~')];
  await s.ok('applyMessages', [msg(c1, 'a', 'c\uFF01', T + 5), msg(c2, 'b', 'c\u{1F642}', T + 5), msg(c3, 'c', 'c~', T + 5)]);
  const list = (await s.value('getConversationList', 0, 0)).conversationList;
  assert.deepEqual(list, listOrder(list), 'the list is in JavaScript\'s order');
  assert.deepEqual(list.slice(0, 3).map((c) => c.conversationId), [c3, c2, c1]);
  const before = await s.snapshot();
  await s.ok('close');
  const other = await env.page(t, context);
  const r = await openService(other, { accountId: acc });
  assert.deepEqual(await r.snapshot(), before, 'the same after a reload');
});
