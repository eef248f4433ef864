// Node-side helpers for the wrapper's tests: a handle on a service opened in
// the page (through the in-page kit of harness.mjs) and the shapes docs/api.md §1
// promises. Not a test file itself.
import assert from 'node:assert/strict';

// openService opens LocalConversationService in the page under a name and
// returns a Client for it; early holds the events dispatched before open()
// resolved (the first sync's, seen through open({listeners})).
export async function openService(page, options, name = 'svc') {
  const { early } = await page.evaluate(([n, o]) => globalThis.kit.open(n, o), [name, options]);
  return new Client(page, name, options.accountId, early);
}

export class Client {
  constructor(page, name, accountId, early) {
    Object.assign(this, { page, name, accountId, early });
  }

  p2p(target) { return `${this.accountId}|1|${target}`; }
  team(target) { return `${this.accountId}|2|${target}`; }
  superTeam(target) { return `${this.accountId}|3|${target}`; }

  // call runs a method with arguments Playwright can carry (JSON, undefined,
  // NaN, ±Infinity) and returns {value | error | syncThrow, events, late}.
  call(method, ...args) {
    return this.page.evaluate(([n, m, a]) => globalThis.kit.call(n, m, a), [this.name, method, args]);
  }

  // batch runs many calls in one round trip: each of calls is [method,
  // ...args], or with src, [method, argsSource] evaluated in the page with
  // vars; each result is call()'s plus the snapshot right after.
  batch(calls, { src = false, vars = {} } = {}) {
    const list = calls.map(([method, ...args]) => (src ? [method, args[0], vars] : [method, args]));
    return this.page.evaluate(([n, l]) => globalThis.kit.batch(n, l), [this.name, list]);
  }

  // probe is call plus the snapshot right after, in one round trip.
  probe(method, ...args) {
    return this.page.evaluate(([n, m, a]) => globalThis.kit.call(n, m, a, { snapshot: true }), [this.name, method, args]);
  }

  // ok runs a call that must succeed, with its events before its Promise settled.
  async ok(method, ...args) {
    const r = await this.call(method, ...args);
    assertSettled(r, method);
    assert.equal(r.error, undefined, `${method} failed: ${JSON.stringify(r.error)}`);
    return r;
  }

  async value(method, ...args) {
    return (await this.ok(method, ...args)).value;
  }

  // log is every event dispatched on the service so far.
  log() {
    return this.page.evaluate((n) => globalThis.kit.services[n].__log.slice(), this.name);
  }

  // snapshot: the whole list (every page), total unread, pinned list, read times.
  snapshot() {
    return this.page.evaluate((n) => globalThis.kit.snapshot(n), this.name);
  }
}

// assertSettled checks how any call went: a Promise, never a synchronous
// throw, no event after the Promise settled.
export function assertSettled(r, what) {
  assert.equal(r.syncThrow, undefined, `${what} threw synchronously: ${JSON.stringify(r.syncThrow)}`);
  assert.equal(r.isPromise, true, `${what} did not return a Promise`);
  assert.deepEqual(r.late, [], `${what}: events dispatched after its Promise settled`);
}

// assertRejected checks a call rejected with a LocalConvError of the code,
// whose message matches each of the patterns, and that it emitted nothing.
export function assertRejected(r, code, patterns, what) {
  assertSettled(r, what);
  assert.ok(r.error, `${what} resolved with ${JSON.stringify(r.value)} instead of rejecting with ${code}`);
  assert.equal(r.error.isLocalConvError, true, `${what}: not a LocalConvError`);
  assert.equal(r.error.isError, true, `${what}: not an Error`);
  assert.equal(r.error.name, 'LocalConvError', what);
  assert.equal(r.error.code, code, `${what}: code (${r.error.message})`);
  for (const p of [patterns].flat()) {
    if (p) assert.match(r.error.message, p, `${what}: the message should say ${p}`);
  }
  assert.deepEqual(r.events, [], `${what} emitted events`);
}

export const CONVERSATION_KEYS = [
  'avatar', 'conversationId', 'createTime', 'lastMessage', 'localExtension', 'mute', 'name',
  'sortOrder', 'stickTop', 'type', 'unreadCount', 'updateTime',
];
const LAST_MESSAGE_KEYS = [
  'callbackExtension', 'lastMessageState', 'messageRefer', 'messageType', 'revokeAccountId',
  'revokeType', 'sendingState', 'serverExtension', 'subType', 'text',
];
const OPTIONAL_LAST_MESSAGE_KEYS = ['attachment', 'senderName'];
const REFER_KEYS = [
  'conversationId', 'conversationType', 'createTime', 'messageClientId', 'messageServerId',
  'receiverId', 'senderId',
];

const isTime = (n) => Number.isSafeInteger(n) && n >= 0;

// assertConversation checks docs/api.md §1's Conversation shape exactly, then the
// fields given in expected.
export function assertConversation(c, expected = {}) {
  assert.equal(typeof c, 'object');
  assert.deepEqual(Object.keys(c).sort(), CONVERSATION_KEYS, 'Conversation fields');
  for (const k of ['conversationId', 'name', 'avatar', 'localExtension']) assert.equal(typeof c[k], 'string', k);
  for (const k of ['mute', 'stickTop']) assert.equal(typeof c[k], 'boolean', k);
  assert.ok([1, 2, 3].includes(c.type), 'type');
  assert.ok(Number.isSafeInteger(c.unreadCount) && c.unreadCount >= 0, 'unreadCount');
  for (const k of ['sortOrder', 'createTime', 'updateTime']) assert.ok(isTime(c[k]), `${k} ${c[k]}`);
  assert.ok(c.updateTime >= c.createTime, 'updateTime >= createTime');
  assert.equal(c.stickTop, c.sortOrder >= 1e15, 'sortOrder is boosted exactly when pinned');
  if (c.lastMessage !== null) assertLastMessage(c.lastMessage);
  for (const [k, v] of Object.entries(expected)) assert.deepEqual(c[k], v, `conversation.${k}`);
  return c;
}

export function assertLastMessage(m, expected = {}) {
  const keys = Object.keys(m).filter((k) => !OPTIONAL_LAST_MESSAGE_KEYS.includes(k)).sort();
  assert.deepEqual(keys, LAST_MESSAGE_KEYS, 'LastMessage fields');
  assert.ok([0, 1, 2].includes(m.lastMessageState), 'lastMessageState');
  assert.ok([0, 1, 2, 3].includes(m.sendingState), 'sendingState');
  for (const k of ['text', 'revokeAccountId', 'serverExtension', 'callbackExtension']) assert.equal(typeof m[k], 'string', k);
  for (const k of ['messageType', 'subType', 'revokeType']) assert.ok(Number.isSafeInteger(m[k]), k);
  if ('senderName' in m) assert.equal(typeof m.senderName, 'string');
  assert.deepEqual(Object.keys(m.messageRefer).sort(), REFER_KEYS, 'messageRefer fields');
  for (const [k, v] of Object.entries(expected)) assert.deepEqual(m[k], v, `lastMessage.${k}`);
  return m;
}

// listOrder sorts as the contract's paging does: sortOrder descending, then id ascending.
export function listOrder(list) {
  return [...list].sort((a, b) => b.sortOrder - a.sortOrder || (a.conversationId < b.conversationId ? -1 : a.conversationId > b.conversationId ? 1 : 0));
}

// msg builds a message for applyMessages.
export function msg(conversationId, messageClientId, senderId, createTime, extra = {}) {
  return { conversationId, messageClientId, senderId, createTime, messageType: 0, text: messageClientId, ...extra };
}

export const types = (events) => events.map((e) => e.type);
