// Nothing grows per call, and a loop of awaited calls lets the page's other
// tasks run. (No call stays pending when a worker dies: test/crash.test.mjs.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useBrowser, uniqueName } from './harness.mjs';

const env = useBrowser();

test('worker: 100,000 calls leave the wrapper\'s bookkeeping as it was', async (t) => {
  const page = await env.page(t);
  const acc = uniqueName('many');
  const out = await page.evaluate(async (acc) => {
    const { remoteStats } = await import('/js/remote.js');
    const svc = await globalThis.localconv.LocalConversationService.open({ accountId: acc, placement: 'worker', storage: 'memory' });
    await svc.applyMessages([{ conversationId: `${acc}|1|x`, messageClientId: 'm1', senderId: 'x', createTime: 1, messageType: 0 }]);
    const start = remoteStats();
    let peak = 0;
    let errors = 0;
    for (let round = 0; round < 100; round++) {
      const calls = [];
      for (let i = 0; i < 1000; i++) {
        // Successes and failures both: a rejected call must be let go too.
        calls.push(i % 10 === 9 ? svc.getConversation('nope').catch(() => errors++) : svc.getTotalUnreadCount());
      }
      // The calls reach the bridge a few microtasks later (the module is
      // entered from a microtask), and are answered a task later at least.
      for (let k = 0; k < 10; k++) await null;
      peak = Math.max(peak, remoteStats().pending);
      await Promise.all(calls);
    }
    const end = remoteStats();
    await svc.close();
    return { start, end, peak, errors, closed: remoteStats() };
  }, acc);
  assert.equal(out.errors, 10_000, 'the failing calls failed');
  assert.ok(out.peak >= 1000, `calls were in flight together (${out.peak})`);
  assert.deepEqual(out.end, out.start, 'after 100,000 calls');
  assert.equal(out.start.pending, 0);
  assert.deepEqual([out.closed.pending, out.closed.streams, out.closed.services], [0, 0, 0], 'after close()');
});

// timerDuring runs n awaited calls in the page and reports whether a timer
// set before the loop ran before the loop ended.
function timerDuring(page, acc, storage, method, n) {
  return page.evaluate(async ([acc, storage, method, n]) => {
    const svc = await globalThis.localconv.LocalConversationService.open({ accountId: acc, storage });
    const id = `${acc}|1|x`;
    let fired = false;
    setTimeout(() => { fired = true; }, 0);
    const start = performance.now();
    let firedAt = -1;
    for (let i = 0; i < n; i++) {
      if (method === 'applyMessages') {
        await svc.applyMessages([{ conversationId: id, messageClientId: `m${i}`, senderId: 'x', createTime: 1 + i, messageType: 0 }]);
      } else {
        await svc.getTotalUnreadCount();
      }
      if (fired && firedAt < 0) firedAt = i;
    }
    const ms = performance.now() - start;
    await svc.close();
    return { fired, firedAt, ms };
  }, [acc, storage, method, n]);
}

test('a loop of 3,000 awaited applyMessages in memory storage lets a timer run', async (t) => {
  const page = await env.page(t);
  const r = await timerDuring(page, uniqueName('breathe'), 'memory', 'applyMessages', 3000);
  assert.ok(r.firedAt >= 0 && r.firedAt < 3000, `the timer ran during the ${Math.round(r.ms)} ms loop (at call ${r.firedAt})`);
});

test('a loop of 20,000 awaited queries lets a timer run', async (t) => {
  const page = await env.page(t);
  const r = await timerDuring(page, uniqueName('breathe'), undefined, 'getTotalUnreadCount', 20000);
  assert.ok(r.firedAt >= 0 && r.firedAt < 20000, `the timer ran during the ${Math.round(r.ms)} ms loop (at call ${r.firedAt})`);
});
