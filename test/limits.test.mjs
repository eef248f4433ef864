// docs/api.md §2/§5 limits through the wrapper: 100 ids to delete, 10 to clear, 100
// pinned; and huge arguments, refused quickly without freezing the page.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useBrowser, uniqueName } from './harness.mjs';
import { openService, assertRejected, msg } from './client.mjs';

const env = useBrowser();
const T = 1_700_000_000_000;

async function expectNothingChanged(s, baseline, logLength, what) {
  assert.deepEqual(await s.snapshot(), baseline, `${what} changed the service`);
  assert.deepEqual((await s.log()).slice(logLength), [], `${what} emitted events`);
}

test('limits: 100 ids to delete, 10 to clear, 100 pinned', async (t) => {
  const page = await env.page(t);
  const s = await openService(page, { accountId: uniqueName() });
  const ids = Array.from({ length: 102 }, (_, i) => s.p2p(`peer${String(i).padStart(3, '0')}`));
  await s.ok('applyMessages', ids.map((id, i) => msg(id, `m${i}`, `peer${String(i).padStart(3, '0')}`, T + i)));
  await s.ok('subscribeUnreadCountByFilter', { conversationTypes: [1] });
  let baseline = await s.snapshot();
  let logLength = (await s.log()).length;
  assert.equal(baseline.list.length, 102);
  assert.equal(baseline.total, 102);

  // 101 ids to delete, 11 to clear: refused whole.
  assertRejected(await s.call('deleteConversationListByIds', ids.slice(0, 101)), 191004, [/conversationIds/, /100/], 'delete 101');
  assertRejected(await s.call('deleteConversationListByIds', ids.slice(0, 101), true), 191004, [/conversationIds/, /100/], 'delete 101, clearMessage');
  assertRejected(await s.call('clearUnreadCountByIds', ids.slice(0, 11)), 191004, [/conversationIds/, /10\b/], 'clear 11');
  await expectNothingChanged(s, baseline, logLength, 'over the limits');

  // Exactly at the limits: fine.
  const cleared = await s.ok('clearUnreadCountByIds', ids.slice(0, 10));
  assert.deepEqual(cleared.value, ids.slice(0, 10).map((conversationId) => ({ conversationId })));
  assert.equal(await s.value('getTotalUnreadCount'), 92);

  // 100 pinned is the most; the 101st is refused with a message saying the limit.
  const pinned = await page.evaluate(async (ids) => {
    const svc = globalThis.kit.services.svc;
    for (const id of ids) await svc.stickTopConversation(id, true);
    return (await svc.getStickTopConversationList()).length;
  }, ids.slice(0, 100));
  assert.equal(pinned, 100);
  baseline = await s.snapshot();
  logLength = (await s.log()).length;
  const over = await s.call('stickTopConversation', ids[100], true);
  assertRejected(over, 191004, [/100/, /limit/], 'pin the 101st');
  await expectNothingChanged(s, baseline, logLength, 'pinning the 101st');
  assert.deepEqual((await s.ok('stickTopConversation', ids[0], true)).events, [], 'pinning a pinned one is still a no-op');
  await s.ok('stickTopConversation', ids[0], false);
  await s.ok('stickTopConversation', ids[100], true);
  assert.equal((await s.value('getStickTopConversationList')).length, 100);

  const deleted = await s.ok('deleteConversationListByIds', ids.slice(1, 101));
  assert.deepEqual(deleted.value, ids.slice(1, 101).map((conversationId) => ({ conversationId })));
  assert.deepEqual(deleted.events[0], { type: 'conversationDeleted', detail: ids.slice(1, 101), custom: true });
  const left = await s.value('getConversationList', 0, 0);
  assert.deepEqual(left.conversationList.map((c) => c.conversationId), [ids[0], ids[101]], 'the unpinned one sorts by the time of the unpin');
  assert.deepEqual(await s.value('getStickTopConversationList'), []);
});

test('a huge array is refused at once, naming the parameter, and the page stays responsive', async (t) => {
  const page = await env.page(t);
  const s = await openService(page, { accountId: uniqueName() });
  const bob = s.p2p('bob');
  await s.ok('applyMessages', [msg(bob, 'm1', 'bob', T)]);
  const baseline = await s.snapshot();
  const logLength = (await s.log()).length;

  const cases = [
    ['applyMessages', 'messages', `[new Array(1_000_000).fill(m)]`],
    ['deleteConversationListByIds', 'conversationIds', `[new Array(1_000_000).fill(id)]`],
    ['getUnreadCountByIds', 'conversationIds', `[Array.from({length: 1_000_000}, (_, i) => id + i)]`],
    ['deleteMessages', 'refers', `[new Array(1_000_000)]`],
    ['clearUnreadCountByTypes', 'conversationTypes', `[new Array(1_000_000).fill(1)]`],
    ['getUnreadCountByFilter', 'filter', `[{conversationTypes: new Array(1_000_000).fill(1)}]`],
    ['applyMessages', 'messages', `[[{...m, attachment: {list: new Array(1_000_000).fill(0)}}]]`],
    // Binary data, which JSON would spell out byte by byte.
    ['getConversationListByIds', 'conversationIds', `[new Uint8Array(10_000_000)]`],
    ['updateConversationInfo', 'info', `[id, new Float64Array(10_000_000)]`],
    ['applyMessages', 'messages', `[[{...m, attachment: {data: new ArrayBuffer(1 << 24)}}]]`],
    // Under the wrapper's transport bound, over the module's: megabytes cross
    // into the module to be refused there, which takes longer (and varies with
    // the machine's load), but must not hang.
    ['applyMessages', 'messages', `[new Array(50_000).fill(m)]`, 10_000],
    ['getConversationListByIds', 'conversationIds', `[new Array(50_000).fill(id)]`, 10_000],
  ];
  for (const [method, param, src, limitMs = 1000] of cases) {
    const out = await page.evaluate(async ([method, src, m, id]) => {
      const args = new Function('m', 'id', `return (${src});`)(m, id);
      const t0 = performance.now();
      const r = await globalThis.kit.call('svc', method, args);
      r.ms = performance.now() - t0;
      // The page answers a timer promptly right after.
      const t1 = performance.now();
      await new Promise((res) => setTimeout(res, 0));
      r.timerMs = performance.now() - t1;
      return r;
    }, [method, src, msg(bob, 'x', 'bob', T + 1), bob]);
    assertRejected(out, 191004, new RegExp(`\\b${param}\\b`), `${method}(${src})`);
    assert.ok(out.ms < limitMs, `${method}(${src}) took ${out.ms} ms`);
    assert.ok(out.timerMs < 500, `a timer waited ${out.timerMs} ms after ${method}`);
    const t0 = Date.now();
    assert.equal(await page.evaluate(() => 1 + 1), 2);
    assert.ok(Date.now() - t0 < 2000, 'the page answers');
  }
  await expectNothingChanged(s, baseline, logLength, 'huge arrays');
  // The service still works.
  await s.ok('applyMessages', [msg(bob, 'm2', 'bob', T + 1)]);
  assert.equal(await s.value('getTotalUnreadCount'), 2);
});

test('the largest lists the module takes work: 10,000 messages in one call', async (t) => {
  const page = await env.page(t);
  const s = await openService(page, { accountId: uniqueName() });
  const r = await page.evaluate(async ([acc, T]) => {
    const messages = Array.from({ length: 10_000 }, (_, i) => ({
      conversationId: `${acc}|1|p${i % 100}`, messageClientId: `m${i}`, senderId: `p${i % 100}`,
      createTime: T + i, messageType: 0, text: 'hello',
    }));
    const t0 = performance.now();
    const res = await globalThis.kit.services.svc.applyMessages(messages);
    return { res, ms: performance.now() - t0 };
  }, [s.accountId, T]);
  assert.deepEqual(r.res, { applied: 10_000, duplicates: 0 });
  assert.equal(await s.value('getTotalUnreadCount'), 10_000);
  assert.equal((await s.value('getConversationList', 0, 0)).conversationList.length, 100);
  assertRejected(await s.call('getUnreadCountByIds', Array.from({ length: 10_001 }, (_, i) => s.p2p(`p${i}`))), 191004,
    /conversationIds/, '10,001 ids');
});
