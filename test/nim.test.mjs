// localconv/nim, the NIM Web SDK's V2NIMLocalConversationService shape: one
// test per rule of the official samples' usage, each from the same fixture, in
// each placement; the synchronous reads fresh after every mutating call (here
// and from another tab); its declarations checked with tsc. attachToNIM, on a
// real SDK instance, is test/nim-attach.test.mjs's.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { useBrowser, uniqueName, root } from './harness.mjs';

const env = useBrowser();
const T = 1_700_000_000_000;
const PLACEMENTS = ['page', 'worker', 'sharedWorker'];

// openNim opens the compat entry point in the page as globalThis.nims[name]
// and records every handler call (arguments JSON-cloned; a filter's equals
// is tried on a few filters, as a handler would).
async function openNim(page, options, name = 'nim') {
  return page.evaluate(async ([n, o]) => {
    const m = await import('/js/nim.js');
    globalThis.nimModule = m;
    globalThis.nims ??= {};
    const log = [];
    const early = [];
    const nim = await m.open({
      ...o,
      listeners: { onSyncStarted() { early.push('onSyncStarted'); }, onSyncFinished() { early.push('onSyncFinished'); } },
    });
    globalThis.nims[n] = { nim, log, early };
    return { early, keys: Object.keys(nim).sort(), frozen: Object.isFrozen(nim) };
  }, [name, options]);
}

test('the enums under the SDK names, V2NIMConst, V2NIMError and open()\'s shape', async (t) => {
  const page = await env.page(t);
  const r = await page.evaluate(async (accountId) => {
    const m = await import('/js/nim.js');
    const out = {
      exports: Object.keys(m).sort(),
      p2p: m.V2NIMConversationType.V2NIM_CONVERSATION_TYPE_P2P,
      team: m.V2NIMConst.V2NIMConversationType.V2NIM_CONVERSATION_TYPE_TEAM,
      superTeam: m.V2NIMConversationType.V2NIM_CONVERSATION_TYPE_SUPER_TEAM,
      unknown: m.V2NIMConversationType.V2NIM_CONVERSATION_TYPE_UNKNOWN,
      reverse: m.V2NIMConversationType[2],
      states: [m.V2NIMLastMessageState.V2NIM_MESSAGE_STATUS_DEFAULT, m.V2NIMLastMessageState.V2NIM_MESSAGE_STATUS_REVOKE, m.V2NIMLastMessageState.V2NIM_MESSAGE_STATUS_BACKFILL],
      types: [m.V2NIMMessageType.V2NIM_MESSAGE_TYPE_INVALID, m.V2NIMMessageType.V2NIM_MESSAGE_TYPE_TEXT, m.V2NIMMessageType.V2NIM_MESSAGE_TYPE_TIPS, m.V2NIMMessageType.V2NIM_MESSAGE_TYPE_CUSTOM],
      sending: m.V2NIMMessageSendingState.V2NIM_MESSAGE_SENDING_STATE_SENDING,
      revoke: m.V2NIMMessageRevokeType.V2NIM_MESSAGE_REVOKE_TYPE_TEAM_ONEWAY,
      frozen: Object.isFrozen(m.V2NIMConversationType) && Object.isFrozen(m.V2NIMConst),
      constKeys: Object.keys(m.V2NIMConst).sort(),
    };
    const err = (e) => ({ ctor: e.constructor.name, name: e.name, isError: e instanceof Error, isV2: e instanceof m.V2NIMError, code: e.code, desc: e.desc, message: e.message, detail: Object.keys(e.detail).sort(), raw: e.detail.rawError?.name });
    try { await m.open({}); } catch (e) { out.noAccount = err(e); }
    try { await m.open({ accountId, listeners: { onConversationChange() {} } }); } catch (e) { out.misspelt = err(e); }
    const nim = await m.open({ accountId, storage: 'memory' });
    out.keys = Object.keys(nim).sort();
    try { nim.V2NIMLocalConversationService.on('onTotalUnreadCount', () => {}); } catch (e) { out.badOn = err(e); }
    try { nim.V2NIMConversationIdUtil.p2pConversationId(''); } catch (e) { out.badId = err(e); }
    try { await nim.V2NIMLocalConversationService.getConversation(`${accountId}|1|nobody`); } catch (e) { out.missing = err(e); }
    try { new m.V2NIMLocalConversationService(); } catch (e) { out.ctor = e.constructor.name; }
    // A handler that throws is reported, and the handlers after it still run.
    const s = nim.V2NIMLocalConversationService;
    const heard = [];
    const reported = new Promise((resolve) => {
      globalThis.addEventListener('error', (e) => { e.preventDefault(); resolve(e.error?.message); }, { once: true });
    });
    s.on('onConversationCreated', () => { throw new Error('handler bug'); });
    s.on('onConversationCreated', function (c) { heard.push([c.conversationId, this === s]); });
    await s.createConversation(nim.V2NIMConversationIdUtil.p2pConversationId('bob'));
    out.isolation = { heard, reported: await reported };
    await nim.V2NIMLocalConversationService.close();
    try { await nim.V2NIMLocalConversationService.getConversationList(0, 10); } catch (e) { out.closed = err(e); }
    return out;
  }, uniqueName());
  assert.deepEqual(r.exports, ['V2NIMConst', 'V2NIMConversationType', 'V2NIMError', 'V2NIMLastMessageState', 'V2NIMLocalConversationService',
    'V2NIMMessageRevokeType', 'V2NIMMessageSendingState', 'V2NIMMessageType', 'attachToNIM', 'open']);
  assert.deepEqual([r.unknown, r.p2p, r.team, r.superTeam], [0, 1, 2, 3]);
  assert.equal(r.reverse, 'V2NIM_CONVERSATION_TYPE_TEAM', 'a TypeScript enum maps values back to names');
  assert.deepEqual(r.states, [0, 1, 2]);
  assert.deepEqual(r.types, [-1, 0, 10, 100]);
  assert.equal(r.sending, 3);
  assert.equal(r.revoke, 5);
  assert.ok(r.frozen);
  assert.deepEqual(r.constKeys, ['V2NIMConversationType', 'V2NIMLastMessageState', 'V2NIMMessageRevokeType', 'V2NIMMessageSendingState', 'V2NIMMessageType']);
  assert.deepEqual(r.keys, ['V2NIMConversationIdUtil', 'V2NIMLocalConversationService']);
  for (const [what, e, code, pattern] of [
    ['open without accountId', r.noAccount, 191004, /accountId/],
    ['a misspelt listener in open', r.misspelt, 191004, /onConversationChange/],
    ['on() with an unknown name', r.badOn, 191004, /onTotalUnreadCount/],
    ['an empty target id', r.badId, 191004, /targetId/],
    ['an unknown conversation', r.missing, 191004, /conversationId/],
    ['a closed service', r.closed, 190002, /closed/],
  ]) {
    assert.equal(e.ctor, 'V2NIMError', what);
    assert.equal(e.name, 'V2NIMError', what);
    assert.ok(e.isError && e.isV2, what);
    assert.equal(e.code, code, what);
    assert.match(e.desc, pattern, what);
    assert.equal(e.message, e.desc, what);
    assert.ok(e.detail.includes('reason'), what);
  }
  assert.equal(r.missing.raw, 'LocalConvError', 'detail.rawError is the module\'s error');
  assert.equal(r.ctor, 'TypeError');
  assert.equal(r.isolation.reported, 'handler bug');
  assert.equal(r.isolation.heard.length, 1, 'the next handler ran');
  assert.match(r.isolation.heard[0][0], /\|1\|bob$/);
  assert.equal(r.isolation.heard[0][1], true, 'with the service as this, as an event emitter calls it');
});

// The fixture every rule below starts from: an account opened through
// localconv/nim in the placement, the official samples' handlers registered
// as the samples' On page does (off, then on; twice, so a handler that were
// added twice would be heard twice), a conversation with bob, a team and a
// super team with unread messages, and globalThis.fx.step(what, fn), which
// records a call's result (or V2NIMError), what the handlers heard before it
// resolved, and the synchronous total right after.
async function fixture(t, placement) {
  const page = await env.page(t);
  const accountId = uniqueName();
  const opened = await openNim(page, { accountId, placement });
  const seed = await page.evaluate(async ([T]) => {
    const { nim, log } = globalThis.nims.nim;
    const m = globalThis.nimModule;
    const { V2NIMConversationType: CT } = m;
    const s = nim.V2NIMLocalConversationService;
    const util = nim.V2NIMConversationIdUtil;
    const clone = (v) => JSON.parse(JSON.stringify(v));
    const handlers = {
      onConversationCreated: (conversation) => log.push(['onConversationCreated', clone(conversation)]),
      onConversationDeleted: (conversationIds) => log.push(['onConversationDeleted', clone(conversationIds)]),
      onConversationChanged: (conversationList) => log.push(['onConversationChanged', clone(conversationList)]),
      onTotalUnreadCountChanged: (unreadCount) => log.push(['onTotalUnreadCountChanged', unreadCount, s.getTotalUnreadCount()]),
      onUnreadCountChangedByFilter: (filter, unreadCount) => log.push(['onUnreadCountChangedByFilter', clone(filter), unreadCount,
        typeof filter.equals, filter.equals({ conversationTypes: [CT.V2NIM_CONVERSATION_TYPE_P2P] }),
        filter.equals({ conversationTypes: [1, 1], ignoreMuted: false }), filter.equals({ conversationTypes: [1], ignoreMuted: true }),
        filter.equals({ conversationTypes: [1, 2] }), filter.equals(null)]),
      onConversationReadTimeUpdated: (conversationId, readTime) => log.push(['onConversationReadTimeUpdated', conversationId, readTime]),
    };
    for (let twice = 0; twice < 2; twice++) {
      for (const [name, fn] of Object.entries(handlers)) s.off(name, fn);
      for (const [name, fn] of Object.entries(handlers)) s.on(name, fn);
    }
    const step = async (what, fn) => {
      const start = log.length;
      let value;
      let error;
      try {
        value = await fn();
      } catch (e) {
        error = { name: e.name, code: e.code, desc: e.desc, isV2: e instanceof m.V2NIMError };
      }
      return { what, value: value === undefined ? undefined : clone(value), error, heard: log.slice(start), total: s.getTotalUnreadCount() };
    };
    // Past the read times that clearing and marking set (now): later messages count.
    const late = Date.now() + 60_000;
    const msg = (conversationId, id, senderId, at, extra = {}) => ({
      conversationId, messageClientId: id, senderId, createTime: (at > 10 ? late : T) + at, messageType: m.V2NIMMessageType.V2NIM_MESSAGE_TYPE_TEXT, text: id, ...extra,
    });
    const ids = { p2p: util.p2pConversationId('bob'), team: util.teamConversationId('t1'), superTeam: util.superTeamConversationId('s1') };
    globalThis.fx = { s, m, util, CT, handlers, step, msg, ids, late, T };
    const totalBefore = s.getTotalUnreadCount();
    const created = await step('createConversation', () => s.createConversation(ids.p2p));
    const applied = await step('applyMessages', () => s.applyMessages([
      msg(ids.p2p, 'b1', 'bob', 1, { senderName: 'Bob' }), msg(ids.p2p, 'b2', 'bob', 2, { senderName: 'Bob' }),
      msg(ids.team, 't1', 'carol', 3), msg(ids.superTeam, 's1', 'dave', 4),
    ]));
    return { ids, totalBefore, created, applied, parsed: { type: util.parseConversationType(ids.team), target: util.parseConversationTargetId(ids.superTeam) } };
  }, [T]);
  return { page, accountId, opened, ...seed };
}

const names = (step) => step.heard.map((h) => h[0]);
const inFixture = (f, fn, arg) => f.page.evaluate(fn, arg);

for (const placement of PLACEMENTS) {
  test(`${placement}: open() resolves to the instance's part, frozen; options.listeners hear the first sync; the id util is the opened account's`, async (t) => {
    const f = await fixture(t, placement);
    assert.deepEqual(f.opened.early, ['onSyncStarted', 'onSyncFinished']);
    assert.deepEqual(f.opened.keys, ['V2NIMConversationIdUtil', 'V2NIMLocalConversationService']);
    assert.ok(f.opened.frozen);
    assert.deepEqual(f.ids, { p2p: `${f.accountId}|1|bob`, team: `${f.accountId}|2|t1`, superTeam: `${f.accountId}|3|s1` });
    assert.deepEqual(f.parsed, { type: 2, target: 's1' });
  });

  test(`${placement}: a call's handlers are heard once each though set twice, before it resolves, and the synchronous total is current then`, async (t) => {
    const f = await fixture(t, placement);
    assert.equal(f.totalBefore, 0);
    assert.deepEqual(names(f.created), ['onConversationCreated']);
    assert.equal(f.created.value.conversationId, f.ids.p2p);
    assert.deepEqual(f.applied.value, { applied: 4, duplicates: 0 });
    assert.equal(f.applied.total, 4);
    assert.deepEqual(f.applied.heard.filter((h) => h[0] === 'onTotalUnreadCountChanged'), [['onTotalUnreadCountChanged', 4, 4]],
      'one call per handler; the synchronous read already agrees inside it');
  });

  test(`${placement}: subscribeUnreadCountByFilter returns nothing; the count comes as (filter, unreadCount), filter.equals reading filters as the module does`, async (t) => {
    const f = await fixture(t, placement);
    const r = await inFixture(f, async () => {
      const { s, step, CT, ids } = globalThis.fx;
      const returned = s.subscribeUnreadCountByFilter({ conversationTypes: [CT.V2NIM_CONVERSATION_TYPE_P2P] });
      const next = await step('getUnreadCountByIds', () => s.getUnreadCountByIds([ids.p2p, ids.team]));
      return { returned, next, byFilter: await step('getUnreadCountByFilter', () => s.getUnreadCountByFilter({ ignoreMuted: true })) };
    });
    assert.equal(r.returned, undefined);
    assert.deepEqual(r.next.heard, [['onUnreadCountChangedByFilter', { conversationTypes: [1], ignoreMuted: false }, 2, 'function', true, true, false, false, false]],
      'heard before the next call resolved');
    assert.equal(r.next.value, 3);
    assert.equal(r.byFilter.value, 4);
  });

  test(`${placement}: pins, localExtension and the reads come in the SDK's shapes`, async (t) => {
    const f = await fixture(t, placement);
    const r = await inFixture(f, async () => {
      const { s, step, m, ids } = globalThis.fx;
      return {
        pin: await step('stickTopConversation', () => s.stickTopConversation(ids.p2p, true)),
        pinned: await step('getStickTopConversationList', () => s.getStickTopConversationList()),
        ext: await step('updateConversationLocalExtension', () => s.updateConversationLocalExtension(ids.p2p, 'draft')),
        list: await step('getConversationList', () => s.getConversationList(0, 50)),
        byOption: await step('getConversationListByOption', () => s.getConversationListByOption(0, 50, {
          conversationTypes: [m.V2NIMConst.V2NIMConversationType.V2NIM_CONVERSATION_TYPE_TEAM], onlyUnread: true,
        })),
        byIds: await step('getConversationListByIds', () => s.getConversationListByIds([ids.superTeam, ids.p2p])),
        one: await step('getConversation', () => s.getConversation(ids.p2p)),
      };
    });
    const { p2p, team, superTeam } = f.ids;
    assert.deepEqual(names(r.pin), ['onConversationChanged']);
    assert.deepEqual(r.pinned.value.map((c) => c.conversationId), [p2p]);
    assert.deepEqual(names(r.ext), ['onConversationChanged']);
    assert.deepEqual([r.list.value.finished, r.list.value.offset], [true, 0]);
    assert.deepEqual(r.list.value.conversationList.map((c) => c.conversationId), [p2p, superTeam, team]);
    assert.deepEqual(r.byOption.value.conversationList.map((c) => c.conversationId), [team]);
    assert.deepEqual(r.byIds.value.map((c) => c.conversationId), [superTeam, p2p]);
    const bob = r.one.value;
    assert.deepEqual([bob.type, bob.localExtension, bob.stickTop], [1, 'draft', true]);
    assert.deepEqual([bob.lastMessage.lastMessageState, bob.lastMessage.senderName, bob.lastMessage.messageRefer.conversationType], [0, 'Bob', 1]);
  });

  test(`${placement}: markConversationRead and applyReadTime are heard as onConversationReadTimeUpdated(conversationId, readTime)`, async (t) => {
    const f = await fixture(t, placement);
    const r = await inFixture(f, async () => {
      const { s, step, ids, T } = globalThis.fx;
      const marked = await step('markConversationRead', () => s.markConversationRead(ids.team));
      return { marked, readTime: await step('getConversationReadTime', () => s.getConversationReadTime(ids.team)), applied: await step('applyReadTime', () => s.applyReadTime(ids.superTeam, T + 10)) };
    });
    assert.ok(Number.isSafeInteger(r.marked.value) && r.marked.value > T);
    assert.equal(r.marked.total, 3);
    assert.deepEqual(r.marked.heard.find((h) => h[0] === 'onConversationReadTimeUpdated'), ['onConversationReadTimeUpdated', f.ids.team, r.marked.value]);
    assert.equal(r.readTime.value, r.marked.value);
    assert.deepEqual(r.applied.heard.find((h) => h[0] === 'onConversationReadTimeUpdated'), ['onConversationReadTimeUpdated', f.ids.superTeam, T + 10]);
    assert.equal(r.applied.total, 2);
  });

  test(`${placement}: clearUnreadCountByIds resolves to the ids that failed ([] when none); by types and the total clear as the SDK`, async (t) => {
    const f = await fixture(t, placement);
    const r = await inFixture(f, async () => {
      const { s, step, ids, util, msg, CT } = globalThis.fx;
      return {
        some: await step('clearUnreadCountByIds', () => s.clearUnreadCountByIds([ids.p2p, util.p2pConversationId('nobody')])),
        none: await step('clearUnreadCountByIds all good', () => s.clearUnreadCountByIds([ids.p2p])),
        more: await step('more messages', () => s.applyMessages([msg(ids.p2p, 'b3', 'bob', 11), msg(ids.team, 't2', 'carol', 12), msg(ids.team, 't3', 'carol', 13)])),
        byTypes: await step('clearUnreadCountByTypes', () => s.clearUnreadCountByTypes([CT.V2NIM_CONVERSATION_TYPE_P2P])),
        all: await step('clearTotalUnreadCount', () => s.clearTotalUnreadCount()),
      };
    });
    assert.equal(r.some.error, undefined);
    assert.equal(r.some.value.length, 1, 'only the ids that failed');
    assert.equal(r.some.value[0].conversationId, `${f.accountId}|1|nobody`);
    assert.deepEqual([r.some.value[0].error.name, r.some.value[0].error.code], ['V2NIMError', 191004]);
    assert.match(r.some.value[0].error.desc, /conversationId/);
    assert.equal(r.some.total, 2);
    assert.deepEqual(r.none.value, []);
    assert.equal(r.more.total, 5);
    assert.equal(r.byTypes.total, 4);
    assert.equal(r.all.total, 0);
  });

  test(`${placement}: once() hears the next event only`, async (t) => {
    const f = await fixture(t, placement);
    const r = await inFixture(f, async () => {
      const { s, step, ids, msg } = globalThis.fx;
      const heard = [];
      s.once('onTotalUnreadCountChanged', (n) => heard.push(n));
      await step('once 1', () => s.applyMessages([msg(ids.p2p, 'b4', 'bob', 14)]));
      const second = await step('once 2', () => s.applyMessages([msg(ids.p2p, 'b5', 'bob', 15)]));
      return { heard, total: second.total };
    });
    assert.deepEqual(r.heard, [5]);
    assert.equal(r.total, 6);
  });

  test(`${placement}: revokeMessage takes the SDK's V2NIMMessageRevokeNotification; lastMessage shows the revoke`, async (t) => {
    const f = await fixture(t, placement);
    const r = await inFixture(f, async () => {
      const { s, step, ids, m, T } = globalThis.fx;
      return step('revokeMessage', () => s.revokeMessage({
        messageRefer: { conversationId: ids.p2p, messageClientId: 'b2', senderId: 'bob', receiverId: 'x', messageServerId: '', createTime: T + 2, conversationType: 1 },
        revokeAccountId: 'bob', revokeType: m.V2NIMMessageRevokeType.V2NIM_MESSAGE_REVOKE_TYPE_P2P_BOTHWAY, postscript: 'withdrawn', serverExtension: '',
      }));
    });
    assert.equal(r.total, 3);
    const changed = r.heard.find((h) => h[0] === 'onConversationChanged')[1][0];
    assert.deepEqual([changed.lastMessage.lastMessageState, changed.lastMessage.text, changed.lastMessage.revokeAccountId, changed.lastMessage.revokeType],
      [1, 'withdrawn', 'bob', 1], 'V2NIM_MESSAGE_STATUS_REVOKE, the postscript as text');
  });

  test(`${placement}: setCurrentConversation reads the one on screen; "" or nothing clears it, as in the SDK`, async (t) => {
    const f = await fixture(t, placement);
    const r = await inFixture(f, async () => {
      const { s, step, ids, msg } = globalThis.fx;
      return {
        on: await step('setCurrentConversation', () => s.setCurrentConversation(ids.p2p)),
        cleared: await step('setCurrentConversation empty', () => s.setCurrentConversation('')),
        after: await step('a message after', () => s.applyMessages([msg(ids.p2p, 'b6', 'bob', 16)])),
      };
    });
    assert.equal(r.on.total, 2, 'on screen: read');
    assert.equal(r.cleared.error, undefined);
    assert.equal(r.after.total, 3, 'no conversation on screen any more');
  });

  test(`${placement}: unsubscribe, off and removeAllListeners stop exactly what they name`, async (t) => {
    const f = await fixture(t, placement);
    const r = await inFixture(f, async () => {
      const { s, step, ids, msg, handlers } = globalThis.fx;
      s.subscribeUnreadCountByFilter({ conversationTypes: [1] });
      await step('subscribed: its count heard', () => s.getUnreadCountByIds([ids.p2p]));
      s.unsubscribeUnreadCountByFilter({ conversationTypes: [1] });
      const unsub = await step('after unsubscribe', () => s.applyMessages([msg(ids.p2p, 'b6', 'bob', 16)]));
      s.off('onConversationChanged', handlers.onConversationChanged);
      const off = await step('after off', () => s.updateConversationInfo(ids.p2p, { name: 'Bob' }));
      s.removeAllListeners('onTotalUnreadCountChanged');
      const byName = await step('after removeAllListeners(name)', () => s.applyMessages([msg(ids.p2p, 'b7', 'bob', 17)]));
      s.removeAllListeners();
      const all = await step('after removeAllListeners()', () => s.deleteConversation(ids.p2p));
      return { unsub, off, byName, all };
    });
    assert.deepEqual(names(r.unsub), ['onConversationChanged', 'onTotalUnreadCountChanged'], 'no filter count after unsubscribing');
    assert.deepEqual(names(r.off), []);
    assert.deepEqual(names(r.byName), [], 'changed was off already, total removed');
    assert.equal(r.byName.total, 6, 'the synchronous read needs no handler of the app');
    assert.deepEqual(r.all.heard, []);
    assert.equal(r.all.total, 2);
  });

  test(`${placement}: deleteConversation and deleteConversationListByIds: the deleted are heard, only the ids that failed come back`, async (t) => {
    const f = await fixture(t, placement);
    const r = await inFixture(f, async () => {
      const { s, step, ids } = globalThis.fx;
      return {
        one: await step('deleteConversation', () => s.deleteConversation(ids.team, true)),
        batch: await step('deleteConversationListByIds', () => s.deleteConversationListByIds([ids.superTeam, ids.team], false)),
      };
    });
    assert.deepEqual(names(r.one), ['onConversationDeleted', 'onTotalUnreadCountChanged']);
    assert.equal(r.batch.error, undefined);
    assert.deepEqual(r.batch.value.map((x) => [x.conversationId, x.error.code]), [[f.ids.team, 191004]]);
    assert.deepEqual(r.batch.heard.filter((h) => h[0] === 'onConversationDeleted'), [['onConversationDeleted', [f.ids.superTeam]]]);
    assert.equal(r.batch.total, 2);
  });

  test(`${placement}: a filter the module refuses in subscribeUnreadCountByFilter surfaces as an uncaught V2NIMError`, async (t) => {
    const f = await fixture(t, placement);
    const r = await inFixture(f, async () => {
      const { s } = globalThis.fx;
      const uncaught = new Promise((resolve) => {
        globalThis.addEventListener('error', (e) => { e.preventDefault(); resolve({ name: e.error?.name, code: e.error?.code }); }, { once: true });
      });
      const returned = s.subscribeUnreadCountByFilter({ conversationTypes: [9] });
      return { returned, uncaught: await uncaught };
    });
    assert.equal(r.returned, undefined);
    assert.deepEqual(r.uncaught, { name: 'V2NIMError', code: 191004 });
  });

  test(`${placement}: getTotalUnreadCount() is never stale after a call resolves, and is seeded at open`, async (t) => {
    const page = await env.page(t);
    const accountId = uniqueName();
    await openNim(page, { accountId, placement });
    const r = await page.evaluate(async ([T]) => {
      const { nim } = globalThis.nims.nim;
      const s = nim.V2NIMLocalConversationService;
      const util = nim.V2NIMConversationIdUtil;
      const ids = ['a', 'b', 'c'].map((x) => util.p2pConversationId(x)).concat([util.teamConversationId('t'), util.superTeamConversationId('s')]);
      // A fixed pseudo-random walk over every call that can move the total.
      let seed = 7;
      const rnd = (n) => {
        seed = (seed * 1103515245 + 12345) % 2147483648;
        return Math.floor(seed / 65536) % n;
      };
      let clock = 0;
      const late = Date.now() + 60_000; // past every read time the walk sets
      const mismatches = [];
      const calls = [];
      for (let i = 0; i < 60; i++) {
        const id = ids[rnd(ids.length)];
        const kind = rnd(10);
        let what;
        if (kind < 4) {
          what = 'applyMessages';
          const n = 1 + rnd(3);
          const list = [];
          const senderId = util.parseConversationType(id) === 1 ? util.parseConversationTargetId(id) : 'peer';
          for (let k = 0; k < n; k++) list.push({ conversationId: id, messageClientId: `m${++clock}`, senderId, createTime: late + clock, messageType: 0, text: 'x' });
          await s.applyMessages(list);
        } else if (kind === 4) {
          what = 'markConversationRead';
          await s.markConversationRead(id).catch(() => {});
        } else if (kind === 5) {
          what = 'clearUnreadCountByIds';
          await s.clearUnreadCountByIds([id]);
        } else if (kind === 6) {
          what = 'deleteConversation';
          await s.deleteConversation(id).catch(() => {});
        } else if (kind === 7) {
          what = 'setCurrentConversation';
          await s.setCurrentConversation(rnd(2) ? id : undefined);
        } else if (kind === 8) {
          what = 'revokeMessage';
          await s.revokeMessage({ conversationId: id, messageClientId: `m${clock}` }).catch(() => {});
        } else {
          what = 'clearUnreadCountByTypes';
          await s.clearUnreadCountByTypes([1 + rnd(3)]);
        }
        const sync = s.getTotalUnreadCount();
        const asked = await s.getUnreadCountByFilter({ conversationTypes: [1, 2, 3] });
        calls.push(what);
        if (sync !== asked) mismatches.push({ i, what, sync, asked });
      }
      await s.setCurrentConversation();
      const final = s.getTotalUnreadCount();
      await s.close();
      return { mismatches, final, kinds: [...new Set(calls)].sort() };
    }, [T]);
    assert.deepEqual(r.mismatches, []);
    assert.equal(r.kinds.length, 7, `every kind of call ran: ${r.kinds}`);
    assert.ok(r.final > 0, 'the walk ends with something unread');

    // Opened again (with and without waiting for the sync), the stored total
    // is there from the start.
    for (const waitForSync of [true, false]) {
      const again = await page.evaluate(async ([accountId, placement, waitForSync]) => {
        const m = globalThis.nimModule;
        const nim = await m.open({ accountId, placement, waitForSync });
        const s = nim.V2NIMLocalConversationService;
        const atOpen = s.getTotalUnreadCount();
        const asked = await s.getUnreadCountByFilter({ conversationTypes: [1, 2, 3] });
        await s.close();
        return { atOpen, asked };
      }, [accountId, placement, waitForSync]);
      assert.equal(again.asked, r.final, `waitForSync ${waitForSync}: the list was stored`);
      if (waitForSync) assert.equal(again.atOpen, r.final, 'seeded at open');
      else assert.ok(again.atOpen <= r.final, 'waitForSync false: what was loaded by then');
    }
  });

  test(`${placement}: a change made in another tab reaches the synchronous total with its event, and before this tab's next change resolves`, async (t) => {
    const context = await env.context(t);
    const [a, b] = [await env.page(t, context), await env.page(t, context)];
    const accountId = uniqueName();
    await openNim(a, { accountId, placement });
    await openNim(b, { accountId, placement });
    const heard = [];
    for (let round = 1; round <= 3; round++) {
      await a.evaluate(async ([round, T]) => {
        const { nim } = globalThis.nims.nim;
        const id = nim.V2NIMConversationIdUtil.p2pConversationId('bob');
        await nim.V2NIMLocalConversationService.applyMessages([{ conversationId: id, messageClientId: `r${round}`, senderId: 'bob', createTime: T + round, messageType: 0, text: 'hi' }]);
      }, [round, T]);
      const r = await b.evaluate(async (round) => {
        const { nim } = globalThis.nims.nim;
        const s = nim.V2NIMLocalConversationService;
        globalThis.heardTotals ??= (() => {
          const list = [];
          s.on('onTotalUnreadCountChanged', (n) => list.push([n, s.getTotalUnreadCount()]));
          return list;
        })();
        // The other tab's change arrives as events (within milliseconds)…
        const deadline = performance.now() + 5000;
        while (s.getTotalUnreadCount() !== round && performance.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 5));
        const byEvent = s.getTotalUnreadCount();
        // …and a call that changes something first catches up with whatever
        // the other tabs committed, its events before its Promise resolves.
        await s.updateConversationLocalExtension(nim.V2NIMConversationIdUtil.p2pConversationId('bob'), `seen ${round}`);
        return { byEvent, total: s.getTotalUnreadCount(), heard: globalThis.heardTotals.slice() };
      }, round);
      assert.equal(r.byEvent, round, `round ${round}: tab B heard it`);
      assert.equal(r.total, round, `round ${round}: tab B's sync read`);
      heard.push(...r.heard);
    }
    // B's handler registered in round 1, possibly after that round's event.
    assert.ok(heard.every(([n, sync]) => n === sync), JSON.stringify(heard));
    const last = heard.at(-1);
    assert.deepEqual(last, [3, 3]);
    for (const p of [a, b]) await p.evaluate(() => globalThis.nims.nim.nim.V2NIMLocalConversationService.close());
  });
}

// The declarations: test/types/nim-usage.ts compiles under --strict beside a
// file that must not, and js/nim.d.ts declares what js/nim.js exports.
const run = promisify(execFile);
const FLAGS = ['--noEmit', '--strict', '--target', 'es2022', '--module', 'esnext', '--moduleResolution', 'bundler', '--lib', 'es2022,dom', '--pretty', 'false'];

test('test/types/nim-usage.ts compiles with tsc --strict, and a misuse does not', async (t) => {
  const dir = mkdtempSync(path.join(tmpdir(), 'localconv-nim-ts-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const bad = path.join(dir, 'bad.ts');
  const lib = path.join(root, 'js', 'nim.js').replaceAll('\\', '/');
  // SDK code awaits no total: it is a number at once.
  writeFileSync(bad, `import type { NIMLocalConversation } from '${lib}';\n` +
    'export function f(nim: NIMLocalConversation) { const n: Promise<number> = nim.V2NIMLocalConversationService.getTotalUnreadCount(); return n; }\n');
  let out = '';
  let code = 0;
  try {
    ({ stdout: out } = await run(process.execPath, [path.join(root, 'node_modules', 'typescript', 'bin', 'tsc'), ...FLAGS, path.join(root, 'test', 'types', 'nim-usage.ts'), bad], { cwd: root }));
  } catch (e) {
    code = e.code;
    out = String(e.stdout) + String(e.stderr);
  }
  const errors = out.split('\n').filter((l) => /error TS\d+/.test(l));
  assert.deepEqual(errors.filter((l) => l.includes('nim-usage.ts')), [], out);
  const badErrors = errors.filter((l) => l.includes('bad.ts'));
  assert.notEqual(code, 0);
  assert.equal(badErrors.length, 1, out);
  assert.match(badErrors[0], /TS2322/);
  assert.equal(errors.length, 1, out);
});

test('js/nim.d.ts declares exactly what js/nim.js exports, and every method of the service', async () => {
  const dts = readFileSync(path.join(root, 'js', 'nim.d.ts'), 'utf8');
  const declared = [...dts.matchAll(/^export declare (?:const|class|function|enum) (\w+)/gm)].map((m) => m[1]).sort();
  // nim.js imports localconv.js, which starts nothing on import; Node can load it.
  const mod = await import('../js/nim.js');
  assert.deepEqual(declared, Object.keys(mod).sort());
  const body = dts.slice(dts.indexOf('export declare class V2NIMLocalConversationService'));
  const cls = body.slice(0, body.indexOf('\n}\n'));
  const methods = new Set([...cls.matchAll(/^ {2}(\w+)(?:<[^>]*>)?\(/gm)].map((m) => m[1]));
  const proto = Object.getOwnPropertyNames(mod.V2NIMLocalConversationService.prototype).filter((n) => n !== 'constructor');
  assert.deepEqual([...methods].sort(), proto.sort());
  // The SDK's 21 methods and 4 listener methods, and the host's 8.
  assert.equal(proto.length, 33);
});
