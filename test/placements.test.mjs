// The same JS API and the same CustomEvents in the three placements
// open() offers — 'page' (the module in the calling context), 'worker' (a
// dedicated Worker of the page) and 'sharedWorker' (one SharedWorker for every
// tab of the origin). From the page, in each placement: every method once,
// every event type with its detail, errors as LocalConvError with their code
// and message, close → 190002. The placements must tell the very same story:
// their transcripts (results, errors, events) are compared at the end.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useBrowser, uniqueName, openPage } from './harness.mjs';
import { openService, assertConversation, assertRejected, assertSettled, msg, types } from './client.mjs';

const env = useBrowser();
// Message times a day ahead of the clock, so that marking read (read time :=
// max(now, the newest message)) gives a time the script can name.
const T = (Math.floor(Date.now() / 86_400_000) + 1) * 86_400_000;
const PLACEMENTS = ['page', 'worker', 'sharedWorker'];
const transcripts = {}; // placement → what the script saw, with its own ids and wall-clock times generalized
const errorTranscripts = {};
const openTranscripts = {};

// script is every method of docs/api.md §2 once (listen and open aside), as
// [method, args, check(result, events)]; each check names the events the call
// must dispatch (in order) and looks at their details.
function script(s) {
  const a = s.p2p('ann'), b = s.p2p('bob'), t = s.team('t1'), st = s.superTeam('s1'), nobody = s.p2p('nobody');
  const F1 = { conversationTypes: [1] };
  const F1out = { conversationTypes: [1], ignoreMuted: false };
  const filterEvent = (e, unreadCount) => assert.deepEqual(e.detail, { filter: F1out, unreadCount });
  const conv = (e, id, expected = {}) => assertConversation(e.detail, { conversationId: id, ...expected });
  const changed = (e, id, expected = {}) => {
    assert.equal(e.detail.length, 1);
    return assertConversation(e.detail[0], { conversationId: id, ...expected });
  };
  return [
    ['subscribeUnreadCountByFilter', [F1], (r, ev) => {
      assert.deepEqual(types(ev), ['unreadCountChangedByFilter']);
      filterEvent(ev[0], 0);
    }],
    ['applyMessages', [[msg(a, 'a1', 'ann', T + 1), msg(a, 'a2', 'ann', T + 2), msg(t, 't1', 'tom', T + 3, { senderName: 'Tom', attachment: { w: 1 } })]], (r, ev) => {
      assert.deepEqual(r, { applied: 3, duplicates: 0 });
      assert.deepEqual(types(ev), ['conversationCreated', 'conversationCreated', 'totalUnreadCountChanged', 'unreadCountChangedByFilter']);
      const byId = Object.fromEntries(ev.slice(0, 2).map((e) => [e.detail.conversationId, e]));
      conv(byId[a], a, { unreadCount: 2, type: 1 });
      const tc = conv(byId[t], t, { unreadCount: 1, type: 2 });
      assert.deepEqual(tc.lastMessage.attachment, { w: 1 });
      assert.equal(tc.lastMessage.senderName, 'Tom');
      assert.equal(ev[2].detail, 3);
      filterEvent(ev[3], 2);
    }],
    ['createConversation', [st], (r, ev) => {
      assertConversation(r, { conversationId: st, type: 3, lastMessage: null, unreadCount: 0 });
      assert.deepEqual(types(ev), ['conversationCreated']);
      assert.deepEqual(ev[0].detail, r);
    }],
    ['updateConversationLocalExtension', [a, '{"draft":"héllo 😀"}'], (r, ev) => {
      assert.equal(r, undefined);
      assert.deepEqual(types(ev), ['conversationChanged']);
      changed(ev[0], a, { localExtension: '{"draft":"héllo 😀"}' });
    }],
    ['stickTopConversation', [t, true], (r, ev) => {
      assert.deepEqual(types(ev), ['conversationChanged']);
      changed(ev[0], t, { stickTop: true });
    }],
    ['updateConversationInfo', [t, { name: 'Team', avatar: 'https://example.com/t.png', mute: true }], (r, ev) => {
      assert.deepEqual(types(ev), ['conversationChanged']);
      changed(ev[0], t, { name: 'Team', avatar: 'https://example.com/t.png', mute: true });
    }],
    ['getConversation', [a], (r, ev) => {
      assertConversation(r, { conversationId: a, unreadCount: 2, sortOrder: T + 2 });
      assert.equal(r.lastMessage.messageRefer.messageClientId, 'a2');
      assert.deepEqual(ev, []);
    }],
    ['getConversationList', [0, 2], (r, ev) => {
      assert.equal(r.finished, false);
      assert.deepEqual(r.conversationList.map((c) => c.conversationId), [t, a], 'pinned first, then the newest: ann\'s message is stamped after s1 was created');
      assert.equal(r.offset, r.conversationList[1].sortOrder);
      assert.deepEqual(ev, []);
    }],
    ['getConversationListByIds', [[a, nobody, t]], (r, ev) => {
      assert.deepEqual(r.map((c) => c.conversationId), [a, t]);
      assert.deepEqual(ev, []);
    }],
    ['getConversationListByOption', [0, 10, { onlyUnread: true }], (r, ev) => {
      assert.deepEqual([r.finished, r.offset], [true, 0]);
      assert.deepEqual(r.conversationList.map((c) => c.conversationId), [t, a]);
      assert.deepEqual(ev, []);
    }],
    ['getStickTopConversationList', [], (r, ev) => {
      assert.deepEqual(r.map((c) => c.conversationId), [t]);
      assert.deepEqual(ev, []);
    }],
    ['getTotalUnreadCount', [], (r) => assert.equal(r, 3)],
    ['getUnreadCountByIds', [[a, nobody]], (r) => assert.equal(r, 2)],
    ['getUnreadCountByFilter', [{ ignoreMuted: true }], (r) => assert.equal(r, 2, 'the muted team is left out')],
    ['markConversationRead', [a], (r, ev) => {
      assert.equal(r, T + 2);
      assert.deepEqual(types(ev), ['conversationChanged', 'conversationReadTimeUpdated', 'totalUnreadCountChanged', 'unreadCountChangedByFilter']);
      changed(ev[0], a, { unreadCount: 0 });
      assert.deepEqual(ev[1].detail, { conversationId: a, readTime: T + 2 });
      assert.equal(ev[2].detail, 1);
      filterEvent(ev[3], 0);
    }],
    ['getConversationReadTime', [a], (r) => assert.equal(r, T + 2)],
    ['applyReadTime', [t, T + 3], (r, ev) => {
      assert.equal(r, undefined);
      assert.deepEqual(types(ev), ['conversationChanged', 'conversationReadTimeUpdated', 'totalUnreadCountChanged']);
      changed(ev[0], t, { unreadCount: 0 });
      assert.deepEqual(ev[1].detail, { conversationId: t, readTime: T + 3 });
      assert.equal(ev[2].detail, 0);
    }],
    ['applyMessages', [[msg(a, 'a3', 'ann', T + 10), msg(a, 'a2', 'ann', T + 2), msg(t, 't2', 'tom', T + 11), msg(st, 's1', 'sue', T + 12), msg(b, 'b1', 'bob', T + 13)]], (r, ev) => {
      assert.deepEqual(r, { applied: 4, duplicates: 1 });
      assert.deepEqual(types(ev), ['conversationCreated', 'conversationChanged', 'totalUnreadCountChanged', 'unreadCountChangedByFilter']);
      conv(ev[0], b, { unreadCount: 1 });
      assert.deepEqual(ev[1].detail.map((c) => c.conversationId).sort(), [a, t, st].sort());
      assert.equal(ev[2].detail, 4);
      filterEvent(ev[3], 2);
    }],
    ['revokeMessage', [{ conversationId: a, messageClientId: 'a3' }, { revokeAccountId: 'ann', revokeType: 1 }], (r, ev) => {
      assert.deepEqual(types(ev), ['conversationChanged', 'totalUnreadCountChanged', 'unreadCountChangedByFilter']);
      const c = changed(ev[0], a, { unreadCount: 0 });
      assert.deepEqual([c.lastMessage.lastMessageState, c.lastMessage.revokeAccountId, c.lastMessage.revokeType], [1, 'ann', 1]);
      assert.equal(ev[1].detail, 3);
      filterEvent(ev[2], 1);
    }],
    ['deleteMessages', [[{ conversationId: t, messageClientId: 't2' }]], (r, ev) => {
      assert.deepEqual(types(ev), ['conversationChanged', 'totalUnreadCountChanged']);
      const c = changed(ev[0], t, { unreadCount: 0 });
      assert.equal(c.lastMessage.messageRefer.messageClientId, 't1', 'falls back to the newest remaining');
      assert.equal(ev[1].detail, 2);
    }],
    ['setCurrentConversation', [b], (r, ev) => {
      assert.deepEqual(types(ev), ['conversationChanged', 'totalUnreadCountChanged', 'unreadCountChangedByFilter']);
      changed(ev[0], b, { unreadCount: 0 });
      assert.equal(ev[1].detail, 1);
      filterEvent(ev[2], 0);
    }],
    ['setCurrentConversation', [null], (r, ev) => assert.deepEqual(ev, [])],
    ['clearUnreadCountByIds', [[st, nobody]], (r, ev) => {
      assert.equal(r.length, 2);
      assert.deepEqual(r[0], { conversationId: st });
      assert.equal(r[1].conversationId, nobody);
      assert.equal(r[1].error.code, 191004);
      assert.ok(r[1].error.message.length > 0);
      assert.deepEqual(types(ev), ['conversationChanged', 'totalUnreadCountChanged']);
      changed(ev[0], st, { unreadCount: 0 });
      assert.equal(ev[1].detail, 0);
    }],
    ['applyMessages', [[msg(t, 't3', 'tom', T + 20), msg(b, 'b2', 'bob', T + 21), msg(st, 's2', 'sue', T + 22)]], (r, ev) => {
      assert.deepEqual(r, { applied: 3, duplicates: 0 });
      assert.deepEqual(types(ev), ['conversationChanged', 'totalUnreadCountChanged', 'unreadCountChangedByFilter']);
      assert.equal(ev[1].detail, 3);
      filterEvent(ev[2], 1);
    }],
    ['clearUnreadCountByTypes', [[2]], (r, ev) => {
      assert.deepEqual(types(ev), ['conversationChanged', 'totalUnreadCountChanged']);
      changed(ev[0], t, { unreadCount: 0 });
      assert.equal(ev[1].detail, 2);
    }],
    ['clearTotalUnreadCount', [], (r, ev) => {
      assert.deepEqual(types(ev), ['conversationChanged', 'totalUnreadCountChanged', 'unreadCountChangedByFilter']);
      assert.deepEqual(ev[0].detail.map((c) => c.conversationId).sort(), [b, st].sort());
      assert.equal(ev[1].detail, 0);
      filterEvent(ev[2], 0);
    }],
    ['unsubscribeUnreadCountByFilter', [F1], (r, ev) => assert.deepEqual(ev, [])],
    ['applyMessages', [[msg(b, 'b3', 'bob', T + 30)]], (r, ev) => {
      assert.deepEqual(types(ev), ['conversationChanged', 'totalUnreadCountChanged'], 'no filter event once unsubscribed');
    }],
    ['deleteConversation', [b, true], (r, ev) => {
      assert.deepEqual(types(ev), ['conversationDeleted', 'totalUnreadCountChanged']);
      assert.deepEqual(ev[0].detail, [b]);
      assert.equal(ev[1].detail, 0);
    }],
    ['deleteConversationListByIds', [[st, nobody]], (r, ev) => {
      assert.deepEqual(r[0], { conversationId: st });
      assert.equal(r[1].error.code, 191004);
      assert.deepEqual(types(ev), ['conversationDeleted']);
      assert.deepEqual(ev[0].detail, [st]);
    }],
  ];
}

// generalize replaces what differs from run to run by design (the account,
// times taken from the clock) so that the placements' transcripts compare.
function generalize(value, acc, from, to) {
  return JSON.parse(JSON.stringify(value, (k, v) => {
    if (typeof v === 'string') return v.split(acc).join('ACC');
    if (typeof v === 'number' && v >= from && v <= to) return 'NOW';
    if (typeof v === 'number' && v >= from + 1e15 && v <= to + 1e15) return 'NOW+1e15';
    return v;
  }));
}

for (const placement of PLACEMENTS) {
  test(`${placement}: every method once and every event type with its detail, from the page`, async (t) => {
    const page = await env.page(t);
    const from = Date.now();
    const s = await openService(page, { accountId: uniqueName(placement), placement });
    // syncStarted and syncFinished reached open({listeners}) before it resolved.
    assert.deepEqual(s.early, [{ type: 'syncStarted', detail: null }, { type: 'syncFinished', detail: null }]);
    // listen(handlers) with the seed's names hears what the CustomEvents say.
    await page.evaluate(() => {
      const heard = [];
      const names = ['onConversationCreated', 'onConversationDeleted', 'onConversationChanged', 'onConversationReadTimeUpdated',
        'onTotalUnreadCountChanged', 'onUnreadCountChangedByFilter'];
      globalThis.heard = heard;
      globalThis.subscription = globalThis.kit.services.svc.listen(Object.fromEntries(names.map((n) => [n, (d) => heard.push([n, d])])));
    });

    const transcript = [];
    const seen = new Set(['syncStarted', 'syncFinished']);
    const methods = new Set();
    for (const [method, args, check] of script(s)) {
      const r = await s.ok(method, ...args);
      await check(r.value, r.events);
      assert.ok(r.events.every((e) => e.custom), `${method}: every event is a CustomEvent`);
      for (const e of r.events) seen.add(e.type);
      methods.add(method);
      transcript.push({ method, value: r.value, events: r.events });
    }
    const all = (await s.log()).filter((e) => !e.type.startsWith('sync'));
    const heard = await page.evaluate(() => { globalThis.subscription.cancel(); return globalThis.heard; });
    assert.deepEqual(heard.map(([name, d]) => ['on' + name.slice(2), d]), all.map((e) => ['on' + e.type[0].toUpperCase() + e.type.slice(1), e.detail]),
      'listen() handlers received each event\'s detail');

    // close(), and every later call is 190002.
    const closed = await s.call('close');
    assertSettled(closed, 'close');
    assert.equal(closed.error, undefined);
    methods.add('close');
    for (const [method, args] of [['getTotalUnreadCount', []], ['applyMessages', [[msg(s.p2p('x'), 'x', 'x', T)]]], ['close', []]]) {
      assertRejected(await s.call(method, ...args), 190002, /closed/, `${method} after close`);
    }
    transcript.push({ method: 'close', value: closed.value });

    assert.deepEqual([...seen].sort(), [
      'conversationChanged', 'conversationCreated', 'conversationDeleted', 'conversationReadTimeUpdated',
      'syncFinished', 'syncStarted', 'totalUnreadCountChanged', 'unreadCountChangedByFilter',
    ], 'every event type but syncFailed (the next test)');
    assert.equal(methods.size, 27, `every method of docs/api.md §2 once: ${[...methods].join(', ')}`);
    transcripts[placement] = generalize(transcript, s.accountId, from, Date.now());
  });

  test(`${placement}: syncFailed, bad input and a closed service reach the page as LocalConvError with code and message`, async (t) => {
    const page = await env.isolatedPage(t);
    const acc = uniqueName(placement);
    // A database from "newer code": the sync fails, open() still resolves, the service works in memory.
    await page.evaluate((name) => new Promise((resolve, reject) => {
      const r = indexedDB.open(name, 1e9);
      r.onsuccess = () => { r.result.close(); resolve(); };
      r.onerror = () => reject(r.error);
    }), `localconv-${acc}`);
    const s = await openService(page, { accountId: acc, placement });
    assert.deepEqual(types(s.early), ['syncStarted', 'syncFailed']);
    const failed = s.early[1].detail;
    assert.deepEqual([failed.isLocalConvError, failed.isError, failed.name, failed.code], [true, true, 'LocalConvError', 190001]);
    assert.ok(failed.message.length > 0);
    const x = s.p2p('x');
    assert.deepEqual((await s.ok('applyMessages', [msg(x, 'm1', 'x', T)])).value, { applied: 1, duplicates: 0 });

    // Rejections made by the module (across the worker boundary in the worker
    // placements) and by the wrapper itself.
    const cases = [
      ['getConversation', [s.p2p('nobody')], 191004, [/conversationId/]],
      ['getConversation', ['nobody'], 191004, [/conversationId/, /accountId\|type\|targetId/]],
      ['stickTopConversation', [x, null], 191004, [/stickTop/, /null/]],
      ['getConversationList', ['0', 10], 191004, [/offset/, /string/]],
      ['applyMessages', [[{ ...msg(x, 'm2', 'x', T), createTime: -1 }]], 191004, [/messages\[0\]\.createTime/]],
      ['deleteConversationListByIds', [[]], 191004, [/conversationIds/]],
      ['clearUnreadCountByIds', [Array.from({ length: 11 }, (_, i) => s.p2p('c' + i))], 191004, [/conversationIds/, /10/]],
      ['getConversationListByOption', [0, 10, { conversationTypes: [9] }], 191004, [/option\.conversationTypes\[0\]/]],
    ];
    const errors = [];
    for (const [method, args, code, patterns] of cases) {
      const r = await s.call(method, ...args);
      assertRejected(r, code, patterns, `${placement} ${method}(${JSON.stringify(args).slice(0, 60)})`);
      errors.push({ method, error: r.error });
    }
    // An argument the wrapper itself refuses (in the page, before any worker).
    const big = await page.evaluate(async () => {
      try {
        await globalThis.kit.services.svc.applyMessages(new Array(100_001).fill(null));
      } catch (e) {
        return globalThis.kit.err(e);
      }
    });
    assert.deepEqual([big.isLocalConvError, big.code], [true, 191004]);
    assert.match(big.message, /messages has 100001 entries/);

    // close → 190002 for every later call.
    await s.ok('close');
    assertRejected(await s.call('getConversation', x), 190002, /closed/, 'after close');
    errorTranscripts[placement] = generalize({ failed, errors, big }, acc, 0, 0);
  });
}

for (const placement of PLACEMENTS) {
  test(`${placement}: open() errors reach the page as LocalConvError — a worker or module that cannot load, bad options — and a good open() follows`, async (t) => {
    const page = await env.isolatedPage(t);
    const acc = uniqueName(placement);
    const out = await page.evaluate(async ([placement, acc]) => {
      const { LocalConversationService } = globalThis.localconv;
      const attempt = (o) => LocalConversationService.open({ placement, accountId: acc, ...o }).then(async (svc) => {
        const n = await svc.getTotalUnreadCount();
        await svc.close();
        return { opened: n };
      }, globalThis.kit.err);
      const out = {};
      // First, before anything is loaded: in the worker placements the first
      // open() of a worker loads the module its wasmUrl names.
      if (placement !== 'page') out.badWorker = await attempt({ workerUrl: `/missing/${placement}.js` });
      out.badWasm = await attempt({ wasmUrl: '/missing/localconv.wasm' });
      out.badAccount = await attempt({ accountId: 'a|b' });
      out.badStorage = await attempt({ storage: 'disk' });
      out.good = await attempt({});
      return out;
    }, [placement, acc]);
    if (placement !== 'page') {
      assert.deepEqual([out.badWorker.isLocalConvError, out.badWorker.code], [true, 190001]);
      assert.match(out.badWorker.message, /worker failed/);
      delete out.badWorker;
    }
    assert.deepEqual([out.badWasm.isLocalConvError, out.badWasm.name, out.badWasm.code], [true, 'LocalConvError', 190001]);
    assert.match(out.badWasm.message, /^localconv\.wasm could not be loaded: .*\/missing\/localconv\.wasm: HTTP 404/);
    assert.deepEqual([out.badAccount.isLocalConvError, out.badAccount.code], [true, 191004], JSON.stringify(out));
    assert.match(out.badAccount.message, /accountId "a\|b" must not contain '\|'/);
    assert.deepEqual([out.badStorage.isLocalConvError, out.badStorage.code], [true, 191004]);
    assert.match(out.badStorage.message, /storage must be "indexeddb" or "memory", got "disk"/);
    assert.deepEqual(out.good, { opened: 0 }, 'a failed load does not stick: the next open() loads the module');
    page.errors = page.errors.filter((e) => !/404/.test(e.message)); // the missing files, asked for on purpose
    openTranscripts[placement] = generalize(out, acc, 0, 0);
  });
}

test('the three placements tell the same story: equal results, errors and events', () => {
  assert.deepEqual(Object.keys(transcripts).sort(), [...PLACEMENTS].sort(), 'every placement ran its script');
  assert.deepEqual(transcripts.worker, transcripts.page, 'worker vs page');
  assert.deepEqual(transcripts.sharedWorker, transcripts.page, 'sharedWorker vs page');
  assert.deepEqual(Object.keys(errorTranscripts).sort(), [...PLACEMENTS].sort());
  assert.deepEqual(errorTranscripts.worker, errorTranscripts.page, 'worker errors vs page');
  assert.deepEqual(errorTranscripts.sharedWorker, errorTranscripts.page, 'sharedWorker errors vs page');
  assert.deepEqual(openTranscripts.worker, openTranscripts.page, 'worker open() errors vs page');
  assert.deepEqual(openTranscripts.sharedWorker, openTranscripts.page, 'sharedWorker open() errors vs page');
});

test('sharedWorker: every tab of the origin talks to one worker running one wasm instance; a closed tab leaves no service behind', async (t) => {
  const context = await env.context(t);
  const pages = [];
  for (let i = 0; i < 4; i++) pages.push(await env.page(t, context));
  const acc = uniqueName('one');
  for (const page of pages) await openService(page, { accountId: acc, placement: 'sharedWorker' });
  // Each tab asks the worker it reaches (a port of its own on the same
  // SharedWorker) for worker.js's debug stats.
  const stats = (page) => page.evaluate(() => new Promise((resolve) => {
    const worker = new SharedWorker(new URL('/js/worker.js', location.href), { type: 'module', name: 'localconv' });
    worker.port.onmessage = ({ data }) => { if (data.id !== 1) return; worker.port.close(); resolve(data.value); }; // not {alive}
    worker.port.postMessage({ id: 1, op: 'stats' });
  }));
  const seen = await Promise.all(pages.map(stats));
  for (const st of seen) {
    assert.equal(st.instances, 1, 'one wasm instance for all tabs');
    assert.equal(st.services, 4, 'a service per tab, all in that instance');
    assert.equal(st.hubs, 1, 'one cache for all tabs of the account');
    assert.ok(st.ports >= 5, `the four tabs and the asking port: ${st.ports}`);
  }
  // A change in one tab reaches the others as events (the tabs tests run in
  // this placement too: `LOCALCONV_PLACEMENT=sharedWorker`).
  const x = `${acc}|1|x`;
  await Promise.all(pages.slice(1).map((p) => p.evaluate(listenOnce, 'totalUnreadCountChanged')));
  await pages[0].evaluate((m) => globalThis.kit.services.svc.applyMessages([m]), msg(x, 'm1', 'x', T));
  assert.deepEqual(await Promise.all(pages.slice(1).map((p) => p.evaluate(() => globalThis.heardOnce))), [1, 1, 1]);
  // With one cache, the others read the change the moment the call resolved.
  assert.deepEqual(await Promise.all(pages.slice(1).map((p) => p.evaluate(() => globalThis.kit.services.svc.getTotalUnreadCount()))), [1, 1, 1]);

  // A tab that goes away, closed or crashed, has its service closed in the
  // worker (the Web Lock it held is released), and the others go on.
  const settle = async (want) => {
    let st;
    for (let i = 0; i < 50 && st?.services !== want; i++) {
      if (st) await new Promise((r) => setTimeout(r, 100));
      st = await stats(pages[0]);
    }
    return st;
  };
  await pages[3].close();
  const closed = await settle(3);
  assert.deepEqual([closed.instances, closed.services], [1, 3], 'after a tab closed');
  // close() closes the service in the worker too.
  await pages[2].evaluate(async (acc) => {
    const other = await globalThis.localconv.LocalConversationService.open({ accountId: `${acc}-other`, placement: 'sharedWorker' });
    globalThis.kit.services.other = other;
  }, acc);
  assert.equal((await stats(pages[0])).services, 4, 'a second service in one tab');
  await pages[2].evaluate(() => globalThis.kit.services.other.close());
  assert.equal((await stats(pages[0])).services, 3, 'close() closed it in the worker');
  // (A crashed tab: test/crash.test.mjs, Chromium only.) The others go on.
  await pages[1].evaluate(listenOnce, 'totalUnreadCountChanged');
  await pages[0].evaluate((m) => globalThis.kit.services.svc.applyMessages([m]), msg(x, 'm2', 'x', T + 1));
  assert.equal(await pages[1].evaluate(() => globalThis.heardOnce), 2);
});

test('worker: each page has a dedicated worker of its own, and the pages stay in step', async (t) => {
  const context = await env.context(t);
  const pages = [await env.page(t, context), await env.page(t, context)];
  const acc = uniqueName('own');
  for (const page of pages) await openService(page, { accountId: acc, placement: 'worker' });
  for (const page of pages) {
    assert.deepEqual(page.workers().map((w) => new URL(w.url()).pathname), ['/js/worker.js'], 'one worker per page');
  }
  // The two pages' workers keep each other in step (BroadcastChannel, IndexedDB).
  await pages[1].evaluate(listenOnce, 'conversationCreated');
  await pages[0].evaluate((id) => globalThis.kit.services.svc.createConversation(id), `${acc}|2|team`);
  const created = await pages[1].evaluate(() => globalThis.heardOnce);
  assert.equal(created.conversationId, `${acc}|2|team`);
});

// listenOnce (in a page) keeps the detail of the next event of type as
// globalThis.heardOnce, a Promise.
function listenOnce(type) {
  globalThis.heardOnce = new Promise((resolve) => {
    globalThis.kit.services.svc.addEventListener(type, (e) => resolve(e.detail), { once: true });
  });
}

test('under the demo\'s strict CSP (script-src \'self\' \'wasm-unsafe-eval\', no inline script), every placement opens and works', async (t) => {
  const context = await env.context(t);
  const page = await openPage(context, env.base, '/test/pages/csp.html');
  t.after(() => page.close());
  const acc = uniqueName('csp');
  const out = await page.evaluate(async (acc) => {
    const { LocalConversationService } = globalThis.localconv;
    const out = {};
    for (const placement of ['page', 'worker', 'sharedWorker']) {
      const svc = await LocalConversationService.open({ accountId: `${acc}-${placement}`, placement });
      const events = [];
      svc.addEventListener('conversationCreated', (e) => events.push(e.detail.conversationId));
      const id = `${acc}-${placement}|1|bob`;
      const applied = await svc.applyMessages([{ conversationId: id, messageClientId: 'm1', senderId: 'bob', createTime: 1, messageType: 0 }]);
      out[placement] = { applied, events, total: await svc.getTotalUnreadCount() };
      await svc.close();
    }
    // The policy is in force: eval is refused (from a task of the page's own).
    out.evalRefused = await new Promise((resolve) => setTimeout(() => {
      try { (0, eval)('1'); resolve(false); } catch (e) { resolve(e instanceof EvalError); }
    }, 0));
    await new Promise((resolve) => setTimeout(resolve, 100));
    out.violations = globalThis.cspViolations.filter((v) => !v.startsWith('script-src eval'));
    return out;
  }, acc);
  for (const placement of PLACEMENTS) {
    assert.deepEqual(out[placement], { applied: { applied: 1, duplicates: 0 }, events: [`${acc}-${placement}|1|bob`], total: 1 }, placement);
  }
  assert.equal(out.evalRefused, true, 'the page\'s CSP refuses eval');
  assert.deepEqual(out.violations, [], 'no CSP violation but the eval tried on purpose');
  assert.deepEqual(page.errors.filter((e) => !/Content Security Policy/.test(e.message)), []);
});
