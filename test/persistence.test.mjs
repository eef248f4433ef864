// docs/api.md §6 through the wrapper with the default storage (IndexedDB): after a
// real page reload everything is exactly as before, for each account apart.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useBrowser, uniqueName } from './harness.mjs';
import { openService, msg } from './client.mjs';

const env = useBrowser();
const T = 1_700_000_000_000;

// Builds a state with every kind of thing a reload must keep.
async function build(s) {
  const bob = s.p2p('bob'), t1 = s.team('t1'), s1 = s.superTeam('s1'), empty = s.p2p('empty'), gone = s.p2p('gone');
  await s.ok('applyMessages', [
    msg(bob, 'b1', 'bob', T + 1), msg(bob, 'b2', 'bob', T + 2), msg(bob, 'b3', s.accountId, T + 3, { receiverId: 'bob' }),
    msg(bob, 'b4', 'bob', T + 4, { senderName: 'Bob', attachment: { url: 'https://example.com/a.png', w: 10 } }),
    msg(t1, 't1', 'carol', T + 5, { messageServerId: 'srv-1', serverExtension: '{"k":1}', callbackExtension: 'cb', subType: 3 }),
    msg(t1, 't2', 'dave', T + 6), msg(t1, 't3', 'dave', T + 7, { unreadEnabled: false }),
    msg(s1, 's1', 'erin', T + 8, { messageType: 100, attachment: 'raw', sendingState: 1 }),
    msg(gone, 'g1', 'gone', T + 9),
  ]);
  await s.ok('createConversation', empty);
  await s.ok('stickTopConversation', t1, true);
  await s.ok('updateConversationLocalExtension', bob, '{"draft":"héllo 😀"}');
  await s.ok('updateConversationInfo', s1, { name: 'Super', avatar: 'https://example.com/s.png', mute: true });
  await s.ok('applyReadTime', bob, T + 1);
  const marked = await s.value('markConversationRead', s1); // now: its message is older
  await s.ok('revokeMessage', { conversationId: t1, messageClientId: 't3' }, { revokeAccountId: 'dave', revokeType: 1 });
  await s.ok('deleteMessages', [{ conversationId: bob, messageClientId: 'b4' }]);
  await s.ok('deleteConversation', gone);
  const snap = await s.snapshot();
  // The state is what the test means it to be, so that losing any of it shows.
  assert.equal(snap.list.length, 4);
  assert.equal(snap.total, 3);
  assert.deepEqual(snap.pinned.map((c) => c.conversationId), [t1]);
  assert.equal(snap.readTimes[bob], T + 1);
  assert.equal(snap.readTimes[s1], marked);
  assert.ok(marked > T + 8);
  return snap;
}

test('persistence: after a page reload the list, unread counts, read times, pins, extensions and lastMessages are exactly as before', async (t) => {
  const page = await env.isolatedPage(t);
  const accA = uniqueName('alice'), accB = uniqueName('bob');
  const a = await openService(page, { accountId: accA }, 'a');
  const b = await openService(page, { accountId: accB }, 'b');
  const beforeA = await build(a);
  await b.ok('applyMessages', [msg(b.p2p('zoe'), 'z1', 'zoe', T + 1)]);
  const beforeB = await b.snapshot();

  // A real reload: no close(), the page simply goes away.
  await page.reload();
  await page.waitForFunction(() => document.title === 'ready');
  const a2 = await openService(page, { accountId: accA }, 'a');
  const b2 = await openService(page, { accountId: accB }, 'b');
  assert.deepEqual(a2.early, [{ type: 'syncStarted', detail: null }, { type: 'syncFinished', detail: null }], 'the sync after the reload');

  const afterA = await a2.snapshot();
  assert.deepEqual(afterA.list.map((c) => c.conversationId), beforeA.list.map((c) => c.conversationId),
    'the conversation list came back after the reload');
  assert.deepEqual(afterA, beforeA, 'everything came back exactly');
  assert.deepEqual(await b2.snapshot(), beforeB, "the other account's data came back, apart");

  // The stored messages came back too: unread stays exact.
  const bob = a2.p2p('bob');
  assert.deepEqual(await a2.value('applyMessages', [msg(bob, 'b2', 'bob', T + 2), msg(bob, 'b4', 'bob', T + 4)]),
    { applied: 0, duplicates: 2 }, 'applied, revoked and deleted messages stay known');
  await a2.ok('applyMessages', [msg(bob, 'b5', 'bob', T + 10)]);
  assert.equal((await a2.value('getConversation', bob)).unreadCount, 2, 'b2 and b5; b1 is read, b3 mine, b4 deleted');
  await a2.ok('deleteMessages', [{ conversationId: bob, messageClientId: 'b5' }]);
  assert.equal((await a2.value('getConversation', bob)).lastMessage.messageRefer.messageClientId, 'b3',
    'lastMessage falls back to a stored message from before the reload');

  // One database per account by default (localconv.d.ts: "localconv-" + accountId).
  const names = (await page.evaluate(() => indexedDB.databases())).map((d) => d.name);
  assert.ok(names.includes(`localconv-${accA}`) && names.includes(`localconv-${accB}`), `databases: ${names}`);
});
