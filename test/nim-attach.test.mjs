// attachToNIM beside the real nim-web-sdk-ng and NetEase's real UIKit store
// (@xkit-yx/im-store-v2 with mobx), built as NetEase's demos build them:
// instance, attachToNIM, the UIKit's stores, then login. The SDK runs offline
// on a page whose CSP lets nothing leave the origin (test/pages/nim-sdk*.html);
// a login and a conversation are the events the SDK emits, on its own
// services, in its order (test/pages/nim-sdk.js). After every step the
// UIKit's MobX list and total must be localconv's.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useBrowser, uniqueName } from './harness.mjs';

const env = useBrowser();
const PLACEMENTS = ['page', 'worker', 'sharedWorker'];
const DAY = 86_400_000;
// Roaming messages are from the past: yesterday, at a whole day.
const T = (Math.floor(Date.now() / DAY) - 1) * DAY;

// Offline, the SDK and the UIKit try NetEase's servers: the page's CSP refuses
// those requests and the SDK refuses server calls for want of a login. That,
// and only that, may be reported by the page.
const OFFLINE_NOISE = /Content Security Policy|statistic\.live\.126\.net|yunxinfw\.com|illegal state|Can not sendCmd|@xkit-yx|\[NIM /;

async function nimPage(t, { sdk = 'next', context } = {}) {
  const ctx = context ?? (await env.context(t));
  const page = await ctx.newPage();
  page.errors ??= [];
  if (env.engine === 'chromium') {
    page.on('pageerror', (e) => page.errors.push(e));
    page.on('console', (m) => {
      if (m.type() === 'error') page.errors.push(new Error(m.text()));
    });
    // A second guard beside the CSP: a request off this machine fails the test.
    page.on('request', (r) => {
      if (!r.url().startsWith(env.base) && !r.url().startsWith('data:') && !r.url().startsWith('blob:')) page.offOrigin = r.url();
    });
  }
  await page.goto(`${env.base}/test/pages/${sdk === 'next' ? 'nim-sdk-next.html' : 'nim-sdk.html'}`);
  await page.waitForFunction(() => document.title === 'ready');
  t.after(async () => {
    await page.close();
    const errors = page.errors.filter((e) => !OFFLINE_NOISE.test(e.message));
    if (errors.length) throw new Error('the page reported errors: ' + errors.map((e) => e.message).join('; '));
  });
  return page;
}

// Runs fn(arg) in the page, where globalThis.h is test/pages/nim-sdk.js and
// globalThis.fx its fixture.
const inPage = (page, fn, arg) => page.evaluate(fn, arg);

const names = (log) => log.map(([name]) => name);

test('attachToNIM: before login it is the SDK\'s service, refusing calls as the SDK does; detach() puts the SDK\'s own back', async (t) => {
  const page = await nimPage(t);
  const r = await inPage(page, async () => {
    const { h, fx } = globalThis;
    const m = await import('/js/nim.js');
    const nim = h.sdkInstance();
    const own = nim.V2NIMLocalConversationService;
    const err = (e) => ({ name: e.name, code: e.code, desc: e.desc });
    const out = {};
    for (const [label, args] of [['no nim', [null]], ['a v1 object', [{}]], ['accountId', [nim, { accountId: 'x' }]], ['listeners', [nim, { listeners: {} }]], ['options', [nim, 5]]]) {
      try { m.attachToNIM(...args); out[label] = 'accepted'; } catch (e) { out[label] = err(e); }
    }
    out.untouched = nim.V2NIMLocalConversationService === own;
    const a = m.attachToNIM(nim, {});
    const svc = nim.V2NIMLocalConversationService;
    out.replaced = svc !== own && svc instanceof m.V2NIMLocalConversationService;
    try { m.attachToNIM(nim); } catch (e) { out.twice = err(e); }
    out.calls = [];
    for (const call of [() => svc.getConversationList(0, 10), () => svc.markConversationRead('me|1|bob'), () => svc.applyMessages([])]) {
      out.calls.push(await call().then(() => 'resolved', err));
    }
    out.total = svc.getTotalUnreadCount();
    let heard = 0;
    svc.on('onSyncStarted', () => heard++);
    a.detach();
    a.detach();
    out.restored = nim.V2NIMLocalConversationService === own;
    h.login(nim, 'nobody');
    out.heardAfterDetach = heard;
    h.logout(nim);
    return out;
  });
  for (const label of ['no nim', 'a v1 object', 'accountId', 'listeners', 'options', 'twice']) {
    assert.equal(r[label].name, 'V2NIMError', label);
    assert.equal(r[label].code, 191004, label);
  }
  assert.match(r.accountId.desc, /accountId.*login user/);
  assert.ok(r.untouched, 'a refused attach changes nothing');
  assert.ok(r.replaced);
  for (const c of r.calls) assert.deepEqual([c.code, /not logged in/.test(c.desc)], [190002, true], JSON.stringify(c));
  assert.equal(r.total, 0);
  assert.ok(r.restored, 'detach() puts the SDK\'s own service back');
  assert.equal(r.heardAfterDetach, 0, 'a detached bridge hears no login');
});

// Roaming and offline messages of a login, and the read times synced with
// them: for each of 3 peers, 4 messages of which the first 2 are at or before
// the read time, and a team with one message of mine.
function syncScript(account) {
  return { account, T, peers: ['bob', 'carol', 'dave'], team: 'team1' };
}

async function loginSync(page, script) {
  return inPage(page, async (s) => {
    const { h, fx } = globalThis;
    const { nim } = fx;
    const totals = [];
    fx.svc.on('onTotalUnreadCountChanged', (n) => totals.push(n));
    h.login(nim, s.account);
    const msgs = [];
    s.peers.forEach((p, i) => {
      for (let k = 0; k < 4; k++) {
        msgs.push(h.message(nim, { conversationId: `${s.account}|1|${p}`, senderId: p, createTime: s.T + i * 1000 + k * 10, text: `${p} ${k}`, clientId: `${p}-${k}` }));
      }
    });
    msgs.push(h.message(nim, { conversationId: `${s.account}|2|${s.team}`, senderId: s.account, createTime: s.T + 5000, text: 'mine', clientId: 'team-0' }));
    // The SDK delivers them in batches, then the read times (on its own local
    // service and on the cloud one, as it does).
    nim.V2NIMMessageService.emit('onReceiveMessages', msgs.slice(0, 7));
    nim.V2NIMMessageService.emit('onReceiveMessages', msgs.slice(7));
    s.peers.forEach((p, i) => {
      const readTime = s.T + i * 1000 + 10;
      fx.sdkLocal.emit('onConversationReadTimeUpdated', `${s.account}|1|${p}`, readTime);
      nim.V2NIMConversationService.emit('onConversationReadTimeUpdated', `${s.account}|1|${p}`, readTime);
    });
    const before = names(fx.log);
    h.syncDone(nim);
    await h.until(() => fx.log.some(([n]) => n === 'onSyncFinished'), 'onSyncFinished');
    return { before, totals, ...(await h.agree('after the login sync')) };
    function names(log) { return log.map(([n]) => n); }
  }, script);
}

for (const placement of PLACEMENTS) {
  test(`${placement}: the UIKit built before login shows the synced list and total, never counting a message its read time makes read, and has them back after a reload`, async (t) => {
    const context = await env.context(t);
    const page = await nimPage(t, { context });
    const account = uniqueName('nim');
    assert.deepEqual(await inPage(page, (p) => globalThis.h.setup({ placement: p }), placement), { replaced: true, sdkName: 'V2NIMLocalConversationServiceImpl' });
    const r = await loginSync(page, syncScript(account));
    // Each peer: 4 messages, 2 at or before the read time: 2 unread each.
    assert.equal(r.ours.total, 6);
    assert.deepEqual(r.ours.list.map((c) => [c.id, c.unread]), [
      [`${account}|1|bob`, 2], [`${account}|1|carol`, 2], [`${account}|1|dave`, 2], [`${account}|2|team1`, 0],
    ]);
    assert.ok(r.totals.every((n) => n === 0 || n === 6), `no total the handlers heard counts a read message: ${r.totals}`);
    const log = await inPage(page, () => globalThis.fx.log);
    const order = log.map(([n]) => n);
    assert.deepEqual(order.filter((n) => n !== 'onTotalUnreadCountChanged' && n !== 'onConversationReadTimeUpdated'),
      ['onSyncStarted', 'onConversationChanged', 'onSyncFinished'], 'the SDK\'s shape of a sync: one change of all, no created');
    assert.ok(order.lastIndexOf('onTotalUnreadCountChanged') < order.indexOf('onSyncFinished'), 'the total before onSyncFinished, as the SDK');
    assert.equal(log.find(([n]) => n === 'onConversationChanged')[1][0].length, 4);
    assert.deepEqual(r.ours.list.map((c) => c.name), ['bob', 'carol', 'dave', 'team1'], 'the SDK\'s names: the account, the team id');

    // A message online, after the sync: counted at once.
    const online = await inPage(page, async (a) => {
    const { h, fx } = globalThis;
      fx.nim.V2NIMMessageService.emit('onReceiveMessages', [h.message(fx.nim, { conversationId: `${a}|1|erin`, senderId: 'erin', createTime: Date.now(), text: 'new', clientId: 'erin-0' })]);
      await h.until(async () => fx.svc.getTotalUnreadCount() === 7, 'the new message counted');
      return h.agree('after a message online');
    }, account);
    assert.equal(online.uikit.total, 7);
    assert.equal(online.uikit.list.length, 5);

    // A reload: a new instance, the same login. Before the SDK syncs anything,
    // the UIKit has the list and the total back from IndexedDB.
    await page.reload();
    await page.waitForFunction(() => document.title === 'ready');
    const back = await inPage(page, async ([p, a]) => {
    const { h, fx } = globalThis;
      await h.setup({ placement: p });
      h.login(globalThis.fx.nim, a);
      return h.agree('after a reload, before any message');
    }, [placement, account]);
    assert.equal(back.uikit.total, 7);
    assert.deepEqual(back.uikit.list.map((c) => c.id), online.uikit.list.map((c) => c.id));
  });
}

// One conversation with bob and one team, synced at login, then every kind
// of event the SDK delivers, one step at a time.
test('every SDK event reaches the list and the UIKit: received, sent, revoked, deleted, cleared, modified, team, user, friend, mute, read time, pin', async (t) => {
  const page = await nimPage(t);
  const account = uniqueName('nim');
  await inPage(page, (p) => globalThis.h.setup({ placement: p }), 'page');
  const bob = `${account}|1|bob`;
  const team = `${account}|2|team1`;
  const r = await inPage(page, async ([a, bob, team, T]) => {
    const { h, fx } = globalThis;
    const { nim, svc, sdkLocal } = fx;
    const ms = nim.V2NIMMessageService;
    const out = {};
    const at = async (label, cond) => {
      await h.until(cond, label);
      out[label] = await h.agree(label);
    };
    const conv = (id) => svc.getConversation(id).catch(() => null);
    h.login(nim, a);
    ms.emit('onReceiveMessages', [
      h.message(nim, { conversationId: bob, senderId: 'bob', createTime: T, text: 'old', clientId: 'b0' }),
      h.message(nim, { conversationId: team, senderId: 'carol', createTime: T + 1, text: 'team hello', clientId: 't0' }),
    ]);
    h.syncDone(nim);
    await at('synced', async () => (await conv(team))?.unreadCount === 1);

    ms.emit('onReceiveMessages', [h.message(nim, { conversationId: bob, senderId: 'bob', createTime: T + 10, text: 'hi', clientId: 'b1' })]);
    await at('received', async () => (await conv(bob))?.unreadCount === 2);

    // A send: sending, an upload's progress (the same state again), then the server's answer.
    const sent = h.message(nim, { conversationId: bob, senderId: a, createTime: T + 20, text: 'sending…', clientId: 'me1', sendingState: 3 });
    ms.emit('onSendMessage', sent);
    await at('sending', async () => (await conv(bob))?.lastMessage?.sendingState === 3);
    const logAt = fx.log.length;
    ms.emit('onSendMessage', { ...sent, attachmentUploadState: 3 });
    ms.emit('onSendMessage', { ...sent, sendingState: 1, createTime: T + 25, messageServerId: '777' });
    await at('sent', async () => (await conv(bob))?.lastMessage?.sendingState === 1);
    out.sentEvents = fx.log.slice(logAt).map(([n]) => n);
    out.sentLast = (await conv(bob)).lastMessage;
    // Refused before sending (the client's antispam): never listed.
    ms.emit('onSendMessage', h.message(nim, { conversationId: `${a}|1|zed`, senderId: a, createTime: T + 30, clientId: 'spam', sendingState: 2 }));

    ms.emit('onMessageRevokeNotifications', [{ messageRefer: { conversationId: bob, messageClientId: 'b1' }, revokeAccountId: 'bob', revokeType: 1, postscript: 'oops' }]);
    await at('revoked', async () => (await conv(bob))?.unreadCount === 1);
    ms.emit('onMessageDeletedNotifications', [{ messageRefer: { conversationId: bob, messageClientId: 'me1' }, deleteTime: T + 40 }]);
    await at('deleted', async () => (await conv(bob))?.lastMessage?.messageRefer.messageClientId === 'b1');
    out.fallback = (await conv(bob)).lastMessage;
    ms.emit('onClearHistoryNotifications', [{ conversationId: team, deleteTime: T + 50 }]);
    await at('cleared', async () => (await conv(team))?.lastMessage === undefined || (await conv(team))?.lastMessage === null);
    out.cleared = await conv(team);

    ms.emit('onReceiveMessages', [h.message(nim, { conversationId: bob, senderId: 'bob', createTime: T + 60, text: 'typo', clientId: 'b2' })]);
    await at('received again', async () => (await conv(bob))?.lastMessage?.text === 'typo');
    ms.emit('onReceiveMessagesModified', [h.message(nim, { conversationId: bob, senderId: 'bob', createTime: T + 60, text: 'fixed', clientId: 'b2', modifyTime: T + 70 })]);
    await at('modified', async () => (await conv(bob))?.lastMessage?.text === 'fixed');

    nim.V2NIMTeamService.emit('onTeamInfoUpdated', { teamId: 'team1', teamType: 1, name: 'Team One', avatar: 'https://t/1.png' });
    await at('team renamed', async () => (await conv(team))?.name === 'Team One');
    nim.V2NIMUserService.emit('onUserProfileChanged', [{ accountId: 'bob', name: 'Bob B.', avatar: 'https://u/bob.png' }]);
    await at('user renamed', async () => (await conv(bob))?.name === 'Bob B.');
    nim.V2NIMFriendService.emit('onFriendInfoChanged', { accountId: 'bob', alias: 'Bobby' });
    await at('alias', async () => (await conv(bob))?.name === 'Bobby');
    nim.V2NIMFriendService.emit('onFriendDeleted', 'bob', 1);
    await at('alias gone', async () => (await conv(bob))?.name === 'Bob B.');
    nim.V2NIMSettingService.emit('onP2PMessageMuteModeChanged', 'bob', 1);
    await at('p2p muted', async () => (await conv(bob))?.mute === true);
    nim.V2NIMSettingService.emit('onTeamMessageMuteModeChanged', 'team1', 1, 2);
    await at('team muted', async () => (await conv(team))?.mute === true);

    nim.V2NIMConversationService.emit('onConversationReadTimeUpdated', bob, T + 100);
    await at('read elsewhere', async () => (await conv(bob))?.unreadCount === 0);
    sdkLocal.emit('onConversationChanged', [{ conversationId: bob, stickTop: true }]);
    await at('pinned elsewhere', async () => (await conv(bob))?.stickTop === true);

    // Through localconv: the SDK's own service is asked to tell the server.
    const asked = [];
    for (const name of ['stickTopConversation', 'markConversationRead']) {
      const own = sdkLocal[name];
      sdkLocal[name] = (...args) => { asked.push([name, ...args]); return own.apply(sdkLocal, args); };
    }
    await svc.stickTopConversation(bob, false);
    await svc.markConversationRead(team);
    out.asked = asked;
    await at('unpinned here', async () => (await conv(bob))?.stickTop === false);

    // Left the team: the notification (which the UIKit deletes the
    // conversation on), then the team service's event.
    ms.emit('onReceiveMessages', [h.message(nim, { conversationId: team, senderId: a, createTime: T + 200, clientId: 'leave', messageType: 5, attachment: { type: 2, targetIds: [a] } })]);
    nim.V2NIMTeamService.emit('onTeamLeft', { teamId: 'team1', teamType: 1, name: 'Team One' }, false);
    await at('left the team', async () => (await conv(team)) === null);
    out.zed = await conv(`${a}|1|zed`);
    return out;
  }, [account, bob, team, T]);
  const find = (label, id) => r[label].ours.list.find((c) => c.id === id);
  assert.deepEqual(find('received', bob).last, ['b1', 0, 0, 'hi']);
  assert.deepEqual(find('sending', bob).last, ['me1', 0, 3, 'sending…']);
  assert.deepEqual(find('sent', bob).last, ['me1', 0, 1, 'sending…']);
  assert.equal(r.sentLast.messageRefer.createTime, T + 25, 'the server\'s time');
  assert.equal(r.sentEvents.filter((n) => n === 'onConversationChanged').length, 1, 'an upload\'s progress changes nothing');
  assert.equal(r.zed, null, 'a send refused before sending never reaches the list');
  assert.equal(find('revoked', bob).unread, 1);
  assert.deepEqual(r.fallback.messageRefer.messageClientId, 'b1');
  assert.equal(r.fallback.lastMessageState, 1, 'the revoked message, shown as revoked');
  assert.equal(r.fallback.text, 'oops');
  assert.equal(r.cleared.unreadCount, 0);
  assert.ok(r.cleared.lastMessage == null);
  assert.deepEqual(find('modified', bob).last, ['b2', 0, 0, 'fixed']);
  assert.equal(find('team renamed', team).name, 'Team One');
  assert.deepEqual([find('user renamed', bob).name, find('alias', bob).name, find('alias gone', bob).name], ['Bob B.', 'Bobby', 'Bob B.']);
  assert.deepEqual([find('p2p muted', bob).mute, find('team muted', team).mute], [true, true]);
  assert.equal(r['read elsewhere'].uikit.total, 0);
  assert.equal(find('pinned elsewhere', bob).stickTop, true);
  assert.deepEqual(r.asked, [['stickTopConversation', bob, false], ['markConversationRead', team]]);
  assert.deepEqual(r['left the team'].ours.list.map((c) => c.id), [bob]);
});

test('logout closes the list (its data stays, calls are refused); another account opens its own; the first comes back whole', async (t) => {
  const page = await nimPage(t);
  const alice = uniqueName('alice');
  const bob = uniqueName('bob');
  await inPage(page, (p) => globalThis.h.setup({ placement: p }), 'page');
  const r = await inPage(page, async ([alice, bob, T]) => {
    const { h, fx } = globalThis;
    const { nim, svc } = fx;
    const out = {};
    const session = async (account, peer, n) => {
      await h.newStore();
      h.login(nim, account);
      nim.V2NIMMessageService.emit('onReceiveMessages', Array.from({ length: n }, (_, i) => h.message(nim, {
        conversationId: `${account}|1|${peer}${i}`, senderId: `${peer}${i}`, createTime: T + i, clientId: `${account}-${i}`,
      })));
      h.syncDone(nim);
      await h.until(() => svc.getTotalUnreadCount() === n, `${account}'s total`);
      return h.agree(account);
    };
    out.alice = await session(alice, 'p', 3);
    await svc.updateConversationLocalExtension(`${alice}|1|p0`, 'draft: hello');
    h.logout(nim);
    out.afterLogout = await svc.getConversationList(0, 10).then(() => 'resolved', (e) => [e.code, e.desc]);
    out.totalAfterLogout = svc.getTotalUnreadCount();
    out.bob = await session(bob, 'q', 2);
    h.logout(nim);
    await h.newStore();
    h.login(nim, alice);
    h.syncDone(nim);
    await h.until(() => svc.getTotalUnreadCount() === 3, 'alice\'s total again');
    out.aliceAgain = await h.agree('alice again');
    out.ext = (await svc.getConversation(`${alice}|1|p0`)).localExtension;
    return out;
  }, [alice, bob, T]);
  assert.equal(r.alice.ours.list.length, 3);
  assert.equal(r.afterLogout[0], 190002);
  assert.equal(r.totalAfterLogout, 0);
  assert.deepEqual(r.bob.ours.list.map((c) => c.id.split('|')[0]), [bob, bob], 'bob sees only his own');
  assert.deepEqual(r.aliceAgain.ours, r.alice.ours, 'alice\'s list comes back whole');
  assert.equal(r.ext, 'draft: hello', 'localExtension survives logout');
});

test('12,000 conversations in one login sync (past the SDK\'s cap): every one listed, the UIKit agrees, changes in events of at most 1,000', async (t) => {
  const page = await nimPage(t);
  const account = uniqueName('big');
  await inPage(page, (p) => globalThis.h.setup({ placement: p }), 'worker');
  const r = await inPage(page, async ([a, T]) => {
    const { h, fx } = globalThis;
    const { nim, svc } = fx;
    h.login(nim, a);
    const N = 12_000;
    for (let b = 0; b < N; b += 1000) {
      nim.V2NIMMessageService.emit('onReceiveMessages', Array.from({ length: 1000 }, (_, i) => h.message(nim, {
        conversationId: `${a}|1|u${b + i}`, senderId: `u${b + i}`, createTime: T + b + i, clientId: `m${b + i}`,
      })));
    }
    // Half of them were read on another device.
    for (let i = 0; i < N; i += 2) nim.V2NIMConversationService.emit('onConversationReadTimeUpdated', `${a}|1|u${i}`, T + i);
    const totals = [];
    svc.on('onTotalUnreadCountChanged', (n) => totals.push(n));
    h.syncDone(nim);
    await h.until(() => fx.log.some(([n]) => n === 'onSyncFinished'), 'onSyncFinished', 120_000);
    const changed = fx.log.filter(([n]) => n === 'onConversationChanged').map(([, [list]]) => list.length);
    const both = await h.agree('12,000');
    return { total: both.ours.total, count: both.ours.list.length, uikit: both.uikit.list.length, uikitTotal: both.uikit.total, changed, totals };
  }, [account, T]);
  assert.equal(r.count, 12_000);
  assert.equal(r.uikit, 12_000);
  assert.equal(r.total, 6_000);
  assert.equal(r.uikitTotal, 6_000);
  assert.ok(r.changed.every((n) => n <= 1000), `events of at most 1,000: ${r.changed}`);
  assert.equal(r.changed.reduce((x, y) => x + y, 0), 12_000, 'every conversation once');
  assert.deepEqual(r.totals, [0, 6_000], 'the stored total at open (none), then one after the sync, counting no read message');
});

test('two tabs of the same account, each with its SDK instance and UIKit: both lists and totals agree with each other', async (t) => {
  const context = await env.context(t);
  const account = uniqueName('tabs');
  const [a, b] = [await nimPage(t, { context }), await nimPage(t, { context })];
  for (const page of [a, b]) {
    await inPage(page, (p) => globalThis.h.setup({ placement: p }), 'page');
    await inPage(page, async ([acc, T]) => {
      const { h, fx } = globalThis;
      h.login(fx.nim, acc);
      // Both instances sync the same roaming message, as two tabs' SDKs do.
      fx.nim.V2NIMMessageService.emit('onReceiveMessages', [h.message(fx.nim, { conversationId: `${acc}|1|bob`, senderId: 'bob', createTime: T, clientId: 'same' })]);
      h.syncDone(fx.nim);
      await h.until(() => fx.log.some(([n]) => n === 'onSyncFinished'), 'onSyncFinished');
    }, [account, T]);
  }
  // A message in tab A reaches tab B's list and UIKit.
  await inPage(a, async ([acc, T]) => {
    const { h, fx } = globalThis;
    fx.nim.V2NIMMessageService.emit('onReceiveMessages', [h.message(fx.nim, { conversationId: `${acc}|1|carol`, senderId: 'carol', createTime: T + 1, clientId: 'c1' })]);
  }, [account, T]);
  const seen = await Promise.all([a, b].map((page) => inPage(page, async () => {
    const { h, fx } = globalThis;
    await h.until(() => fx.svc.getTotalUnreadCount() === 2, 'both messages counted once');
    return h.agree('two tabs');
  })));
  assert.deepEqual(seen[0].ours, seen[1].ours);
  assert.deepEqual(seen[0].uikit, seen[1].uikit);
  assert.equal(seen[1].uikit.total, 2, 'the roaming message both tabs synced counts once');
});

test('nim-web-sdk-ng 10.8.1: attached the same way, its login sync lists and counts', async (t) => {
  const page = await nimPage(t, { sdk: '10.8.1' });
  const account = uniqueName('old');
  const r = await inPage(page, async ([a, T]) => {
    const { h } = globalThis;
    const setup = await h.setup({ placement: 'page', uikit: false });
    const { nim, svc, log } = globalThis.fx;
    h.login(nim, a);
    nim.V2NIMMessageService.emit('onReceiveMessages', [
      h.message(nim, { conversationId: `${a}|1|bob`, senderId: 'bob', createTime: T, clientId: 'x0' }),
      h.message(nim, { conversationId: `${a}|1|bob`, senderId: 'bob', createTime: T + 1, clientId: 'x1' }),
    ]);
    nim.V2NIMConversationService.emit('onConversationReadTimeUpdated', `${a}|1|bob`, T);
    h.syncDone(nim);
    await h.until(() => log.some(([n]) => n === 'onSyncFinished'), 'onSyncFinished');
    return { setup, version: globalThis.NIM.default.sdkVersion ?? null, list: (await svc.getConversationList(0, 10)).conversationList, total: svc.getTotalUnreadCount() };
  }, [account, T]);
  assert.equal(r.setup.replaced, true);
  assert.equal(r.list.length, 1);
  assert.equal(r.total, 1);
});

test('kept across logins, as the SDK never does: a deleted conversation stays deleted when roaming brings it again; pins, localExtension and read state survive logout, reload and a browser restart', async (t) => {
  const context = await env.context(t);
  const page = await nimPage(t, { context });
  const account = uniqueName('kept');
  // The roaming of every login: the same old messages (and, the second time,
  // one of eve's the first login did not bring, older than her deletion).
  const roam = async (p, extra) => inPage(p, async ([a, T, extra]) => {
    const { h, fx } = globalThis;
    await h.newStore();
    h.login(fx.nim, a);
    const msgs = ['bob', 'carol', 'dave', 'eve'].flatMap((peer, i) => [0, 1].map((k) => h.message(fx.nim, {
      conversationId: `${a}|1|${peer}`, senderId: peer, createTime: T + i * 100 + k, clientId: `${peer}-${k}`,
    })));
    if (extra) msgs.push(h.message(fx.nim, { conversationId: `${a}|1|eve`, senderId: 'eve', createTime: T + 350, clientId: 'eve-late' }));
    fx.nim.V2NIMMessageService.emit('onReceiveMessages', msgs);
    h.syncDone(fx.nim);
    await h.until(() => fx.log.some(([n]) => n === 'onSyncFinished'), 'onSyncFinished');
    const both = await h.agree('after the login sync');
    const carol = await fx.svc.getConversation(`${a}|1|carol`);
    const dave = await fx.svc.getConversation(`${a}|1|dave`);
    return { ...both, pinned: carol.stickTop, ext: dave.localExtension, bobRead: await fx.svc.getConversationReadTime(`${a}|1|bob`) };
  }, [account, T, extra]);
  await inPage(page, () => globalThis.h.setup({ placement: 'page' }));
  const first = await roam(page, false);
  assert.equal(first.ours.list.length, 4);
  assert.equal(first.ours.total, 8);
  const marked = await inPage(page, async (a) => {
    const { fx } = globalThis;
    await fx.svc.stickTopConversation(`${a}|1|carol`, true);
    await fx.svc.updateConversationLocalExtension(`${a}|1|dave`, 'draft');
    const readTime = await fx.svc.markConversationRead(`${a}|1|bob`);
    await fx.svc.deleteConversation(`${a}|1|eve`);
    globalThis.h.logout(fx.nim);
    return readTime;
  }, account);

  for (const how of ['reload', 'restart']) {
    let p = page;
    if (how === 'reload') {
      await page.reload();
      await page.waitForFunction(() => document.title === 'ready');
    } else {
      // Every page of the profile closed, then a new one: what a browser
      // restart leaves is what IndexedDB kept.
      await page.close();
      p = await nimPage(t, { context });
    }
    await inPage(p, () => globalThis.h.setup({ placement: 'page' }));
    const again = await roam(p, how === 'reload');
    assert.deepEqual(again.ours.list.map((c) => c.id), [`${account}|1|bob`, `${account}|1|carol`, `${account}|1|dave`],
      `${how}: eve stays deleted, though roaming brought her messages again`);
    assert.equal(again.pinned, true, `${how}: the pin`);
    assert.equal(again.ext, 'draft', `${how}: localExtension`);
    assert.equal(again.bobRead, marked, `${how}: bob's read time`);
    assert.equal(again.ours.list.find((c) => c.id.endsWith('|bob')).unread, 0, `${how}: bob read`);
    assert.equal(again.ours.total, 4, `${how}: carol's and dave's`);
    if (how === 'reload') await inPage(p, () => globalThis.h.logout(globalThis.fx.nim));
  }
});
