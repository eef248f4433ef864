// The stress test: three tabs of one account, each running hundreds
// of random calls at once. In the end every tab's list, total and filter
// counts equal each other and a fresh tab's load of the database, each tab's
// events tell its list, no message counted twice or was lost, and every
// conversation's unread count is exactly its messages that count (docs/api.md §3),
// computed here from what the tabs applied, revoked and deleted.
//
// The calls each tab makes come from SEED (printed; run with SEED=<n> to get
// the same calls again). How the tabs' calls interleave is up to the browser.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useBrowser, uniqueName } from './harness.mjs';
import { FILTERS, openTabs, waitAgree, assertEventsTellTheList, afterSync, mulberry32 } from './tabs.mjs';

const env = useBrowser();
const TABS = 3;
const OPS = Number(process.env.OPS || 300);
const SEED = process.env.SEED ? Number(process.env.SEED) : Math.floor(Math.random() * 2 ** 31);

// The world: conversations of every type, each with a pool of messages whose
// every property follows from its key, so that tabs applying "the same
// message" apply the very same one. Their times are a day ahead, so that a
// read time of "now" (markConversationRead of a conversation without a last
// message) does not swallow every message to come.
const BASE = (Math.floor(Date.now() / 86_400_000) + 1) * 86_400_000;

function world(acc) {
  const convs = [
    ...['u0', 'u1', 'u2', 'u3', 'u4', 'u5'].map((x) => ({ id: `${acc}|1|${x}`, type: 1, peer: x })),
    ...['g0', 'g1', 'g2', 'g3'].map((x) => ({ id: `${acc}|2|${x}`, type: 2 })),
    ...['s0', 's1'].map((x) => ({ id: `${acc}|3|${x}`, type: 3 })),
  ];
  const messages = new Map(); // key → message
  for (const [ci, c] of convs.entries()) {
    c.keys = [];
    for (let j = 0; j < 45; j++) {
      const h = (ci * 31 + j * 17) % 97;
      const mine = h % 6 === 0;
      const m = {
        conversationId: c.id, messageClientId: `c${ci}m${j}`,
        senderId: mine ? acc : (c.peer ?? `member${j % 3}`),
        createTime: BASE + 10 * j + (h % 7), messageType: 0, text: `c${ci}m${j}`,
        unreadEnabled: h % 9 !== 0, lastMessageUpdateEnabled: h % 11 !== 0,
      };
      const key = `${c.id}\n${m.messageClientId}`;
      messages.set(key, m);
      c.keys.push(key);
    }
  }
  return { convs, messages };
}

// plan is tab k's calls, from its own PRNG: [method, ...args]. A revoke or a
// delete of messages names messages this tab applied before, so they are
// stored when it runs (whatever the other tabs did meanwhile).
function plan(w, seed, k) {
  const rnd = mulberry32(seed * 7919 + k);
  const int = (n) => Math.floor(rnd() * n);
  const pick = (xs) => xs[int(xs.length)];
  // A few hot conversations take most calls, so tabs collide on them.
  const conv = () => (rnd() < 0.6 ? w.convs[int(3)] : pick(w.convs));
  const some = (n, f) => Array.from({ length: 1 + int(n) }, f);
  // Messages arrive roughly in time order, as from a server: the further a
  // tab is in its plan, the newer the messages it applies and the read times
  // it sets, so unread counts build up again after each clear.
  const now = () => Math.floor((ops.length / OPS) * 25);
  const recent = (c) => c.keys[Math.max(0, Math.min(24, now() + int(7) - 4))];
  const applied = [];
  const ops = [];
  const weighted = [
    [30, () => {
      const keys = some(6, () => (rnd() < 0.85 ? recent(conv()) : pick(conv().keys)));
      applied.push(...keys);
      return ['applyMessages', keys.map((key) => w.messages.get(key))];
    }],
    [4, () => ['createConversation', conv().id]],
    [6, () => ['updateConversationLocalExtension', conv().id, `ext ${k}.${ops.length}`]],
    [6, () => ['stickTopConversation', conv().id, rnd() < 0.6]],
    [5, () => ['updateConversationInfo', conv().id, rnd() < 0.5 ? { mute: rnd() < 0.5 } : { name: `n${k}.${ops.length}`, avatar: 'a' }]],
    [4, () => ['deleteConversation', conv().id, rnd() < 0.5]],
    [2, () => ['deleteConversationListByIds', [...new Set(some(3, () => conv().id))], rnd() < 0.5]],
    [4, () => ['markConversationRead', conv().id]],
    [5, () => ['applyReadTime', conv().id, BASE + 10 * Math.max(0, now() - 3) + int(30)]],
    [3, () => ['clearUnreadCountByIds', [...new Set(some(3, () => conv().id))]]],
    [3, () => ['clearUnreadCountByTypes', [1 + int(3)]]],
    [2, () => ['clearTotalUnreadCount']],
    [5, () => {
      if (!applied.length) return ['getTotalUnreadCount'];
      const m = w.messages.get(pick(applied));
      return ['revokeMessage', { conversationId: m.conversationId, messageClientId: m.messageClientId }, { revokeAccountId: 'r', revokeType: 1 + int(2) }];
    }],
    [4, () => {
      if (!applied.length) return ['getTotalUnreadCount'];
      const refers = some(3, () => w.messages.get(pick(applied))).map((m) => ({ conversationId: m.conversationId, messageClientId: m.messageClientId }));
      return ['deleteMessages', refers];
    }],
    [4, () => ['setCurrentConversation', rnd() < 0.3 ? null : conv().id]],
    [3, () => ['getConversationList', 0, 20]],
    [2, () => ['getConversationListByOption', 0, 10, { onlyUnread: true }]],
    [2, () => ['getUnreadCountByFilter', pick(FILTERS)]],
  ];
  const sum = weighted.reduce((s, [n]) => s + n, 0);
  // The last fifth only receives messages, the newest of all (keys 25..44,
  // spread over every conversation), so that the end state has unread counts
  // to check. It runs once every tab is through the rest (see the test).
  const tail = Math.floor(OPS / 5);
  while (ops.length < OPS - tail) {
    let r = int(sum);
    const [, make] = weighted.find(([n]) => (r -= n) < 0);
    ops.push(make());
  }
  const main = ops.length;
  ops.push(['setCurrentConversation', null]); // else the tail's messages to it would not count
  while (ops.length < OPS) {
    const keys = some(4, () => { const c = pick(w.convs); return rnd() < 0.8 ? c.keys[25 + int(20)] : pick(c.keys); });
    applied.push(...keys);
    ops.push(['applyMessages', keys.map((key) => w.messages.get(key))]);
  }
  return [ops.slice(0, main), ops.slice(main)];
}

// run executes a plan in the page, one call after the other, and returns
// each outcome. Refusals are part of the game (another tab deleted the
// conversation, or the message), but only as 191004.
async function run(svc, ops) {
  const out = [];
  for (const [method, ...args] of ops) {
    try {
      out.push({ value: await svc[method](...args) });
    } catch (e) {
      out.push({ error: { code: e.code, message: String(e.message) } });
    }
  }
  return out;
}

// tally reads what the calls did from their outcomes: the messages applied
// (and how often a tab applied one rather than found it a duplicate), those
// revoked and those deleted. Refusals may only be 191004 for a conversation or
// message that another tab had just deleted.
function tally(plans, outcomes, why) {
  const out = { applied: new Set(), revoked: new Set(), deleted: new Set(), appliedCount: 0, sightings: 0, refused: 0 };
  const key = (r) => `${r.conversationId}\n${r.messageClientId}`;
  for (const [k, ops] of plans.entries()) {
    for (const [i, [method, ...args]] of ops.entries()) {
      const o = outcomes[k][i];
      if (o.error) {
        out.refused++;
        assert.equal(o.error.code, 191004, `tab ${k} call ${i} ${method}: ${JSON.stringify(o.error)} ${why}`);
        assert.match(o.error.message, /no such conversation|is not stored/, `tab ${k} call ${i} ${method} ${why}`);
        continue;
      }
      if (method === 'applyMessages') {
        for (const m of args[0]) out.applied.add(key(m));
        out.appliedCount += o.value.applied;
        out.sightings += o.value.applied + o.value.duplicates;
        assert.equal(o.value.applied + o.value.duplicates, args[0].length, why);
      } else if (method === 'revokeMessage') {
        out.revoked.add(key(args[0]));
      } else if (method === 'deleteMessages') {
        for (const r of args[0]) out.deleted.add(key(r));
      }
    }
  }
  // At most once: a message older than what its conversation keeps is a
  // duplicate even the first time it comes (docs/api.md "What is kept"), so
  // fewer may be applied; counted twice, checkState's counts would show it.
  assert.ok(out.appliedCount <= out.applied.size, `no message applied twice across the tabs: ${out.appliedCount} applied, ${out.applied.size} different ${why}`);
  return out;
}

// checkState waits for every tab to agree with a fresh load, checks that each
// tab's events tell its list, and checks docs/api.md §3 from the outside: a
// conversation's unread count is its applied messages from others,
// unread-enabled, neither revoked nor deleted, newer than its read time.
// (Messages a deleteConversation(…, true) cleared are older than the read
// time the deletion left, so they need no bookkeeping here.) The last message
// is one that was applied, not deleted, allowed to be last, and shown revoked
// exactly when it was.
async function checkState(tabs, w, acc, { applied, revoked, deleted, appliedCount }, what) {
  const fresh = await waitAgree(tabs, `${what}: every tab and a fresh load`);
  // Exactly once for every message that can still count: one newer than its
  // conversation's read time was never at or before what the conversation
  // forgot (a read time only moves forward), so some tab applied it. With
  // tally's bound, each was applied once, and the rest at most once.
  const mustApply = [...applied].filter((k) => {
    const m = w.messages.get(k);
    const rt = fresh.readTimes[m.conversationId];
    return fresh.list.some((c) => c.conversationId === m.conversationId) && m.createTime > rt;
  }).length;
  assert.ok(appliedCount >= mustApply, `${what}: ${appliedCount} applied, yet ${mustApply} messages are newer than their read times`);
  for (const tab of tabs) assertEventsTellTheList(afterSync(await tab.log()), fresh, FILTERS, `${what}: tab ${tab.index}`);
  let expectedTotal = 0;
  for (const c of fresh.list) {
    const rt = fresh.readTimes[c.conversationId];
    const counting = [...applied].map((k) => [k, w.messages.get(k)]).filter(([k, m]) => m.conversationId === c.conversationId &&
      m.senderId !== acc && m.unreadEnabled && !revoked.has(k) && !deleted.has(k) && m.createTime > rt);
    assert.equal(c.unreadCount, counting.length, `${what}: ${c.conversationId}: unread vs its counting messages (read time ${rt})`);
    expectedTotal += counting.length;
    const lm = c.lastMessage;
    if (lm) {
      const k = `${c.conversationId}\n${lm.messageRefer.messageClientId}`;
      const m = w.messages.get(k);
      assert.ok(applied.has(k), `${what}: ${c.conversationId}: lastMessage was applied`);
      assert.ok(!deleted.has(k), `${what}: ${c.conversationId}: lastMessage ${k} was deleted`);
      assert.equal(m.lastMessageUpdateEnabled, true, `${what}: ${c.conversationId}: lastMessage may be last`);
      assert.equal(lm.lastMessageState === 1, revoked.has(k), `${what}: ${c.conversationId}: lastMessage revoked state`);
      assert.equal(lm.text, revoked.has(k) ? '' : m.text, `${what}: a revoked message's text is gone`);
    }
  }
  assert.equal(fresh.total, expectedTotal, what);
  return fresh;
}

test(`stress: ${TABS} tabs × ${OPS} random calls at once (SEED=${SEED}) end in one state, exact counts`, async (t) => {
  console.log(`# stress SEED=${SEED} (rerun with SEED=${SEED} to make the same calls)`);
  t.diagnostic(`SEED=${SEED}`);
  const why = `(SEED=${SEED})`;
  const acc = uniqueName('stress');
  const w = world(acc);
  const { tabs } = await openTabs(env, t, TABS, { accountId: acc });
  const phases = tabs.map((_, k) => plan(w, SEED, k));
  const runAll = (phase) => Promise.all(tabs.map((tab, k) => tab.eval(
    ([src, ops]) => new Function('svc', 'ops', `return (${src})(svc, ops);`)(globalThis.tabkit.svc, ops),
    [run.toString(), phases[k][phase]],
  )));

  // The random calls, all tabs at once; then the state they left.
  let started = Date.now();
  const mainOutcomes = await runAll(0);
  let ran = Date.now() - started;
  const mainPlans = phases.map(([main]) => main);
  await checkState(tabs, w, acc, tally(mainPlans, mainOutcomes, why), `after the random calls ${why}`);

  // Then messages keep coming, in every tab at once.
  started = Date.now();
  const tailOutcomes = await runAll(1);
  ran += Date.now() - started;
  const plans = phases.map(([main, tail]) => [...main, ...tail]);
  const done = tally(plans, mainOutcomes.map((o, k) => [...o, ...tailOutcomes[k]]), why);
  const fresh = await checkState(tabs, w, acc, done, `at the end ${why}`);

  // No message was lost: applying every applied message again is all duplicates.
  const all = [...done.applied].map((k) => w.messages.get(k));
  for (let i = 0; i < all.length; i += 1000) {
    const r = await tabs[0].ok('applyMessages', all.slice(i, i + 1000));
    assert.deepEqual(r.value, { applied: 0, duplicates: Math.min(1000, all.length - i) }, why);
  }
  const calls = plans.flat().length;
  console.log(`# stress: ${calls} calls (${done.refused} refused with 191004, ${done.sightings} message sightings, ${done.applied.size} distinct) in ${ran} ms, ${fresh.list.length} conversations, total unread ${fresh.total}`);
  assert.ok(fresh.list.length > 0 && done.applied.size > 100 && fresh.total > 0, why);
});
