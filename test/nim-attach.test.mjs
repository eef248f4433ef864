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
