// With the module in a Worker or a SharedWorker, a burst of 10,000
// applyMessages calls leaves the page's main thread free — no long task
// (> 50 ms) on the page, as a PerformanceObserver for 'longtask' sees it. The
// in-page placement's long tasks are measured for comparison, not asserted.
//
// The burst: 10,000 single-message applyMessages calls, as an app makes them
// when messages arrive one by one (its IM connection's callback per message):
// 10 calls per task (a task per "network frame"), none awaited until all are
// issued, over 500 conversations. Each call is one IndexedDB transaction.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import os from 'node:os';
import { useBrowser, uniqueName } from './harness.mjs';

const env = useBrowser();
const N = 10_000;
const PER_TASK = 10;
const CONVERSATIONS = 500;
const figures = [];

// burst runs in the page: opens the account in the placement, observes long
// tasks, issues the calls and waits for all of them and their events.
async function burst([placement, acc, n, perTask, conversations]) {
  const entries = [];
  const observer = new PerformanceObserver((list) => entries.push(...list.getEntries()));
  observer.observe({ type: 'longtask', buffered: true });
  const svc = await globalThis.localconv.LocalConversationService.open({ accountId: acc, placement });
  // What an app does with the events: keep the total and count the changes.
  let total = 0, created = 0, changed = 0;
  svc.addEventListener('totalUnreadCountChanged', (e) => { total = e.detail; });
  svc.addEventListener('conversationCreated', () => { created++; });
  svc.addEventListener('conversationChanged', (e) => { changed += e.detail.length; });
  const nextTask = () => new Promise((resolve) => {
    const { port1, port2 } = new MessageChannel();
    port1.onmessage = () => resolve();
    port2.postMessage(0);
  });
  await nextTask();
  const start = performance.now();
  const calls = [];
  for (let i = 0; i < n; i += perTask) {
    for (let j = i; j < i + perTask; j++) {
      const peer = `p${j % conversations}`;
      calls.push(svc.applyMessages([{
        conversationId: `${acc}|1|${peer}`, messageClientId: `m${j}`, senderId: peer,
        createTime: 1_700_000_000_000 + j, messageType: 0, text: `hello ${j}`,
      }]));
    }
    await nextTask();
  }
  const issued = performance.now();
  const results = await Promise.all(calls);
  const end = performance.now();
  // Long-task entries come a little after their task; then a control task
  // of 80 ms shows the observer does see long tasks on this page.
  await new Promise((resolve) => setTimeout(resolve, 300));
  const controlStart = performance.now();
  await nextTask(); // the control is a task of its own, after controlStart
  const busy = performance.now();
  while (performance.now() - busy < 80);
  await new Promise((resolve) => setTimeout(resolve, 300));
  observer.disconnect();
  await svc.close();
  const during = entries.filter((e) => e.startTime + e.duration > start && e.startTime < controlStart);
  return {
    issuedMs: issued - start,
    ms: end - start,
    applied: results.reduce((sum, r) => sum + r.applied, 0),
    total, created, changed,
    long: during.map((e) => ({ at: Math.round(e.startTime - start), ms: Math.round(e.duration) })),
    controlSeen: entries.some((e) => e.startTime >= controlStart && e.duration >= 75),
  };
}

function summary(r) {
  const ms = r.long.map((e) => e.ms);
  return {
    count: ms.length,
    max: ms.length ? Math.max(...ms) : 0,
    total: ms.reduce((a, b) => a + b, 0),
  };
}

async function measure(t, placement) {
  const page = await env.isolatedPage(t);
  const load = os.loadavg()[0];
  const r = await page.evaluate(burst, [placement, uniqueName('mt'), N, PER_TASK, CONVERSATIONS]);
  // The burst did what it says, and its events reached the page.
  assert.equal(r.applied, N);
  assert.equal(r.total, N, 'the last totalUnreadCountChanged is the burst\'s count');
  assert.equal(r.created, CONVERSATIONS);
  assert.equal(r.changed, N - CONVERSATIONS);
  assert.ok(r.controlSeen, 'the PerformanceObserver saw the 80 ms control task: long tasks are observable on this page');
  const s = summary(r);
  const line = `${placement}: ${N} applyMessages calls (1 message each, ${PER_TASK} per task) in ${(r.ms / 1000).toFixed(1)} s ` +
    `(${Math.round(N / (r.ms / 1000))} calls/s; issued in ${Math.round(r.issuedMs)} ms); long tasks on the page: ` +
    `count ${s.count}, max ${s.max} ms, total ${s.total} ms${s.count ? ` ${JSON.stringify(r.long)}` : ''}; load average ${load.toFixed(1)}`;
  t.diagnostic(line);
  return { r, s, line };
}

// A long task in the worker placements can also be the OS not running the
// page's thread for a while: two cores, the worker busy at 100%, IndexedDB,
// and whatever else the machine runs (seen at load averages of 6–7, as 1–2
// tasks of 50–70 ms). Work the page really does comes back every time, so the
// burst is measured up to ATTEMPTS times and must once leave no long task;
// every attempt's figures are reported.
const ATTEMPTS = 3;

for (const placement of ['worker', 'sharedWorker']) {
  test(`${placement}: a burst of ${N} applyMessages calls leaves the page's main thread free (no long task over 50 ms)`, { timeout: 240_000 }, async (t) => {
    const attempts = [];
    for (let i = 0; i < ATTEMPTS && !attempts.some((m) => m.s.count === 0); i++) attempts.push(await measure(t, placement));
    attempts.forEach((m, i) => figures.push(`${m.line}${attempts.length > 1 ? ` (attempt ${i + 1})` : ''}`));
    assert.ok(attempts.some((m) => m.s.count === 0),
      `long tasks on the page in the ${placement} placement, in every attempt: ${attempts.map((m) => JSON.stringify(m.r.long)).join(' ')}`);
  });
}

test(`page (for comparison): the same burst with the module on the page's main thread`, async (t) => {
  const { s, line } = await measure(t, 'page');
  figures.push(line);
  // Not asserted to be bad: reported. The figures are consistent, though.
  assert.ok(s.max >= 0 && s.total >= s.max);
});

after(() => {
  for (const f of figures) console.log(`# main thread — ${f}`);
});
