// Opening and closing: open()'s options, waitForSync: false, storage:
// 'memory', two accounts in one page, and a closed service.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useBrowser, uniqueName } from './harness.mjs';
import { openService, assertRejected, assertSettled, msg } from './client.mjs';

const env = useBrowser();
const T = 1_700_000_000_000;

// Every method of docs/api.md §2 with valid arguments (given the ids).
function everyMethod(id, other) {
  return [
    ['createConversation', id], ['updateConversationLocalExtension', id, 'x'], ['deleteConversation', id],
    ['deleteConversationListByIds', [id]], ['stickTopConversation', id, true], ['getConversation', id],
    ['getConversationList', 0, 10], ['getConversationListByIds', [id]], ['getConversationListByOption', 0, 10, {}],
    ['getStickTopConversationList'], ['getTotalUnreadCount'], ['getUnreadCountByIds', [id]],
    ['getUnreadCountByFilter', { conversationTypes: [1] }], ['clearTotalUnreadCount'], ['clearUnreadCountByIds', [id]],
    ['clearUnreadCountByTypes', [1]], ['subscribeUnreadCountByFilter', { conversationTypes: [1] }],
    ['unsubscribeUnreadCountByFilter', { conversationTypes: [1] }], ['markConversationRead', id],
    ['getConversationReadTime', id], ['applyMessages', [msg(other, 'z', 'zed', T)]],
    ['revokeMessage', { conversationId: id, messageClientId: 'm1' }, { revokeAccountId: 'bob', revokeType: 1 }],
    ['deleteMessages', [{ conversationId: id, messageClientId: 'm1' }]], ['updateConversationInfo', id, { name: 'n' }],
    ['setCurrentConversation', id], ['applyReadTime', id, T + 5], ['close'],
  ];
}

test('open() option errors reject with LocalConvError 191004 naming the option', async (t) => {
  const page = await env.page(t);
  const acc = uniqueName();
  const cases = [
    ['open()', `undefined`, /options/],
    ['open(null)', `null`, /options/],
    ['open(42)', `42`, /options/],
    ['open(accountId string)', `'alice'`, /options/],
    ['no accountId', `{}`, /accountId/],
    ['empty accountId', `{accountId: ''}`, /accountId/],
    ["accountId with '|'", `{accountId: 'a|b'}`, /accountId/],
    ['numeric accountId', `{accountId: 42}`, /accountId/],
    ['null accountId', `{accountId: null}`, /accountId/],
    ['storage: 42', `{accountId: ACC, storage: 42}`, /storage/],
    ["storage: 'disk'", `{accountId: ACC, storage: 'disk'}`, /storage/],
    ['storage: null', `{accountId: ACC, storage: null}`, /storage/],
    ['dbName: 5', `{accountId: ACC, dbName: 5}`, /dbName/],
    ["waitForSync: 'yes'", `{accountId: ACC, waitForSync: 'yes'}`, /waitForSync/],
    ['waitForSync: null', `{accountId: ACC, waitForSync: null}`, /waitForSync/],
    ['listeners: 5', `{accountId: ACC, listeners: 5}`, /handlers|listeners/],
    ['listeners with a non-function', `{accountId: ACC, listeners: {onSyncStarted: 1}}`, /onSyncStarted/],
    ['wasmUrl: 5', `{accountId: ACC, wasmUrl: 5}`, /wasmUrl/],
  ];
  for (const [label, src, pattern] of cases) {
    const r = await page.evaluate(async ([src, acc]) => {
      const options = new Function('ACC', `return (${src});`)(acc);
      const { LocalConversationService } = globalThis.localconv;
      let p;
      try {
        p = LocalConversationService.open(options);
      } catch (e) {
        return { syncThrow: globalThis.kit.err(e) };
      }
      const out = { isPromise: p instanceof Promise, events: [], late: [] };
      try {
        out.value = typeof (await p);
      } catch (e) {
        out.error = globalThis.kit.err(e);
      }
      return out;
    }, [src, acc]);
    assertRejected(r, 191004, pattern, label);
  }
  // The constructor is not the way in.
  const ctor = await page.evaluate(() => {
    try {
      new globalThis.localconv.LocalConversationService();
      return 'constructed';
    } catch (e) {
      return e instanceof TypeError;
    }
  });
  assert.equal(ctor, true);
  // A good open still works in the same page afterwards.
  const s = await openService(page, { accountId: acc });
  assert.equal(await s.value('getTotalUnreadCount'), 0);
});

test('waitForSync: false resolves, the sync finishes in the background, the service works', async (t) => {
  const page = await env.page(t);
  const s = await openService(page, { accountId: uniqueName(), waitForSync: false });
  assert.equal(s.early[0]?.type, 'syncStarted', 'the first sync is seen through listeners');
  await page.waitForFunction(() => globalThis.kit.services.svc.__early.some((e) => e.type === 'syncFinished'), null, { timeout: 5000 });
  const early = await page.evaluate(() => globalThis.kit.services.svc.__early);
  assert.deepEqual(early, [{ type: 'syncStarted', detail: null }, { type: 'syncFinished', detail: null }]);
  const bob = s.p2p('bob');
  const r = await s.ok('applyMessages', [msg(bob, 'm1', 'bob', T)]);
  assert.deepEqual(r.value, { applied: 1, duplicates: 0 });
  assert.equal((await s.value('getConversationList', 0, 10)).conversationList[0].conversationId, bob);
  assert.equal(await s.value('getTotalUnreadCount'), 1);
});

test("two accounts in one page never see each other's data", async (t) => {
  const page = await env.isolatedPage(t);
  const a = await openService(page, { accountId: uniqueName('alice') }, 'a');
  const b = await openService(page, { accountId: uniqueName('bob') }, 'b');
  await a.ok('applyMessages', [msg(a.p2p('carol'), 'm1', 'carol', T + 1), msg(a.team('t1'), 'm2', 'dave', T + 2)]);
  await a.ok('stickTopConversation', a.team('t1'), true);
  await b.ok('applyMessages', [msg(b.p2p('carol'), 'm1', 'carol', T + 3)]);
  await b.ok('markConversationRead', b.p2p('carol'));

  const sa = await a.snapshot(), sb = await b.snapshot();
  assert.deepEqual(sa.list.map((c) => c.conversationId).sort(), [a.p2p('carol'), a.team('t1')].sort());
  assert.deepEqual(sb.list.map((c) => c.conversationId), [b.p2p('carol')]);
  assert.equal(sa.total, 2);
  assert.equal(sb.total, 0);
  assert.equal(sa.pinned.length, 1);
  assert.equal(sb.pinned.length, 0);
  // One account's ids are refused by the other, which hears nothing of them.
  assertRejected(await b.call('getConversation', a.p2p('carol')), 191004, [/conversationId/, /account/], 'b reads a');
  assertRejected(await a.call('applyMessages', [msg(b.p2p('x'), 'm9', 'x', T)]), 191004, /messages\[0\]\.conversationId/, 'a writes b');
  assert.ok((await b.log()).every((e) => JSON.stringify(e.detail ?? '').indexOf(a.accountId) < 0), "b heard of a's conversations");
  assert.ok((await a.log()).every((e) => JSON.stringify(e.detail ?? '').indexOf(b.accountId) < 0), "a heard of b's conversations");
  // Closing one leaves the other working.
  await a.ok('close');
  assert.equal(await b.value('getTotalUnreadCount'), 0);
  await b.ok('applyMessages', [msg(b.p2p('carol'), 'm2', 'carol', Date.now() + 3_600_000)]);
  assert.equal(await b.value('getTotalUnreadCount'), 1);
});

test("storage: 'memory' works and keeps nothing across a reload, and creates no database", async (t) => {
  const page = await env.isolatedPage(t);
  const acc = uniqueName();
  const s = await openService(page, { accountId: acc, storage: 'memory' });
  assert.deepEqual(s.early.map((e) => e.type), ['syncStarted', 'syncFinished']);
  await s.ok('applyMessages', [msg(s.p2p('bob'), 'm1', 'bob', T), msg(s.team('t'), 'm2', 'x', T + 1)]);
  await s.ok('stickTopConversation', s.team('t'), true);
  assert.equal((await s.snapshot()).list.length, 2);
  const dbs = async () => (await page.evaluate(() => indexedDB.databases())).map((d) => d.name);
  assert.deepEqual((await dbs()).filter((n) => n.includes(acc)), [], 'memory storage writes no IndexedDB database');

  await page.reload();
  await page.waitForFunction(() => document.title === 'ready');
  const again = await openService(page, { accountId: acc, storage: 'memory' });
  assert.deepEqual(await again.snapshot(), { list: [], total: 0, pinned: [], readTimes: {} });
  assert.deepEqual(await again.value('applyMessages', [msg(s.p2p('bob'), 'm1', 'bob', T)]), { applied: 1, duplicates: 0 },
    'not even the messages are remembered');
  const idb = await openService(page, { accountId: acc }, 'idb');
  assert.deepEqual((await idb.snapshot()).list, [], 'nothing went to the default storage either');
});

test('a closed service rejects every method with 190002', async (t) => {
  const page = await env.page(t);
  const s = await openService(page, { accountId: uniqueName() });
  const bob = s.p2p('bob');
  await s.ok('applyMessages', [msg(bob, 'm1', 'bob', T)]);
  const before = (await s.log()).length;
  const closed = await s.ok('close');
  assert.equal(closed.value, undefined);
  assert.deepEqual(closed.events, []);
  const methods = everyMethod(bob, s.p2p('zed'));
  assert.equal(methods.length, 27, 'all of docs/api.md §2, close included');
  for (const [method, ...args] of methods) {
    const r = await s.call(method, ...args);
    assertRejected(r, 190002, /closed/, `${method} after close`);
  }
  // Bad arguments too: the service is closed whatever the arguments are.
  assertRejected(await s.call('createConversation', null), 190002, /closed/, 'closed beats bad arguments');
  assert.equal((await s.log()).length, before, 'no events after close');
  // listen() still answers synchronously on a closed service, and the account can be opened again.
  const sub = await page.evaluate(() => typeof globalThis.kit.services.svc.listen({}).cancel);
  assert.equal(sub, 'function');
  const again = await openService(page, { accountId: s.accountId }, 'again');
  assertSettled(await again.call('getTotalUnreadCount'), 'reopened');
});

test('close() waits for calls already made, which then complete', async (t) => {
  const page = await env.page(t);
  const s = await openService(page, { accountId: uniqueName() });
  const out = await page.evaluate(async ([acc, T]) => {
    const svc = globalThis.kit.services.svc;
    const applied = svc.applyMessages([{ conversationId: `${acc}|1|bob`, messageClientId: 'm1', senderId: 'bob', createTime: T, messageType: 0 }]);
    const closed = svc.close();
    const after = svc.getTotalUnreadCount();
    return Promise.allSettled([applied, closed, after]).then((rs) => rs.map((r) => r.status === 'fulfilled' ? { value: r.value } : { code: r.reason.code }));
  }, [s.accountId, T]);
  assert.deepEqual(out, [{ value: { applied: 1, duplicates: 0 } }, { value: undefined }, { code: 190002 }]);
});

test('syncFailed: storage that cannot be opened fails the sync, open() resolves, the service works in memory', async (t) => {
  const page = await env.isolatedPage(t);
  const acc = uniqueName();
  // A database of the account from "newer code": IndexedDB refuses to open it at a lower version.
  await page.evaluate((name) => new Promise((resolve, reject) => {
    const r = indexedDB.open(name, 1e9);
    r.onsuccess = () => { r.result.close(); resolve(); };
    r.onerror = () => reject(r.error);
  }), `localconv-${acc}`);
  const s = await openService(page, { accountId: acc });
  assert.deepEqual(s.early.map((e) => e.type), ['syncStarted', 'syncFailed'], 'open() resolved after syncFailed');
  const failed = s.early[1].detail;
  assert.equal(failed.isLocalConvError, true, 'the detail is a LocalConvError');
  assert.equal(failed.code, 190001);
  assert.ok(failed.message.length > 0);

  const bob = s.p2p('bob');
  const r = await s.ok('applyMessages', [msg(bob, 'm1', 'bob', T)]);
  assert.deepEqual(r.value, { applied: 1, duplicates: 0 });
  assert.deepEqual(r.events.map((e) => e.type), ['conversationCreated', 'totalUnreadCountChanged']);
  await s.ok('stickTopConversation', bob, true);
  assert.equal((await s.value('getStickTopConversationList'))[0].conversationId, bob);
  assert.ok(await s.value('markConversationRead', bob) > T);
  assert.equal(await s.value('getTotalUnreadCount'), 0);
  await s.ok('close');
});
