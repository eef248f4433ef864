// The host-app methods beyond the seed through the wrapper: applyMessages,
// revokeMessage, deleteMessages and setCurrentConversation.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useBrowser, uniqueName } from './harness.mjs';
import { openService, assertConversation, assertLastMessage, assertRejected, msg, types } from './client.mjs';

const env = useBrowser();
const T = 1_700_000_000_000;

async function open(t) {
  const page = await env.page(t);
  return openService(page, { accountId: uniqueName() });
}

test('applyMessages creates conversations, moves lastMessage, counts unread, and is idempotent', async (t) => {
  const s = await open(t);
  const me = s.accountId;
  const bob = s.p2p('bob');
  const m1 = msg(bob, 'm1', 'bob', T + 1);
  const m2 = msg(bob, 'm2', me, T + 2, { receiverId: 'bob', text: 'hello bob' });
  const r = await s.ok('applyMessages', [m1, m2]);
  assert.deepEqual(r.value, { applied: 2, duplicates: 0 });
  const c = assertConversation(await s.value('getConversation', bob), { type: 1, unreadCount: 1, sortOrder: T + 2 });
  assertLastMessage(c.lastMessage, {
    lastMessageState: 0,
    messageRefer: {
      senderId: me, receiverId: 'bob', messageClientId: 'm2', messageServerId: '',
      conversationType: 1, conversationId: bob, createTime: T + 2,
    },
    messageType: 0, subType: 0, sendingState: 0, text: 'hello bob', revokeAccountId: '', revokeType: 0,
    serverExtension: '', callbackExtension: '',
  });
  assert.equal('senderName' in c.lastMessage, false, 'no senderName for my message');
  assert.equal('attachment' in c.lastMessage, false, 'no attachment when the message had none');
  assert.deepEqual(r.events, [
    { type: 'conversationCreated', detail: c, custom: true },
    { type: 'totalUnreadCountChanged', detail: 1, custom: true },
  ]);

  // Applied again (whole or in part, even twice in one call): duplicates, nothing changes.
  const dup = await s.ok('applyMessages', [m1, m2, m1]);
  assert.deepEqual(dup.value, { applied: 0, duplicates: 3 });
  assert.deepEqual(dup.events, []);
  const m5 = msg(bob, 'm5', 'bob', T + 5);
  assert.deepEqual(await s.value('applyMessages', [m5, m5]), { applied: 1, duplicates: 1 });
  assert.equal((await s.value('getConversation', bob)).unreadCount, 2, 'counted once');

  // Not the last message: lastMessageUpdateEnabled false (also under messageConfig), or older.
  await s.ok('applyMessages', [
    msg(bob, 'm6', 'bob', T + 6, { lastMessageUpdateEnabled: false }),
    msg(bob, 'm7', 'bob', T + 7, { messageConfig: { lastMessageUpdateEnabled: false } }),
    msg(bob, 'm3', 'bob', T + 3),
  ]);
  let cur = await s.value('getConversation', bob);
  assert.equal(cur.lastMessage.messageRefer.messageClientId, 'm5');
  assert.equal(cur.sortOrder, T + 5);
  assert.equal(cur.unreadCount, 5);

  // Not unread: unreadEnabled false (also under messageConfig); every field carried.
  const m8 = msg(bob, 'm8', 'bob', T + 8, {
    unreadEnabled: false, messageServerId: 's8', messageType: 1, subType: 7, sendingState: 1,
    attachment: { url: 'https://example.com/p.png', w: 640, h: 480, tags: ['a', 1, null, true] },
    serverExtension: '{"s":1}', callbackExtension: '{"c":1}', senderName: 'Bobby', receiverId: me,
  });
  const r8 = await s.ok('applyMessages', [m8, msg(bob, 'm4', 'bob', T + 4, { messageConfig: { unreadEnabled: false } })]);
  assert.deepEqual(types(r8.events), ['conversationChanged'], 'no unread change');
  cur = assertConversation(r8.events[0].detail[0], { unreadCount: 5, sortOrder: T + 8 });
  assertLastMessage(cur.lastMessage, {
    lastMessageState: 0,
    messageRefer: {
      senderId: 'bob', receiverId: me, messageClientId: 'm8', messageServerId: 's8',
      conversationType: 1, conversationId: bob, createTime: T + 8,
    },
    messageType: 1, subType: 7, sendingState: 1, text: 'm8',
    attachment: { url: 'https://example.com/p.png', w: 640, h: 480, tags: ['a', 1, null, true] },
    revokeAccountId: '', revokeType: 0, serverExtension: '{"s":1}', callbackExtension: '{"c":1}', senderName: 'Bobby',
  });
  // A string attachment stays a string; ties on createTime order by messageClientId.
  await s.ok('applyMessages', [msg(bob, 'm9a', 'bob', T + 9, { attachment: 'raw text' }), msg(bob, 'm9b', 'bob', T + 9)]);
  assert.equal((await s.value('getConversation', bob)).lastMessage.messageRefer.messageClientId, 'm9b');
  await s.ok('deleteMessages', [{ conversationId: bob, messageClientId: 'm9b' }]);
  assert.equal((await s.value('getConversation', bob)).lastMessage.attachment, 'raw text');

  // Teams: any sender; the receiver defaults to the team. One call, several conversations.
  const team = s.team('t1'), st = s.superTeam('s1');
  const multi = await s.ok('applyMessages', [msg(team, 'x1', 'carol', T + 1), msg(st, 'y1', me, T + 2)]);
  assert.deepEqual(multi.value, { applied: 2, duplicates: 0 });
  assert.deepEqual(types(multi.events), ['conversationCreated', 'conversationCreated', 'totalUnreadCountChanged']);
  const ct = assertConversation(await s.value('getConversation', team), { type: 2, unreadCount: 1 });
  assert.equal(ct.lastMessage.messageRefer.receiverId, 't1');
  assert.equal(ct.lastMessage.messageRefer.conversationType, 2);
  assertConversation(await s.value('getConversation', st), { type: 3, unreadCount: 0 });
  assert.equal(await s.value('getTotalUnreadCount'), 7);
});

test('revokeMessage marks the last message revoked and lowers unread', async (t) => {
  const s = await open(t);
  const bob = s.p2p('bob');
  await s.ok('applyMessages', [msg(bob, 'm1', 'bob', T + 1), msg(bob, 'm2', 'bob', T + 2, { senderName: 'Bob' })]);
  const before = await s.value('getConversation', bob);

  const r = await s.ok('revokeMessage', { conversationId: bob, messageClientId: 'm2' }, { revokeAccountId: 'bob', revokeType: 2 });
  assert.equal(r.value, undefined);
  const c = assertConversation(await s.value('getConversation', bob), { unreadCount: 1, sortOrder: T + 2 });
  assert.deepEqual(c.lastMessage, { ...before.lastMessage, lastMessageState: 1, revokeAccountId: 'bob', revokeType: 2, text: '' },
    'the content is gone: no postscript leaves the text empty');
  assert.deepEqual(r.events, [
    { type: 'conversationChanged', detail: [c], custom: true },
    { type: 'totalUnreadCountChanged', detail: 1, custom: true },
  ]);
  // Same revoke again: nothing. A full messageRefer works as the refer.
  assert.deepEqual((await s.ok('revokeMessage', { conversationId: bob, messageClientId: 'm2' }, { revokeAccountId: 'bob', revokeType: 2 })).events, []);
  const older = await s.ok('revokeMessage', { ...before.lastMessage.messageRefer, messageClientId: 'm1', createTime: 0 });
  assert.deepEqual(types(older.events), ['conversationChanged', 'totalUnreadCountChanged']);
  const c2 = assertConversation(await s.value('getConversation', bob), { unreadCount: 0 });
  assert.deepEqual(c2.lastMessage, c.lastMessage, 'not the last message: lastMessage unchanged');
  // A revoked message stays known.
  assert.deepEqual(await s.value('applyMessages', [msg(bob, 'm1', 'bob', T + 1)]), { applied: 0, duplicates: 1 });
  assertRejected(await s.call('revokeMessage', { conversationId: bob, messageClientId: 'never' }, {}), 191004, /refer/, 'not stored');

  // A postscript takes the place of the text; the attachment goes too.
  await s.ok('applyMessages', [msg(bob, 'm3', 'bob', T + 3, { messageType: 1, attachment: { url: 'https://example.com/a.png' } })]);
  assert.deepEqual((await s.value('getConversation', bob)).lastMessage.attachment, { url: 'https://example.com/a.png' });
  await s.ok('revokeMessage', { conversationId: bob, messageClientId: 'm3' }, { revokeAccountId: 'bob', revokeType: 1, postscript: 'recalled' });
  const c3 = await s.value('getConversation', bob);
  assert.equal(c3.lastMessage.text, 'recalled');
  assert.equal('attachment' in c3.lastMessage, false, 'no attachment');
  assert.equal(c3.lastMessage.lastMessageState, 1);
});

test('deleteMessages falls lastMessage back and lowers unread', async (t) => {
  const s = await open(t);
  const bob = s.p2p('bob'), team = s.team('t1');
  await s.ok('applyMessages', [
    msg(bob, 'm1', 'bob', T + 1), msg(bob, 'm2', s.accountId, T + 2), msg(bob, 'm3', 'bob', T + 3),
    msg(bob, 'm4', 'bob', T + 4, { lastMessageUpdateEnabled: false }), msg(team, 'x1', 'carol', T + 1),
  ]);
  assert.equal((await s.value('getConversation', bob)).unreadCount, 3);

  const r = await s.ok('deleteMessages', [
    { conversationId: bob, messageClientId: 'm3' },
    { conversationId: bob, messageClientId: 'not-stored' },
    { conversationId: team, messageClientId: 'x1' },
  ]);
  assert.equal(r.value, undefined);
  const c = assertConversation(await s.value('getConversation', bob), { unreadCount: 2 });
  assert.equal(c.lastMessage.messageRefer.messageClientId, 'm2', 'the newest remaining message that may be last');
  assertConversation(await s.value('getConversation', team), { unreadCount: 0, lastMessage: null });
  assert.deepEqual(types(r.events), ['conversationChanged', 'totalUnreadCountChanged']);
  assert.deepEqual(r.events[0].detail.map((x) => x.conversationId).sort(), [bob, team].sort());
  assert.equal(r.events[1].detail, 2);
  // A deleted message stays known; deleting it again, or one never stored, is skipped.
  assert.deepEqual(await s.value('applyMessages', [msg(bob, 'm3', 'bob', T + 3)]), { applied: 0, duplicates: 1 });
  assert.deepEqual((await s.ok('deleteMessages', [{ conversationId: bob, messageClientId: 'm3' }])).events, []);
  await s.ok('deleteMessages', [{ conversationId: bob, messageClientId: 'm2' }, { conversationId: bob, messageClientId: 'm1' }]);
  assertConversation(await s.value('getConversation', bob), { unreadCount: 1, lastMessage: null });
});

test('setCurrentConversation: the conversation on screen takes no unread', async (t) => {
  const s = await open(t);
  const bob = s.p2p('bob'), carol = s.p2p('carol');
  await s.ok('applyMessages', [msg(bob, 'b1', 'bob', T + 1), msg(bob, 'b2', 'bob', T + 2), msg(carol, 'c1', 'carol', T + 1)]);

  const before = Date.now();
  const r = await s.ok('setCurrentConversation', bob);
  assert.equal(r.value, undefined);
  assertConversation(await s.value('getConversation', bob), { unreadCount: 0 });
  const marked = await s.value('getConversationReadTime', bob);
  assert.ok(marked >= before && marked <= Date.now(), 'marked read at the time of the call');
  assert.deepEqual(types(r.events), ['conversationChanged', 'totalUnreadCountChanged']);
  assert.equal(r.events[1].detail, 1);

  // While current, its read time follows new messages, even ones stamped
  // after the clock.
  const L = Date.now() + 3_600_000;
  const m = await s.ok('applyMessages', [msg(bob, 'b3', 'bob', L + 3), msg(carol, 'c2', 'carol', L + 3)]);
  assertConversation(await s.value('getConversation', bob), { unreadCount: 0 });
  assert.equal(await s.value('getConversationReadTime', bob), L + 3);
  assert.equal(await s.value('getTotalUnreadCount'), 2);
  assert.deepEqual(types(m.events), ['conversationChanged', 'totalUnreadCountChanged']);

  // Switching to another, then to none: bob counts again.
  await s.ok('setCurrentConversation', carol);
  await s.ok('applyMessages', [msg(bob, 'b4', 'bob', L + 4)]);
  assert.equal((await s.value('getConversation', bob)).unreadCount, 1);
  const none = await s.ok('setCurrentConversation', null);
  assert.deepEqual(none.events, []);
  await s.ok('applyMessages', [msg(carol, 'c3', 'carol', L + 5)]);
  assert.equal((await s.value('getConversation', carol)).unreadCount, 1);

  // A conversation that does not exist yet may be current: it is born read.
  const dave = s.p2p('dave');
  assert.deepEqual((await s.ok('setCurrentConversation', dave)).events, []);
  const d = await s.ok('applyMessages', [msg(dave, 'd1', 'dave', L + 6)]);
  assert.deepEqual(types(d.events), ['conversationCreated']);
  assertConversation(d.events[0].detail, { conversationId: dave, unreadCount: 0 });
  assert.equal(await s.value('getTotalUnreadCount'), 2);
});

test('applyMessages: applied again, my sending message takes its outcome and a modified one its new content; both are duplicates', async (t) => {
  const page = await env.page(t);
  const accountId = uniqueName();
  const s = await openService(page, { accountId });
  const me = s.accountId;
  const bob = s.p2p('bob');
  const out = msg(bob, 'c1', me, T + 10, { sendingState: 3 });
  await s.ok('applyMessages', [msg(bob, 'b1', 'bob', T + 1), out]);
  assert.equal((await s.value('getConversation', bob)).lastMessage.sendingState, 3);

  // The send succeeded: the server's createTime and id; the list moves to the later time.
  const done = { ...out, sendingState: 1, createTime: T + 20, messageServerId: 'srv-1' };
  const r = await s.ok('applyMessages', [done]);
  assert.deepEqual(r.value, { applied: 0, duplicates: 1 }, 'a known message is a duplicate even when it updated the stored one');
  let c = assertConversation(await s.value('getConversation', bob), { unreadCount: 1, sortOrder: T + 20 });
  assert.equal(c.lastMessage.sendingState, 1);
  assert.equal(c.lastMessage.messageRefer.createTime, T + 20);
  assert.equal(c.lastMessage.messageRefer.messageServerId, 'srv-1');
  assert.deepEqual(r.events, [{ type: 'conversationChanged', detail: [c], custom: true }], 'mine: no count changes');
  // The same outcome again, or another one after it: nothing.
  const again = await s.ok('applyMessages', [done, { ...out, sendingState: 2 }]);
  assert.deepEqual(again.value, { applied: 0, duplicates: 2 });
  assert.deepEqual(again.events, []);

  // A failed send keeps its time and place.
  const out2 = msg(bob, 'c2', me, T + 30, { sendingState: 3 });
  await s.ok('applyMessages', [out2]);
  const failed = await s.ok('applyMessages', [{ ...out2, sendingState: 2, createTime: T + 99 }]);
  c = assertConversation(await s.value('getConversation', bob), { unreadCount: 1, sortOrder: T + 30 });
  assert.equal(c.lastMessage.sendingState, 2);
  assert.equal(c.lastMessage.messageRefer.createTime, T + 30);
  assert.deepEqual(types(failed.events), ['conversationChanged']);

  // A modification: a later modifyTime replaces the content; its place and whether it counts stay.
  const b2 = msg(bob, 'b2', 'bob', T + 40);
  await s.ok('applyMessages', [b2]);
  const edit = {
    ...b2, modifyTime: T + 50, text: 'edited', subType: 2, attachment: { url: 'https://example.com/e.png' },
    serverExtension: '{"e":1}', callbackExtension: 'cb', createTime: T + 60, unreadEnabled: false,
  };
  const mod = await s.ok('applyMessages', [edit]);
  assert.deepEqual(mod.value, { applied: 0, duplicates: 1 });
  c = assertConversation(await s.value('getConversation', bob), { unreadCount: 2, sortOrder: T + 40 });
  assertLastMessage(c.lastMessage, {
    lastMessageState: 0,
    messageRefer: {
      senderId: 'bob', receiverId: me, messageClientId: 'b2', messageServerId: '',
      conversationType: 1, conversationId: bob, createTime: T + 40,
    },
    messageType: 0, subType: 2, sendingState: 0, text: 'edited', attachment: { url: 'https://example.com/e.png' },
    revokeAccountId: '', revokeType: 0, serverExtension: '{"e":1}', callbackExtension: 'cb',
  });
  assert.deepEqual(mod.events, [{ type: 'conversationChanged', detail: [c], custom: true }]);
  assert.deepEqual((await s.ok('applyMessages', [edit])).events, [], 'the same modification again: nothing');
  const older = await s.ok('applyMessages', [{ ...edit, modifyTime: T + 45, text: 'older' }, { ...b2, modifyTime: T + 50, text: 'same time' }]);
  assert.deepEqual(older.events, [], 'an older modification, or another at the same time: nothing');
  assertRejected(await s.call('applyMessages', [{ ...b2, modifyTime: -1 }]), 191004, [/messages\[0\]\.modifyTime/, /\[0, 1e15\)/], 'a negative modifyTime');
  assertRejected(await s.call('applyMessages', [{ ...b2, modifyTime: '5' }]), 191004, [/messages\[0\]\.modifyTime/, /number/], 'a string modifyTime');

  // Stored: after a reload the list shows the same, and the outcome is not undone by the sending version.
  await page.reload();
  const s2 = await openService(page, { accountId });
  assert.deepEqual(await s2.value('getConversation', bob), c);
  assert.deepEqual((await s2.ok('applyMessages', [out, b2])).events, []);
  assert.equal((await s2.value('getConversation', bob)).lastMessage.text, 'edited');
});

test('applyMessages: a deleted conversation stays deleted when its old messages come again; a newer one brings it back', async (t) => {
  const s = await open(t);
  const bob = s.p2p('bob');
  await s.ok('applyMessages', [msg(bob, 'm1', 'bob', T + 1), msg(bob, 'm2', 'bob', T + 2)]);
  await s.ok('deleteConversation', bob);

  // As a NIM login re-delivers roaming messages: known ones and ones never applied, all older than the deletion.
  const roaming = await s.ok('applyMessages', [msg(bob, 'm1', 'bob', T + 1), msg(bob, 'm0', 'bob', T), msg(bob, 'm3', 'bob', T + 3)]);
  assert.deepEqual(roaming.value, { applied: 2, duplicates: 1 }, 'the unknown ones are stored: applied');
  assert.deepEqual(roaming.events, []);
  assertRejected(await s.call('getConversation', bob), 191004, /conversationId/, 'not brought back');
  assert.equal(await s.value('getTotalUnreadCount'), 0);
  assert.deepEqual(await s.value('applyMessages', [msg(bob, 'm3', 'bob', T + 3)]), { applied: 0, duplicates: 1 }, 'stored, known');

  // A message newer than the deletion brings it back, with only itself unread.
  const newer = Date.now() + 1000;
  const back = await s.ok('applyMessages', [msg(bob, 'm4', 'bob', newer)]);
  assert.deepEqual(types(back.events), ['conversationCreated', 'totalUnreadCountChanged']);
  const c = assertConversation(await s.value('getConversation', bob), { unreadCount: 1, sortOrder: newer });
  assert.equal(c.lastMessage.messageRefer.messageClientId, 'm4');
});
