// Tabs that change the same conversations at the same moment. No
// update is lost, no message counts twice, a read time marked in one tab
// reaches the others with their unread counts, and docs/api.md §3's invariant holds
// in every tab. Two and three pages of one browser context.
//
// "At the same moment": each tab runs its loop of calls in the page, all tabs
// started together, so their calls interleave at the database (IndexedDB runs
// read-write transactions one at a time) while every tab's cache lags behind
// the others' commits.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useBrowser, uniqueName } from './harness.mjs';
import { T, FILTERS, openTabs, waitAgree, assertEventsTellTheList, afterSync, msg, strip } from './tabs.mjs';

const env = useBrowser();

// inParallel runs one loop per tab, all at once, each in its page: loops[i]
// is [fn, arg] for tab i; fn(svc, arg) runs in the page with the tab's service.
function inParallel(tabs, loops) {
  return Promise.all(tabs.map((tab, i) => tab.eval(
    ([src, arg]) => new Function('svc', 'arg', `return (${src})(svc, arg);`)(globalThis.tabkit.svc, arg),
    [loops[i][0].toString(), loops[i][1]],
  )));
}

async function finalState(tabs, what) {
  const fresh = await waitAgree(tabs, what);
  for (const tab of tabs) assertEventsTellTheList(afterSync(await tab.log()), fresh, FILTERS, `${what}: tab ${tab.index}`);
  return fresh;
}

for (const n of [2, 3]) {
  test(`${n} tabs: pin in one, local extension (and display info) in the others, on one conversation at once: every change stays`, async (t) => {
    const acc = uniqueName('lost');
    const { tabs } = await openTabs(env, t, n, { accountId: acc });
    const x = tabs[0].p2p('x');
    await tabs[0].ok('applyMessages', [msg(x, 'm1', 'x', T + 1)]);
    const rounds = 40;
    const loops = [
      [async (svc, { x, rounds }) => { for (let i = 0; i < rounds; i++) await svc.stickTopConversation(x, i % 2 === 0); }, { x, rounds }],
      [async (svc, { x, rounds }) => { for (let i = 0; i < rounds; i++) await svc.updateConversationLocalExtension(x, `ext ${i}`); }, { x, rounds }],
      [async (svc, { x, rounds }) => { for (let i = 0; i < rounds; i++) await svc.updateConversationInfo(x, { name: `name ${i}`, mute: i % 2 === 1 }); }, { x, rounds }],
    ].slice(0, n);
    await inParallel(tabs, loops);
    const fresh = await finalState(tabs, 'after the concurrent edits');
    const c = fresh.list.find((y) => y.conversationId === x);
    assert.equal(c.stickTop, rounds % 2 === 0 ? false : true, 'the pinning tab\'s last call');
    assert.equal(c.localExtension, `ext ${rounds - 1}`, 'the extension tab\'s last call');
    if (n === 3) assert.deepEqual([c.name, c.mute], [`name ${rounds - 1}`, true], 'the info tab\'s last call');
    assert.equal(c.unreadCount, 1);
    assert.equal(c.lastMessage.messageRefer.messageClientId, 'm1');
  });
}

for (const n of [2, 3]) {
  test(`${n} tabs: applyMessages in every tab at once, to the same conversations: all messages stay, each counts once`, async (t) => {
    const acc = uniqueName('apply');
    const { tabs } = await openTabs(env, t, n, { accountId: acc });
    const convs = ['a', 'b', 'c'].map((p) => tabs[0].p2p(p));
    // Each tab applies its own messages and, in its own order, a shared set
    // that every tab receives (each tab has its own server connection).
    const loops = tabs.map((tab, k) => [async (svc, { convs, k, T }) => {
      const results = [];
      const peer = (c) => c.split('|')[2];
      for (let i = 0; i < 30; i++) {
        const c = convs[i % convs.length];
        const own = { conversationId: c, messageClientId: `own-${k}-${i}`, senderId: peer(c), createTime: T + 1000 * k + i, messageType: 0 };
        const j = (i * (k + 1) * 7) % 30; // each tab its own order
        const shared = { conversationId: convs[j % convs.length], messageClientId: `shared-${j}`, senderId: peer(convs[j % convs.length]), createTime: T + 5000 + j, messageType: 0 };
        results.push(await svc.applyMessages(i % 3 === 0 ? [own, shared, shared] : [own, shared]));
      }
      return results;
    }, { convs, k, T }]);
    const results = (await inParallel(tabs, loops)).flat();
    const applied = results.reduce((s, r) => s + r.applied, 0);
    const duplicates = results.reduce((s, r) => s + r.duplicates, 0);
    const distinct = 30 * n + 30;
    assert.equal(applied, distinct, 'every message was applied once, by one tab');
    assert.equal(applied + duplicates, n * 30 * 2 + n * 10, 'and every other sight of it was a duplicate');

    const fresh = await finalState(tabs, 'after the concurrent applies');
    assert.equal(fresh.total, distinct);
    for (const [i, c] of convs.entries()) {
      const conv = fresh.list.find((y) => y.conversationId === c);
      assert.equal(conv.unreadCount, 10 * n + 10, `${c}: ${n} tabs' own messages and the shared ones, once each`);
      // The newest message is the last one, whichever tab applied it.
      const newest = Math.max(...Array.from({ length: 30 }, (_, j) => j).filter((j) => j % 3 === i).map((j) => 5000 + j));
      assert.equal(conv.lastMessage.messageRefer.createTime, T + newest);
    }
  });
}

for (const n of [2, 3]) {
  test(`${n} tabs: clearing unread in one tab while messages arrive in the others: both take effect, the counts stay exact`, async (t) => {
    const acc = uniqueName('clear');
    const { tabs } = await openTabs(env, t, n, { accountId: acc });
    const x = tabs[0].p2p('x'), y = tabs[0].team('y');
    await tabs[0].ok('applyMessages', [msg(x, 'x0', 'x', T), msg(y, 'y0', 'z', T)]);
    const rounds = 40;
    const clearer = [async (svc, { x, y, rounds }) => {
      const readTimes = [];
      for (let i = 0; i < rounds; i++) {
        if (i % 4 === 0) await svc.clearUnreadCountByIds([x, y]);
        else if (i % 4 === 1) await svc.clearTotalUnreadCount();
        else if (i % 4 === 2) await svc.clearUnreadCountByTypes([1, 2]);
        else readTimes.push(await svc.markConversationRead(x));
      }
      return readTimes;
    }, { x, y, rounds }];
    const sender = (k) => [async (svc, { x, y, rounds, k, T }) => {
      for (let i = 1; i <= rounds; i++) {
        await svc.applyMessages([
          { conversationId: x, messageClientId: `x-${k}-${i}`, senderId: 'x', createTime: T + 100 * i + k, messageType: 0 },
          { conversationId: y, messageClientId: `y-${k}-${i}`, senderId: 'z', createTime: T + 100 * i + k, messageType: 0 },
        ]);
      }
    }, { x, y, rounds, k, T }];
    const [readTimes] = await inParallel(tabs, [clearer, ...tabs.slice(1).map((_, k) => sender(k))]);
    assert.ok(readTimes.every((rt, i) => i === 0 || rt >= readTimes[i - 1]), 'read times only move forward');

    const fresh = await finalState(tabs, 'after clearing while messages arrived');
    // Both took effect: every message is there (the newest is the last), and
    // each conversation's unread count is exactly its messages newer than its
    // read time (docs/api.md §3), all from peers.
    for (const id of [x, y]) {
      const c = fresh.list.find((z) => z.conversationId === id);
      const rt = fresh.readTimes[id];
      assert.ok(rt >= T, `${id} was cleared`);
      const times = [T];
      for (let k = 0; k < n - 1; k++) for (let i = 1; i <= rounds; i++) times.push(T + 100 * i + k);
      assert.equal(c.unreadCount, times.filter((ct) => ct > rt).length, `${id}: unread = messages newer than the read time ${rt}`);
      assert.equal(c.lastMessage.messageRefer.createTime, Math.max(...times));
    }
    // Re-applying every message in a fresh state is all duplicates: none was lost.
    const again = [];
    for (let k = 0; k < n - 1; k++) for (let i = 1; i <= rounds; i++) again.push(msg(x, `x-${k}-${i}`, 'x', T + 100 * i + k));
    const r = await tabs[0].ok('applyMessages', again);
    assert.deepEqual(r.value, { applied: 0, duplicates: again.length });
    assert.deepEqual(r.events, []);
  });
}

for (const n of [2, 3]) {
  test(`${n} tabs: deleting a conversation in one tab while messages arrive for it in another: it comes back with only the new ones`, async (t) => {
    const acc = uniqueName('del');
    const { tabs } = await openTabs(env, t, n, { accountId: acc });
    const x = tabs[0].p2p('x');
    const rounds = 30;
    const deleter = [async (svc, { x, rounds }) => {
      let deleted = 0;
      for (let i = 0; i < rounds; i++) {
        try {
          await svc.deleteConversation(x, i % 2 === 0);
          deleted++;
        } catch (e) {
          if (e.code !== 191004) throw e; // not there at that moment
        }
      }
      return deleted;
    }, { x, rounds }];
    const sender = (k) => [async (svc, { x, rounds, k, T }) => {
      for (let i = 1; i <= rounds; i++) {
        await svc.applyMessages([{ conversationId: x, messageClientId: `x-${k}-${i}`, senderId: 'x', createTime: T + 100 * i + k, messageType: 0 }]);
      }
    }, { x, rounds, k, T }];
    const [deleted] = await inParallel(tabs, [deleter, ...tabs.slice(1).map((_, k) => sender(k))]);
    assert.ok(deleted > 0, 'some deletes found the conversation');
    // One last message, after everything: the conversation exists in the end.
    await tabs[n - 1].ok('applyMessages', [msg(x, 'last', 'x', T + 100 * (rounds + 1))]);
    const fresh = await finalState(tabs, 'after deleting while messages arrived');
    const c = fresh.list.find((z) => z.conversationId === x);
    const rt = fresh.readTimes[x];
    const times = [T + 100 * (rounds + 1)];
    for (let k = 0; k < n - 1; k++) for (let i = 1; i <= rounds; i++) times.push(T + 100 * i + k);
    assert.equal(c.unreadCount, times.filter((ct) => ct > rt).length, 'unread = messages newer than the read time the deletes left');
  });
}

for (const n of [2, 3]) {
  test(`${n} tabs: a read time marked in one tab emits conversationReadTimeUpdated in the others, and their unread counts follow`, async (t) => {
    const acc = uniqueName('read');
    const { tabs } = await openTabs(env, t, n, { accountId: acc });
    const x = tabs[0].p2p('x'), y = tabs[0].team('y');
    await tabs[0].ok('applyMessages', [
      msg(x, 'x1', 'x', T + 1), msg(x, 'x2', 'x', T + 2), msg(x, 'x3', 'x', T + 3),
      msg(y, 'y1', 'z', T + 1), msg(y, 'y2', 'z', T + 2),
    ]);
    await waitAgree(tabs, 'before marking');
    for (const [i, [method, id, ...args]] of [['applyReadTime', x, T + 2], ['markConversationRead', y], ['markConversationRead', x]].entries()) {
      const actor = tabs[i % n];
      const marks = await Promise.all(tabs.map((tab) => tab.logLength()));
      const r = await actor.ok(method, id, ...args);
      const update = r.events.find((e) => e.type === 'conversationReadTimeUpdated');
      assert.ok(update, `${method} emits conversationReadTimeUpdated in the acting tab`);
      for (const [j, tab] of tabs.entries()) {
        if (tab === actor) continue;
        const got = await tab.waitLog(marks[j] + r.events.length, marks[j], 1000);
        assert.ok(got.reached, `tab ${j} heard nothing of ${method} within 1 s`);
        assert.deepEqual(strip(got.log), strip(r.events), `tab ${j} heard ${method} as the acting tab told it`);
        assert.deepEqual((await tab.ok('getConversationReadTime', id)).value, update.detail.readTime);
      }
    }
    const fresh = await finalState(tabs, 'after the read marks');
    assert.equal(fresh.total, 0);
    assert.equal(fresh.readTimes[x], T + 3);
    assert.equal(fresh.readTimes[y], T + 2);
    // Marks made at once in every tab: each tab hears every mark it did not make.
    const loops = tabs.map((tab, k) => [async (svc, { x, k, T }) => {
      for (let i = 1; i <= 10; i++) await svc.applyReadTime(x, T + 10 * i + k);
    }, { x, k, T }]);
    await inParallel(tabs, loops);
    const end = await finalState(tabs, 'after marks at once');
    assert.equal(end.readTimes[x], T + 100 + n - 1);
    for (const tab of tabs) {
      const last = (await tab.log()).filter((e) => e.type === 'conversationReadTimeUpdated' && e.detail.conversationId === x).at(-1);
      assert.deepEqual(last.detail, { conversationId: x, readTime: T + 100 + n - 1 }, `tab ${tab.index}'s last read time event`);
    }
  });
}
