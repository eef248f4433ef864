// docs/api.md §4: every event type with its detail, one call's events in order and
// before its Promise resolves, listen(handlers) with the seed's names.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useBrowser, uniqueName } from './harness.mjs';
import { openService, assertConversation, msg, types } from './client.mjs';

const env = useBrowser();
const T = 1_700_000_000_000;

const ORDER = [
  'conversationCreated', 'conversationDeleted', 'conversationChanged', 'conversationReadTimeUpdated',
  'totalUnreadCountChanged', 'unreadCountChangedByFilter',
];
// assertOrdered checks a call's event types follow docs/api.md §4's order.
function assertOrdered(events) {
  const ranks = types(events).map((type) => ORDER.indexOf(type));
  assert.ok(ranks.every((r) => r >= 0), `unexpected event types ${types(events)}`);
  assert.deepEqual(ranks, [...ranks].sort((a, b) => a - b), `out of order: ${types(events)}`);
}

async function open(t, options = {}) {
  const page = await env.page(t);
  return openService(page, { accountId: uniqueName(), ...options });
}

test('syncStarted and syncFinished reach open({listeners}) before open() resolves', async (t) => {
  const s = await open(t);
  assert.deepEqual(s.early, [{ type: 'syncStarted', detail: null }, { type: 'syncFinished', detail: null }]);
  // They are CustomEvents on the service too, and are not repeated.
  const page = s.page;
  const seen = await page.evaluate(async (acc) => {
    const { LocalConversationService } = globalThis.localconv;
    const seen = [];
    const svc = await LocalConversationService.open({
      accountId: acc, storage: 'memory',
      listeners: { onSyncStarted(d) { seen.push(['started', d, arguments.length]); }, onSyncFinished(d) { seen.push(['finished', d]); } },
    });
    seen.push(['resolved', svc instanceof EventTarget, svc instanceof LocalConversationService]);
    await svc.getTotalUnreadCount();
    return seen;
  }, uniqueName());
  assert.deepEqual(seen, [['started', null, 1], ['finished', null], ['resolved', true, true]]);
  assert.deepEqual(await s.log(), [], 'the first service heard nothing after its sync');
});

test('one call\'s events come in the documented order, created conversations only as conversationCreated', async (t) => {
  const s = await open(t);
  const [a, b, c] = ['a', 'b', 'c'].map((x) => s.p2p(x));
  const team = s.team('t1');
  await s.ok('applyMessages', [msg(a, 'a1', 'a', T + 1)]);
  await s.ok('createConversation', team);
  await s.ok('subscribeUnreadCountByFilter', { conversationTypes: [1] });
  await s.ok('subscribeUnreadCountByFilter', { ignoreMuted: true });
  await s.ok('subscribeUnreadCountByFilter', { conversationTypes: [3] });

  // Two new conversations (b with two messages), one changed (a), one untouched (team).
  const r = await s.ok('applyMessages', [
    msg(b, 'b1', 'b', T + 2), msg(a, 'a2', 'a', T + 3), msg(c, 'c1', 'c', T + 4), msg(b, 'b2', 'b', T + 5),
  ]);
  assert.deepEqual(types(r.events), [
    'conversationCreated', 'conversationCreated', 'conversationChanged', 'totalUnreadCountChanged',
    'unreadCountChangedByFilter', 'unreadCountChangedByFilter',
  ]);
  assertOrdered(r.events);
  const now = Object.fromEntries(
    (await s.value('getConversationListByIds', [a, b, c])).map((x) => [x.conversationId, x]));
  const created = r.events.filter((e) => e.type === 'conversationCreated').map((e) => e.detail);
  assert.deepEqual(created.map((x) => x.conversationId).sort(), [b, c].sort());
  for (const x of created) assert.deepEqual(x, now[x.conversationId], 'created with its final state');
  assertConversation(now[b], { unreadCount: 2 });
  assert.equal(now[b].lastMessage.messageRefer.messageClientId, 'b2');
  assert.deepEqual(r.events[2].detail, [now[a]], 'only the existing conversation that changed');
  assert.equal(r.events[3].detail, 5);
  assert.deepEqual(r.events.slice(4).map((e) => e.detail), [
    { filter: { conversationTypes: [1], ignoreMuted: false }, unreadCount: 5 },
    { filter: { conversationTypes: [], ignoreMuted: true }, unreadCount: 5 },
  ], 'one per subscribed filter whose count changed, none for the super-team filter');
  assert.ok(r.events.every((e) => e.custom), 'CustomEvents');

  // Deleting: conversationDeleted, then the counts.
  const d = await s.ok('deleteConversationListByIds', [c, team]);
  assert.deepEqual(types(d.events), ['conversationDeleted', 'totalUnreadCountChanged', 'unreadCountChangedByFilter', 'unreadCountChangedByFilter']);
  assert.deepEqual(d.events[0].detail, [c, team]);
  assert.equal(d.events[1].detail, 4);

  // Marking read: changed, read time, counts.
  const m = await s.ok('markConversationRead', b);
  assert.deepEqual(types(m.events), ['conversationChanged', 'conversationReadTimeUpdated', 'totalUnreadCountChanged', 'unreadCountChangedByFilter', 'unreadCountChangedByFilter']);
  assert.deepEqual(m.events[1].detail, { conversationId: b, readTime: m.value });
});

test('every event of a call is dispatched before its Promise resolves', async (t) => {
  const s = await open(t);
  // A listener notes, for each event, whether the call's Promise had resolved.
  const seen = await s.page.evaluate(async ([acc, T]) => {
    const svc = globalThis.kit.services.svc;
    let resolved = false;
    const seen = [];
    for (const type of globalThis.kit.EVENTS) svc.addEventListener(type, () => seen.push([type, resolved]));
    const run = async (call) => {
      resolved = false;
      await call().then(() => { resolved = true; });
      await new Promise((r) => setTimeout(r, 20));
    };
    const bob = `${acc}|1|bob`;
    await run(() => svc.subscribeUnreadCountByFilter({ conversationTypes: [1] }));
    await run(() => svc.createConversation(bob));
    await run(() => svc.applyMessages([{ conversationId: bob, messageClientId: 'm1', senderId: 'bob', createTime: T, messageType: 0 }]));
    await run(() => svc.markConversationRead(bob));
    await run(() => svc.applyReadTime(bob, Date.now() + 3_600_000)); // later than the marking
    await run(() => svc.updateConversationLocalExtension(bob, 'x'));
    await run(() => svc.deleteConversation(bob));
    return seen;
  }, [s.accountId, T]);
  assert.deepEqual(seen.map(([type]) => type), [
    'unreadCountChangedByFilter',
    'conversationCreated',
    'conversationChanged', 'totalUnreadCountChanged', 'unreadCountChangedByFilter',
    'conversationChanged', 'conversationReadTimeUpdated', 'totalUnreadCountChanged', 'unreadCountChangedByFilter',
    'conversationReadTimeUpdated',
    'conversationChanged',
    'conversationDeleted',
  ]);
  assert.deepEqual(seen.filter(([, resolved]) => resolved), [], 'no event after its call resolved');
});

test('a call that changes nothing emits nothing', async (t) => {
  const s = await open(t);
  const bob = s.p2p('bob');
  await s.ok('applyMessages', [msg(bob, 'm1', 'bob', T + 1)]);
  await s.ok('updateConversationLocalExtension', bob, 'x');
  await s.ok('stickTopConversation', bob, true);
  await s.ok('markConversationRead', bob);
  await s.ok('subscribeUnreadCountByFilter', { conversationTypes: [1] });
  const calls = [
    ['createConversation', bob], ['updateConversationLocalExtension', bob, 'x'], ['stickTopConversation', bob, true],
    ['applyReadTime', bob, T], ['clearTotalUnreadCount'], ['clearUnreadCountByIds', [bob]],
    ['clearUnreadCountByTypes', [1, 2, 3]], ['applyMessages', [msg(bob, 'm1', 'bob', T + 1)]],
    ['updateConversationInfo', bob, {}], ['subscribeUnreadCountByFilter', { conversationTypes: [1] }],
    ['unsubscribeUnreadCountByFilter', { conversationTypes: [2] }], ['deleteMessages', [{ conversationId: bob, messageClientId: 'none' }]],
    ['setCurrentConversation', null], ['getConversation', bob], ['getConversationList', 0, 10],
    ['getConversationListByIds', [bob]], ['getConversationListByOption', 0, 10, { onlyUnread: true }],
    ['getStickTopConversationList'], ['getTotalUnreadCount'], ['getUnreadCountByIds', [bob]],
    ['getUnreadCountByFilter', { ignoreMuted: true }], ['getConversationReadTime', bob],
  ];
  // The clears mark read again, which moves a read time to now and nothing
  // else: no event (a read time is not part of a Conversation) and every
  // other part of the state as it was. markConversationRead is not among
  // them: its moved read time is announced (see the ordering test above).
  const before = await s.snapshot();
  for (const [method, ...args] of calls) {
    const r = await s.ok(method, ...args);
    assert.deepEqual(r.events, [], `${method} emitted ${types(r.events)}`);
  }
  const after = await s.snapshot();
  assert.deepEqual({ ...after, readTimes: null }, { ...before, readTimes: null });
  assert.ok(after.readTimes[bob] >= before.readTimes[bob], 'a read time only moves forward');
});

test('listen(handlers): the seed\'s handler names receive each event\'s detail; cancel() stops them', async (t) => {
  const s = await open(t);
  const out = await s.page.evaluate(async ([acc, T]) => {
    const svc = globalThis.kit.services.svc;
    const got = [];
    const names = ['onConversationCreated', 'onConversationDeleted', 'onConversationChanged', 'onTotalUnreadCountChanged',
      'onUnreadCountChangedByFilter', 'onConversationReadTimeUpdated', 'onSyncStarted', 'onSyncFinished', 'onSyncFailed'];
    const handlers = { tag: 'mine' };
    for (const n of names) handlers[n] = function (detail) { got.push([n, detail, this === handlers, arguments.length]); };
    const sub = svc.listen(handlers);
    const other = [];
    // Seed-style listener classes: methods on the prototype count, `this` is the instance.
    class Listener { constructor() { this.n = 0; } onConversationChanged(list) { other.push(list.length + this.n); } }
    const sub2 = svc.listen(new Listener());
    const bob = `${acc}|1|bob`;
    await svc.subscribeUnreadCountByFilter({ conversationTypes: [1] });
    await svc.createConversation(bob);
    await svc.applyMessages([{ conversationId: bob, messageClientId: 'm1', senderId: 'bob', createTime: T, messageType: 0 }]);
    await svc.markConversationRead(bob);
    await svc.deleteConversation(bob);
    const before = got.length;
    sub.cancel();
    sub.cancel(); // twice is fine
    await svc.createConversation(bob);
    await svc.updateConversationLocalExtension(bob, 'y');
    sub2.cancel();
    await svc.updateConversationLocalExtension(bob, 'z');
    return { got, before, other, keys: Object.keys(sub) };
  }, [s.accountId, T]);
  const bob = s.p2p('bob');
  assert.equal(out.got.length, out.before, 'nothing after cancel()');
  assert.deepEqual(out.keys, ['cancel']);
  const [created, changed, total, filter, changed2, readTime, total2, filter2, deleted] = out.got.slice(1);
  assert.deepEqual(out.got.map(([n]) => n), [
    'onUnreadCountChangedByFilter', 'onConversationCreated', 'onConversationChanged', 'onTotalUnreadCountChanged',
    'onUnreadCountChangedByFilter', 'onConversationChanged', 'onConversationReadTimeUpdated', 'onTotalUnreadCountChanged',
    'onUnreadCountChangedByFilter', 'onConversationDeleted',
  ]);
  assert.ok(out.got.every(([, , self, n]) => self && n === 1), 'called on the handlers object with one argument');
  assert.deepEqual(out.got[0][1], { filter: { conversationTypes: [1], ignoreMuted: false }, unreadCount: 0 });
  assertConversation(created[1], { conversationId: bob, unreadCount: 0 });
  assert.equal(changed[1].length, 1);
  assertConversation(changed[1][0], { conversationId: bob, unreadCount: 1 });
  assert.equal(total[1], 1);
  assert.deepEqual(filter[1], { filter: { conversationTypes: [1], ignoreMuted: false }, unreadCount: 1 });
  assertConversation(changed2[1][0], { unreadCount: 0 });
  assert.equal(readTime[1].conversationId, bob);
  assert.ok(readTime[1].readTime > T, 'marked at the time of the call');
  assert.equal(total2[1], 0);
  assert.equal(filter2[1].unreadCount, 0);
  assert.deepEqual(deleted[1], [bob]);
  assert.deepEqual(out.other, [1, 1, 1], 'a second subscription is independent of the first');
});

test('listen() with a non-object, an unknown name or a non-function throws LocalConvError 191004 synchronously', async (t) => {
  const s = await open(t);
  const out = await s.page.evaluate(async (acc) => {
    const svc = globalThis.kit.services.svc;
    const tries = {
      null: () => svc.listen(null),
      undefined: () => svc.listen(),
      number: () => svc.listen(42),
      string: () => svc.listen('onConversationChanged'),
      function: () => svc.listen(() => {}),
      unknownName: () => svc.listen({ onConversationChanged() {}, onSomethingElse() {} }),
      notAFunction: () => svc.listen({ onConversationChanged: 'nope' }),
    };
    const out = {};
    for (const [k, fn] of Object.entries(tries)) {
      try {
        const r = fn();
        out[k] = { returned: typeof r };
      } catch (e) {
        out[k] = globalThis.kit.err(e);
      }
    }
    // A refused listen() registers nothing, not even its valid handlers.
    await svc.createConversation(`${acc}|1|bob`);
    await svc.updateConversationLocalExtension(`${acc}|1|bob`, 'x');
    return out;
  }, s.accountId);
  for (const [k, e] of Object.entries(out)) {
    assert.equal(e.isLocalConvError, true, `listen(${k}): ${JSON.stringify(e)}`);
    assert.equal(e.name, 'LocalConvError');
    assert.equal(e.code, 191004, k);
    assert.match(e.message, /handlers|handler/, k);
  }
  assert.match(out.unknownName.message, /onSomethingElse/);
  assert.match(out.notAFunction.message, /onConversationChanged/);
  // The recorder saw the two calls' events; nothing else ran (a stray handler would have thrown).
  assert.deepEqual(types(await s.log()), ['conversationCreated', 'conversationChanged']);
  assert.deepEqual(s.page.errors, []);
});

test('addEventListener / removeEventListener work as on any EventTarget', async (t) => {
  const s = await open(t);
  const out = await s.page.evaluate(async (acc) => {
    const svc = globalThis.kit.services.svc;
    const seen = [];
    const fn = (e) => seen.push([e.type, e instanceof CustomEvent, e.target === svc, e.detail.conversationId]);
    svc.addEventListener('conversationCreated', fn);
    svc.addEventListener('conversationCreated', (e) => seen.push(['once', e.detail.conversationId]), { once: true });
    await svc.createConversation(`${acc}|1|a`);
    svc.removeEventListener('conversationCreated', fn);
    await svc.createConversation(`${acc}|1|b`);
    return seen;
  }, s.accountId);
  assert.deepEqual(out, [['conversationCreated', true, true, s.p2p('a')], ['once', s.p2p('a')]]);
});

test('a listener that throws does not break the call, the other listeners or the service', async (t) => {
  const s = await open(t);
  const out = await s.page.evaluate(async (acc) => {
    const svc = globalThis.kit.services.svc;
    const seen = [];
    svc.addEventListener('conversationCreated', () => { throw new Error('listener bug'); });
    svc.listen({ onConversationCreated() { throw new Error('handler bug'); } });
    svc.addEventListener('conversationCreated', (e) => seen.push(e.detail.conversationId));
    const created = await svc.createConversation(`${acc}|1|bob`);
    const total = await svc.getTotalUnreadCount();
    return { seen, created: created.conversationId, total };
  }, s.accountId);
  assert.deepEqual(out, { seen: [s.p2p('bob')], created: s.p2p('bob'), total: 0 });
  assert.deepEqual(types(await s.log()), ['conversationCreated']);
  // The two throws are reported as the page's uncaught errors, and nothing else is.
  for (let i = 0; i < 100 && s.page.errors.length < 2; i++) await new Promise((r) => setTimeout(r, 20));
  assert.deepEqual(s.page.errors.map((e) => e.message).sort(), ['handler bug', 'listener bug']);
  s.page.errors.length = 0;
});
