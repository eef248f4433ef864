// A tab opened with a newer schema while older tabs are open. The
// upgrade does not hang; each old tab lets go of the database, tells its page
// with syncFailed and keeps working in memory; reloaded (still with the old
// code) it opens the upgraded database, since a newer schema only adds stores
// and indexes, and works on it again.
//
// The newer tab is simulated by a page that opens the database itself, at the
// next version, adding an index and a store in onupgradeneeded.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useBrowser, uniqueName, openPage } from './harness.mjs';
import { T, FILTERS, newTabContext, openTab, waitAgree, msg, strip, assertConsistent, PLACEMENT } from './tabs.mjs';

const env = useBrowser();

// upgrade opens the database in page at its version + 1, running change(db,
// tx) in onupgradeneeded, and keeps the connection open (as a newer tab
// would). It resolves with what happened, or {hung: true} after 5 s.
function upgrade(page, dbName, change) {
  return page.evaluate(([name, src]) => new Promise((resolve) => {
    indexedDB.databases().then((dbs) => {
      const { version } = dbs.find((d) => d.name === name);
      const t0 = performance.now();
      let blocked = false;
      const timer = setTimeout(() => resolve({ hung: true, blocked }), 5000);
      const req = indexedDB.open(name, version + 1);
      req.onblocked = () => { blocked = true; };
      req.onupgradeneeded = () => new Function('db', 'tx', src)(req.result, req.transaction);
      req.onsuccess = () => {
        clearTimeout(timer);
        globalThis.newer = req.result;
        resolve({ from: version, version: req.result.version, blocked, ms: performance.now() - t0, stores: [...req.result.objectStoreNames] });
      };
      req.onerror = () => { clearTimeout(timer); resolve({ error: String(req.error) }); };
    });
  }), [dbName, `(${change})(db, tx)`]);
}

// additive is what a newer schema may do: add an index and a store.
const additive = (db, tx) => {
  tx.objectStore('messages').createIndex('byServerId', 'messageServerId');
  db.createObjectStore('drafts', { keyPath: 'conversationId' });
};

async function expectSyncFailed(tab, from) {
  const e = await tab.waitFor('syncFailed', from, 2000);
  assert.ok(e, `tab ${tab.index} was not told (syncFailed) within 2 s that it lost the database`);
  assert.equal(e.detail.code, 190001);
  assert.match(e.detail.message, /newer version/);
  assert.match(e.detail.message, /reload/);
  return e;
}

for (const n of [1, 2]) {
  test(`a newer schema opened while ${n} older tab${n > 1 ? 's are' : ' is'} open: no hang, syncFailed, memory, and a reload with the old code works again`, async (t) => {
    const acc = uniqueName('schema');
    const dbName = `localconv-${acc}`;
    const context = await newTabContext(env, t);
    const old = [];
    for (let i = 0; i < n; i++) old.push(await openTab(env, t, context, i, { accountId: acc }));
    const x = old[0].p2p('x'), y = old[0].p2p('y');
    await old[0].ok('applyMessages', [msg(x, 'x1', 'x', T + 1), msg(x, 'x2', 'x', T + 2)]);
    await old[0].ok('stickTopConversation', x, true);
    const before = await waitAgree(old, 'before the upgrade');

    const marks = await Promise.all(old.map((tab) => tab.logLength()));
    const newer = await openPage(context, env.base);
    t.after(() => newer.close());
    const up = await upgrade(newer, dbName, additive.toString());
    assert.ok(!up.hung, `the upgrade hung (blocked: ${up.blocked})`);
    assert.equal(up.error, undefined);
    assert.equal(up.version, up.from + 1);
    assert.equal(up.blocked, false, 'the old tabs let go at once');
    assert.ok(up.stores.includes('drafts'));

    for (const [i, tab] of old.entries()) {
      await expectSyncFailed(tab, marks[i]);
      assert.deepEqual(await tab.snapshot(), before, `tab ${i} kept its list`);
    }
    // They keep working, in memory, on what they had: each on its own, or, in
    // a SharedWorker, on the one list all its tabs share.
    const shared = PLACEMENT === 'sharedWorker';
    for (const [i, tab] of old.entries()) {
      const r = await tab.ok('applyMessages', [msg(y, `y${i}`, 'y', T + 10 + i)]);
      const created = !shared || i === 0;
      assert.deepEqual(r.events.map((e) => e.type), [created ? 'conversationCreated' : 'conversationChanged',
        'totalUnreadCountChanged', 'unreadCountChangedByFilter', 'unreadCountChangedByFilter']);
      assert.equal((await tab.ok('getTotalUnreadCount')).value, shared ? 3 + i : 3);
    }

    // Reloaded with the same old code: the database is a version ahead of the
    // code's schema, but has everything the code needs, so it opens.
    const tab = old[0];
    await tab.page.reload();
    await tab.page.waitForFunction(() => document.title === 'ready');
    const opened = await tab.open({ accountId: acc });
    assert.deepEqual(strip(opened.log), [{ type: 'syncStarted', detail: null }, { type: 'syncFinished', detail: null }]);
    for (const f of FILTERS) await tab.ok('subscribeUnreadCountByFilter', f);
    assert.deepEqual(await tab.snapshot(), before, 'the database as it was before the upgrade (memory-only changes are gone)');
    await tab.ok('applyMessages', [msg(y, 'y-after', 'y', T + 20)]);
    const after = await tab.freshSnapshot();
    assertConsistent(after);
    assert.equal(after.total, 3, 'the call after the reload was stored');
    // The newer tab's additions are untouched.
    const schema = await newer.evaluate((name) => new Promise((resolve) => {
      const req = indexedDB.open(name);
      req.onsuccess = () => {
        const db = req.result;
        const tx = db.transaction(['messages'], 'readonly');
        resolve({ version: db.version, stores: [...db.objectStoreNames].sort(), indexes: [...tx.objectStore('messages').indexNames].sort() });
        db.close();
      };
    }), dbName);
    assert.deepEqual(schema, { version: up.version, stores: ['conversations', 'drafts', 'messages', 'meta', 'spill'], indexes: ['byServerId'] });

    // A tab opened fresh with the old code works alongside it, in step.
    const other = await openTab(env, t, context, 9, { accountId: acc });
    await tab.ok('markConversationRead', y);
    await waitAgree([tab, other], 'a reloaded and a new old-code tab');
  });
}

test('a newer schema opened while an old tab is in the middle of a large call: neither hangs, the call is whole or not at all', async (t) => {
  const acc = uniqueName('schemamid');
  const dbName = `localconv-${acc}`;
  const context = await newTabContext(env, t);
  const old = await openTab(env, t, context, 0, { accountId: acc });
  const mark = await old.logLength();
  const messages = Array.from({ length: 3000 }, (_, i) => msg(old.p2p(`p${i % 300}`), `m${i}`, `p${i % 300}`, T + i));
  const call = old.call('applyMessages', messages);
  const newer = await openPage(context, env.base);
  t.after(() => newer.close());
  const [r, up] = await Promise.all([
    Promise.race([call, new Promise((resolve) => setTimeout(() => resolve({ hung: true }), 10000))]),
    upgrade(newer, dbName, additive.toString()),
  ]);
  assert.ok(!r.hung, 'the old tab\'s call hung');
  assert.ok(!up.hung, 'the upgrade hung');
  assert.equal(up.version, up.from + 1);
  await expectSyncFailed(old, mark);
  // The call ran on the database if its events came before syncFailed, else
  // in memory (it reached the service after it had let go: with the module
  // in a worker, the call travels there after the page made it).
  const log = (await old.log()).slice(mark);
  const failedAt = log.findIndex((e) => e.type === 'syncFailed');
  const ranAt = log.findIndex((e) => e.type === 'conversationCreated');
  const stored = !r.error && ranAt < failedAt;
  await old.page.reload();
  await old.page.waitForFunction(() => document.title === 'ready');
  await old.open({ accountId: acc });
  const s = await old.snapshot([]);
  if (r.error) assert.equal(r.error.code, 190001, JSON.stringify(r.error));
  else assert.deepEqual(r.value, { applied: 3000, duplicates: 0 });
  if (stored) {
    assert.equal(s.list.length, 300, 'a call that ran on the database is all there');
    assert.equal(s.total, 3000);
  } else {
    assert.equal(s.list.length, 0, 'a call that failed, or ran in memory, left nothing');
  }
  t.diagnostic(`the call ${r.error ? 'failed' : stored ? 'committed' : 'ran in memory'}; the upgrade took ${up.ms.toFixed(0)} ms`);
});

test('a newer schema that took away what the old code needs: the old code says so and works in memory', async (t) => {
  const acc = uniqueName('schemabad');
  const dbName = `localconv-${acc}`;
  const context = await newTabContext(env, t);
  const old = await openTab(env, t, context, 0, { accountId: acc });
  await old.ok('applyMessages', [msg(old.p2p('x'), 'x1', 'x', T + 1)]);
  const newer = await openPage(context, env.base);
  t.after(() => newer.close());
  const up = await upgrade(newer, dbName, ((db) => { db.deleteObjectStore('spill'); }).toString());
  assert.ok(!up.hung && up.version === up.from + 1);
  await expectSyncFailed(old, 0);

  await old.page.reload();
  await old.page.waitForFunction(() => document.title === 'ready');
  const opened = await old.open({ accountId: acc });
  const failed = opened.log.find((e) => e.type === 'syncFailed');
  assert.ok(failed, 'the old code could not use the database');
  assert.equal(failed.detail.code, 190001);
  assert.match(failed.detail.message, /newer schema/);
  assert.match(failed.detail.message, /spill/, 'it names what is missing');
  const r = await old.ok('createConversation', old.p2p('z'));
  assert.equal(r.events[0].type, 'conversationCreated');
});
