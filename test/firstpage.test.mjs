// The first page before the module has loaded (js/firstpage.js): after a
// close, open({waitForSync: false}) resolves from the page the module kept,
// before the module has even been fetched, and serves getConversationList(0, n)
// from it exactly as the module would; anything else waits for the module;
// a change, another account or no database means no early page.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useBrowser, uniqueName } from './harness.mjs';
import { openService, msg } from './client.mjs';

const env = useBrowser();
const T = 1_700_000_000_000;

// holdModule makes the page's fetch of localconv.wasm wait until
// releaseModule(): the wrapper must answer with the module not yet there.
function holdModule() {
  const fetch = globalThis.fetch;
  let release;
  const gate = new Promise((r) => { release = r; });
  globalThis.releaseModule = release;
  globalThis.fetch = async (url, ...rest) => {
    if (String(url).includes('.wasm')) await gate;
    return fetch(url, ...rest);
  };
}

// fill stores 150 conversations (a tie across the 100th place, a pin, a
// read mark) and closes, which keeps the first page.
async function fill(page, accountId) {
  const s = await openService(page, { accountId }, 'filler');
  const msgs = [];
  for (let i = 0; i < 150; i++) {
    const at = i >= 40 && i < 55 ? T + 55 : T + i;
    msgs.push(msg(s.p2p(`u${String(i).padStart(3, '0')}`), `m${i}`, `u${String(i).padStart(3, '0')}`, at));
  }
  msgs.push(msg(s.team('t1'), 'tm', 'bob', T + 300));
  await s.ok('applyMessages', msgs);
  await s.ok('stickTopConversation', s.p2p('u007'), true);
  await s.ok('clearUnreadCountByTypes', [2]);
  await s.ok('close');
  return s;
}

// openHeld opens with the module held back and reports whether open resolved
// within ms, and the events seen by then.
async function openHeld(page, options, ms = 400) {
  return page.evaluate(async ([options, ms]) => {
    const events = [];
    const listeners = { onSyncStarted: () => events.push('syncStarted'), onSyncFinished: () => events.push('syncFinished') };
    const opening = globalThis.localconv.LocalConversationService.open({ ...options, listeners });
    globalThis.opening = opening;
    globalThis.openEvents = events;
    const r = await Promise.race([opening.then(() => 'resolved', (e) => `rejected ${e.code}`), new Promise((res) => setTimeout(() => res('pending'), ms))]);
    return { state: r, events: events.slice() };
  }, [options, ms]);
}

test('after a close, waitForSync: false resolves from the kept first page before the module is fetched, and serves it as the module does', async (t) => {
  const page = await env.isolatedPage(t);
  const accountId = uniqueName();
  await fill(page, accountId);
  await page.reload();
  await page.evaluate(holdModule);
  const opened = await openHeld(page, { accountId, waitForSync: false });
  assert.deepEqual(opened, { state: 'resolved', events: [] }, 'resolved with the module held back, before any sync event');

  const early = await page.evaluate(async () => {
    const svc = await globalThis.opening;
    globalThis.svc = svc;
    const pages = {};
    for (const limit of [1, 7, 96, 97, 100, 151, 152]) {
      let settled = false;
      const p = svc.getConversationList(0, limit).then((v) => { settled = true; return v; });
      await new Promise((r) => setTimeout(r, 20));
      pages[limit] = settled ? await p : 'waits';
      globalThis[`pending${limit}`] = p;
    }
    let totalSettled = false;
    globalThis.pendingTotal = svc.getTotalUnreadCount().then((v) => { totalSettled = true; return v; });
    await new Promise((r) => setTimeout(r, 50));
    return { pages, totalSettled, events: globalThis.openEvents.slice() };
  });
  for (const limit of [1, 7, 96, 97, 100]) assert.equal(typeof early.pages[limit], 'object', `getConversationList(0, ${limit}) is served`);
  assert.equal(early.pages[151], 'waits', 'a page past the kept one, with more after it, waits for the module');
  assert.equal(early.pages[152], 'waits');
  assert.equal(early.totalSettled, false, 'any other call waits for the module');
  assert.deepEqual(early.events, [], 'no event before the module');

  const late = await page.evaluate(async () => {
    globalThis.releaseModule();
    // Answered by the module (while it syncs, from what it loaded so far).
    const waited = [typeof (await globalThis.pendingTotal), typeof (await globalThis.pending151)];
    await new Promise((r) => { const w = () => (globalThis.openEvents.includes('syncFinished') ? r() : setTimeout(w, 10)); w(); });
    const svc = globalThis.svc;
    const pages = {};
    for (const limit of [1, 7, 96, 97, 100]) pages[limit] = await svc.getConversationList(0, limit);
    return { waited, total: await svc.getTotalUnreadCount(), full: await svc.getConversationList(0, 200), pages, events: globalThis.openEvents.slice() };
  });
  assert.deepEqual(late.events, ['syncStarted', 'syncFinished']);
  assert.deepEqual(late.waited, ['number', 'object'], 'the calls that waited are answered by the module');
  assert.equal(late.total, 150);
  assert.equal(late.full.conversationList.length, 151);
  for (const limit of [1, 7, 96, 97, 100]) {
    const [e, m] = [early.pages[limit], late.pages[limit]];
    assert.deepEqual(e.conversationList, m.conversationList, `limit ${limit}: the same conversations as the module`);
    assert.equal(e.finished, m.finished);
    assert.equal(e.offset, m.offset, `limit ${limit}: the offset the module hands out`);
    assert.equal(e.conversationList.length, limit);
  }
  // Each early offset, given to the module, goes on exactly after its page,
  // inside a tie too (96 to 99 end inside the tie at places 96 to 111): the
  // module remembers the kept page's offsets as its own.
  const full = late.full.conversationList.map((c) => c.conversationId);
  for (const limit of [7, 96, 97, 100]) {
    const next = await page.evaluate(([off]) => globalThis.svc.getConversationList(off, 200), [early.pages[limit].offset]);
    assert.deepEqual(next.conversationList.map((c) => c.conversationId), full.slice(limit), `after ${limit}: the rest of the list`);
  }
});

test('a change since the close, a call that changes something, another account or no database: no early page', async (t) => {
  const page = await env.isolatedPage(t);
  const accountId = uniqueName();
  const s = await fill(page, accountId);
  // Reopened and changed without a close (the page just goes away): the kept
  // page is stale and gone, and open waits for the module.
  await page.reload();
  const again = await openService(page, { accountId }, 'again');
  await again.ok('revokeMessage', { conversationId: again.team('t1'), messageClientId: 'tm' }, { revokeAccountId: 'bob', postscript: 'gone' });
  const kept = await page.evaluate(async ([db]) => new Promise((resolve) => {
    const req = indexedDB.open(db);
    req.onsuccess = () => {
      const r = req.result.transaction('meta').objectStore('meta').getAllKeys();
      r.onsuccess = () => { req.result.close(); resolve(r.result); };
    };
  }), [`localconv-${accountId}`]);
  assert.ok(!kept.includes('firstPage'), `the change took the kept page with it (the revoked text with it): ${kept}`);
  await page.reload();
  await page.evaluate(holdModule);
  assert.equal((await openHeld(page, { accountId, waitForSync: false })).state, 'pending', 'a stale page is not served');
  await page.evaluate(() => globalThis.releaseModule());
  const svc = await page.evaluate(async () => {
    const svc = await globalThis.opening;
    const list = (await svc.getConversationList(0, 2)).conversationList;
    await svc.close();
    return { lastText: list.find((c) => c.type === 2).lastMessage.text };
  });
  assert.equal(svc.lastText, 'gone', 'the module answers, with the revoke');

  // Closed again, the page is kept again; a change made before the module is
  // ready ends the early answers: the next page includes it.
  await page.reload();
  await page.evaluate(holdModule);
  assert.equal((await openHeld(page, { accountId, waitForSync: false })).state, 'resolved');
  const afterChange = await page.evaluate(async ([id]) => {
    const svc = await globalThis.opening;
    const ids = (page) => page.conversationList.map((c) => c.conversationId);
    const before = ids(await svc.getConversationList(0, 3));
    const applied = svc.applyMessages([{ conversationId: id, messageClientId: 'new', senderId: 'zed', createTime: 1_700_000_100_000, messageType: 0, text: 'new' }]);
    let served = false;
    const after = svc.getConversationList(0, 3).then(() => { served = true; });
    await new Promise((r) => setTimeout(r, 100));
    const servedEarly = served;
    globalThis.releaseModule();
    await applied;
    await after;
    const page = await svc.getConversationList(0, 3);
    await svc.close();
    return { before, servedEarly, after: ids(page) };
  }, [s.p2p('zed')]);
  assert.ok(!afterChange.before.includes(s.p2p('zed')));
  assert.equal(afterChange.servedEarly, false, 'after a change, the kept page is not served: the module answers');
  assert.ok(afterChange.after.includes(s.p2p('zed')));

  // Another account naming this database is refused as before, never served.
  await page.reload();
  await page.evaluate(holdModule);
  const other = await openHeld(page, { accountId: uniqueName('other'), dbName: `localconv-${accountId}`, waitForSync: false });
  assert.equal(other.state, 'pending', 'nothing served to another account');
  await page.evaluate(() => globalThis.releaseModule());
  const refused = await page.evaluate(() => globalThis.opening.then(() => 'opened', (e) => e.code));
  assert.equal(refused, 191004);

  // No database: reading the page makes none (the module then creates it at
  // its own version), and the service works.
  await page.reload();
  const fresh = uniqueName('fresh');
  await page.evaluate(holdModule);
  assert.equal((await openHeld(page, { accountId: fresh, waitForSync: false }, 200)).state, 'pending');
  // (WebKit lists the aborted one at version 0, which a later open upgrades
  // from as from nothing.)
  const dbs = await page.evaluate(async ([name]) => (await indexedDB.databases()).filter((d) => d.name === name && d.version > 0), [`localconv-${fresh}`]);
  assert.deepEqual(dbs, [], 'no database made by the read');
  const works = await page.evaluate(async ([id]) => {
    globalThis.releaseModule();
    const svc = await globalThis.opening;
    await svc.applyMessages([{ conversationId: id, messageClientId: 'a', senderId: 'amy', createTime: 1_700_000_000_001, messageType: 0 }]);
    return svc.getTotalUnreadCount();
  }, [`${fresh}|1|amy`]);
  assert.equal(works, 1);
});

test('in a worker placement the early page is the module\'s page too', async (t) => {
  const page = await env.isolatedPage(t);
  const accountId = uniqueName();
  await fill(page, accountId);
  await page.reload();
  const r = await page.evaluate(async ([accountId]) => {
    let synced;
    const finished = new Promise((r) => { synced = r; });
    const svc = await globalThis.localconv.LocalConversationService.open({ accountId, placement: 'worker', waitForSync: false, listeners: { onSyncFinished: synced } });
    const early = await svc.getConversationList(0, 100);
    await finished;
    const late = await svc.getConversationList(0, 100);
    await svc.close();
    return { early, late };
  }, [accountId]);
  assert.deepEqual(r.early.conversationList, r.late.conversationList);
});
