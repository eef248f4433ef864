// Scenario 10 (bench/README.md): a login sync of a real nim-web-sdk-ng
// instance, driven offline as test/pages/nim-sdk.js drives it (the SDK's own
// services emit the events a login produces, in the SDK's order), timed from
// login to the end of the sync, with the page's long tasks. One run per page:
// NIM.getInstance keeps one instance per page, and attachToNIM attaches once.
//
// Variants (globalThis.nimBench.run({variant})):
//   page, worker, sharedWorker  attachToNIM(nim, {placement}); the end is the
//                               attached service's onSyncFinished
//   baseline                    no localconv: a hand-written store on the same
//                               events, raw IndexedDB (handStore below)
//   baselineWithMessages        the same, also putting each message (the
//                               module stores each one too)
//   sdk                         no store at all: the same emits alone
import * as data from './data.js';
import { plainApply } from './plain.js';

const now = () => performance.now();
const STORE = 'conversations';

// A task of its own (a MessageChannel message: no timer clamping), as each
// of the SDK's packets is.
const nextTask = () => new Promise((resolve) => {
  const { port1, port2 } = new MessageChannel();
  port1.onmessage = () => {
    port1.close();
    resolve();
  };
  port2.postMessage(0);
});

// Long tasks (> 50 ms) of this page's main thread, from its start: Chromium
// only; elsewhere the figures are null.
const LONGTASK = typeof PerformanceObserver === 'function' && (PerformanceObserver.supportedEntryTypes ?? []).includes('longtask');
const longTasks = [];
if (LONGTASK) new PerformanceObserver((list) => longTasks.push(...list.getEntries())).observe({ type: 'longtask', buffered: true });

// A message as the SDK delivers it: made by its V2NIMMessageCreator, then
// addressed (as test/pages/nim-sdk.js's message()).
function sdkMessage(nim, m) {
  const x = nim.V2NIMMessageCreator.createTextMessage(m.text);
  const [, type, target] = m.conversationId.split('|');
  const mine = m.senderId === data.ACCOUNT;
  return Object.assign(x, {
    conversationId: m.conversationId,
    conversationType: Number(type),
    messageClientId: m.messageClientId,
    messageServerId: m.messageServerId,
    senderId: m.senderId,
    receiverId: m.receiverId ?? (type === '1' ? (mine ? target : data.ACCOUNT) : target),
    isSelf: mine,
    createTime: m.createTime,
    sendingState: mine ? 1 : 0,
    messageStatus: { errorCode: 200 },
  });
}

const req = (r) => new Promise((resolve, reject) => {
  r.onsuccess = () => resolve(r.result);
  r.onerror = () => reject(r.error);
});

// The baseline: what an app keeping its own list in raw IndexedDB writes for
// the SDK's login sync. It opens its database at login; during the sync it
// keeps each conversation in memory (lastMessage and sortOrder by plainApply,
// the createTimes of the others' messages) and the read times; at the sync's
// end it computes each one's unread from its read time and puts all of them
// in one transaction (withMessages: and every message, as plain fields, in
// the same transaction). Done when that transaction completes.
function handStore(nim, dbName, withMessages) {
  let db = null;
  const kept = [];
  const convs = new Map();
  const others = new Map();
  const readTimes = new Map();
  let finish;
  const done = new Promise((resolve, reject) => { finish = { resolve, reject }; });
  nim.V2NIMLoginService.on('onLoginStatus', (status) => {
    if (status !== 1) return;
    const r = indexedDB.open(dbName, 1);
    r.onupgradeneeded = () => {
      r.result.createObjectStore(STORE, { keyPath: 'conversationId' }).createIndex('bySortOrder', 'sortOrder');
      if (withMessages) r.result.createObjectStore('messages', { keyPath: ['conversationId', 'messageClientId'] }).createIndex('byTime', ['conversationId', 'createTime']);
    };
    db = req(r);
  });
  nim.V2NIMMessageService.on('onReceiveMessages', (messages) => {
    const t = Date.now();
    for (const m of messages) {
      plainApply(convs, m, t);
      if (withMessages) kept.push(plainMessage(m));
      if (m.senderId === data.ACCOUNT) continue;
      let list = others.get(m.conversationId);
      if (!list) others.set(m.conversationId, (list = []));
      list.push(m.createTime);
    }
  });
  nim.V2NIMConversationService.on('onConversationReadTimeUpdated', (id, time) => {
    readTimes.set(id, Math.max(time, readTimes.get(id) ?? 0));
  });
  nim.V2NIMLoginService.on('onDataSync', (type, state) => {
    if (type !== 1 || state !== 3) return;
    (async () => {
      for (const c of convs.values()) {
        const readTime = readTimes.get(c.conversationId) ?? 0;
        c.unreadCount = (others.get(c.conversationId) ?? []).filter((t) => t > readTime).length;
      }
      const d = await db;
      const tx = d.transaction(withMessages ? [STORE, 'messages'] : STORE, 'readwrite');
      const s = tx.objectStore(STORE);
      for (const c of convs.values()) s.put(c);
      if (withMessages) {
        const ms = tx.objectStore('messages');
        for (const m of kept) ms.put(m);
      }
      await new Promise((resolve, reject) => {
        tx.oncomplete = resolve;
        tx.onabort = () => reject(tx.error || new Error('transaction aborted'));
      });
    })().then(finish.resolve, finish.reject);
  });
  // The result, read back untimed: what the store holds.
  const check = async () => {
    const d = await db;
    const all = await req(d.transaction(STORE, 'readonly').objectStore(STORE).getAll());
    d.close();
    return { conversations: all.length, total: all.reduce((a, c) => a + c.unreadCount, 0) };
  };
  return { done, check };
}

// What the baseline keeps of a message: the fields a chat view shows.
const plainMessage = (m) => ({
  conversationId: m.conversationId, messageClientId: m.messageClientId, messageServerId: m.messageServerId,
  senderId: m.senderId, receiverId: m.receiverId, createTime: m.createTime, messageType: m.messageType, text: m.text,
});

// localconv attached to the instance, in a placement.
async function attached(nim, placement, dbName, marks) {
  const { attachToNIM } = await import('../js/nim.js');
  attachToNIM(nim, { placement, dbName });
  const svc = nim.V2NIMLocalConversationService;
  const done = new Promise((resolve, reject) => {
    svc.on('onSyncFinished', () => resolve());
    svc.on('onSyncFailed', (e) => reject(new Error(`onSyncFailed: ${e?.desc ?? e}`)));
  });
  // Emitted once the list is open, with its stored total: the module is up.
  svc.on('onTotalUnreadCountChanged', () => { marks.opened ??= now(); });
  const check = async () => {
    const list = [];
    for (let page = { offset: 0, finished: false }; !page.finished;) {
      page = await svc.getConversationList(page.offset, 500);
      list.push(...page.conversationList);
    }
    return {
      conversations: list.length,
      total: svc.getTotalUnreadCount(),
      listTotal: list.reduce((a, c) => a + c.unreadCount, 0),
    };
  };
  return { done, check };
}

// settle waits until the page has had no long task for 300 ms (at most 5 s).
async function settle() {
  const until = now() + 5000;
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    const last = longTasks.at(-1);
    if (!last || now() - (last.startTime + last.duration) > 300 || now() > until) break;
  }
  await new Promise((resolve) => setTimeout(resolve, 300));
  await nextTask();
}

async function run({ variant, dbName, total, convs, batch, t0, seed }) {
  const nim = globalThis.NIM.default.getInstance({ appkey: 'localconv-bench', apiVersion: 'v2', debugLevel: 'off' });
  // The SDK's own local service, which stays underneath once localconv is attached.
  const sdkLocal = nim.V2NIMLocalConversationService;
  const marks = {};
  let side;
  if (variant === 'baseline' || variant === 'baselineWithMessages') side = handStore(nim, dbName, variant === 'baselineWithMessages');
  else if (variant === 'sdk') side = null;
  else side = await attached(nim, variant, dbName, marks);

  // The sync's messages and read times, made before the clock starts.
  const spec = data.nimSyncData({ total, convs, t0, seed });
  const batches = [];
  for (let i = 0; i < spec.messages.length; i += batch) batches.push(spec.messages.slice(i, i + batch).map((m) => sdkMessage(nim, m)));
  // The SDK's own start-up work (timers it sets at getInstance) and the
  // page's are over before the clock starts: their long tasks are not the
  // sync's.
  await settle();

  // Login, the SDK's main sync starting, its messages in batches (a task
  // each), the read times (on its local and its cloud service, as it emits
  // them; a task per batch of conversations), then the sync's end.
  const start = now();
  performance.mark('nim-sync-start'); // where a trace of the run begins and ends (bench/trace.mjs)
  const ls = nim.V2NIMLoginService;
  ls.account = data.ACCOUNT;
  ls.emit('onLoginStatus', 1);
  ls.emit('onDataSync', 1, 2);
  for (const list of batches) {
    await nextTask();
    nim.V2NIMMessageService.emit('onReceiveMessages', list);
  }
  for (let i = 0; i < spec.readTimes.length; i += batch) {
    await nextTask();
    for (const { conversationId, readTime } of spec.readTimes.slice(i, i + batch)) {
      sdkLocal.emit('onConversationReadTimeUpdated', conversationId, readTime);
      nim.V2NIMConversationService.emit('onConversationReadTimeUpdated', conversationId, readTime);
    }
  }
  await nextTask();
  ls.emit('onDataSync', 1, 3);
  marks.emitted = now();
  if (side) await side.done;
  else await nextTask();
  const end = now();
  performance.mark('nim-sync-end');

  // Long-task entries arrive a little after their task.
  await new Promise((resolve) => setTimeout(resolve, 300));
  const during = longTasks.filter((e) => e.startTime + e.duration > start && e.startTime < end);
  const result = {
    variant,
    ms: end - start,
    startEpochMs: performance.timeOrigin + start, // to line the run up with outside records (a trace, the OS's)
    emittedMs: marks.emitted - start,
    openedMs: marks.opened === undefined ? null : marks.opened - start,
    longTasks: LONGTASK ? { count: during.length, totalMs: during.reduce((a, e) => a + e.duration, 0), maxMs: during.reduce((a, e) => Math.max(a, e.duration), 0),
      list: during.map((e) => ({ at: Math.round(e.startTime - start), ms: Math.round(e.duration) })) } : null,
    expect: spec.expect,
    batches: batches.length,
  };
  if (side) {
    const got = await side.check();
    result.got = got;
    result.ok = got.conversations === spec.expect.conversations && got.total === spec.expect.total && (got.listTotal ?? got.total) === got.total;
  } else {
    result.ok = true;
  }
  return result;
}

async function deleteDatabases(prefix) {
  const names = (await indexedDB.databases()).map((d) => d.name).filter((n) => n.startsWith(prefix));
  for (const name of names) {
    await Promise.race([
      req(indexedDB.deleteDatabase(name)),
      new Promise((resolve) => setTimeout(resolve, 10000)), // a blocked delete is left to the profile's removal
    ]);
  }
  return names.length;
}

globalThis.nimBench = { run, deleteDatabases, longTaskSupported: LONGTASK };
document.title = 'ready';
