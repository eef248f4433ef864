// ConversationIdUtil against testdata/conversation-ids.json, the cases that
// core/ids_vectors_test.go runs against the Go core: in Node (js/ids.js is
// plain ESM), then in the browser through the wrapper and the module itself.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ConversationIdUtil, ConversationType } from '../js/ids.js';
import { LocalConvError } from '../js/errors.js';
import { root, useBrowser } from './harness.mjs';
import { openService, assertRejected } from './client.mjs';

const vectors = JSON.parse(readFileSync(path.join(root, 'testdata', 'conversation-ids.json'), 'utf8'));
const BUILD = { 1: 'p2pConversationId', 2: 'teamConversationId', 3: 'superTeamConversationId' };

function assertThrows191004(fn, what) {
  assert.throws(fn, (e) => {
    assert.ok(e instanceof LocalConvError, `${what}: not a LocalConvError: ${e}`);
    assert.equal(e.name, 'LocalConvError');
    assert.equal(e.code, 191004, what);
    assert.ok(e.message.length > 0);
    return true;
  }, what);
}

test('the shared cases are many and cover both outcomes', () => {
  assert.ok(vectors.parse.filter((c) => c.valid).length >= 10);
  assert.ok(vectors.parse.filter((c) => !c.valid).length >= 10);
  assert.ok(vectors.build.filter((c) => c.valid).length >= 5);
  assert.ok(vectors.build.filter((c) => !c.valid).length >= 5);
  assert.ok(vectors.parse.some((c) => c.valid && c.targetId.includes('|')), 'a targetId with |');
});

test('ConversationIdUtil parses every shared id as the Go core does', () => {
  for (const c of vectors.parse) {
    const what = `parse ${JSON.stringify(c.id)}`;
    if (!c.valid) {
      assertThrows191004(() => ConversationIdUtil.parseConversationType(c.id), what + ' type');
      assertThrows191004(() => ConversationIdUtil.parseConversationTargetId(c.id), what + ' targetId');
      continue;
    }
    assert.equal(ConversationIdUtil.parseConversationType(c.id), c.type, what);
    assert.equal(ConversationIdUtil.parseConversationTargetId(c.id), c.targetId, what);
    // And building the parts back gives the id.
    assert.equal(ConversationIdUtil[BUILD[c.type]](c.accountId, c.targetId), c.id, what + ' rebuilt');
  }
});

test('ConversationIdUtil builds every shared id as the Go core does', () => {
  for (const c of vectors.build) {
    const what = `${BUILD[c.type]}(${JSON.stringify(c.accountId)}, ${JSON.stringify(c.targetId)})`;
    if (!c.valid) {
      assertThrows191004(() => ConversationIdUtil[BUILD[c.type]](c.accountId, c.targetId), what);
      continue;
    }
    const id = ConversationIdUtil[BUILD[c.type]](c.accountId, c.targetId);
    assert.equal(id, c.id, what);
    assert.equal(ConversationIdUtil.parseConversationType(id), c.type);
    assert.equal(ConversationIdUtil.parseConversationTargetId(id), c.targetId);
  }
});

test('ConversationIdUtil throws 191004 synchronously for values that are not strings', () => {
  const bad = [undefined, null, 42, true, {}, [], ['alice|1|bob'], () => 'alice|1|bob', Symbol('x'), 1n,
    new String('alice|1|bob')];
  for (const v of bad) {
    assertThrows191004(() => ConversationIdUtil.parseConversationType(v), `parseConversationType(${String(typeof v)})`);
    assertThrows191004(() => ConversationIdUtil.parseConversationTargetId(v), `parseConversationTargetId(${typeof v})`);
    for (const name of Object.values(BUILD)) {
      assertThrows191004(() => ConversationIdUtil[name](v, 'bob'), `${name}(${typeof v}, 'bob')`);
      assertThrows191004(() => ConversationIdUtil[name]('alice', v), `${name}('alice', ${typeof v})`);
    }
  }
  // The messages say what was wrong.
  assert.throws(() => ConversationIdUtil.p2pConversationId('a|b', 'bob'), /accountId/);
  assert.throws(() => ConversationIdUtil.p2pConversationId('alice', ''), /targetId/);
  assert.throws(() => ConversationIdUtil.parseConversationType('alice|7|bob'), /type/);
});

test('ConversationType has the documented values', () => {
  assert.deepEqual({ ...ConversationType }, { UNKNOWN: 0, P2P: 1, TEAM: 2, SUPER_TEAM: 3 });
  assert.ok(Object.isFrozen(ConversationType));
});

const env = useBrowser();

test('in the page: the exported ConversationIdUtil and the module agree with the shared cases', async (t) => {
  const page = await env.page(t);
  // The wrapper's exports, in the browser.
  const results = await page.evaluate((parse) => {
    const { ConversationIdUtil: U, LocalConvError: E } = globalThis.localconv;
    return parse.map((c) => {
      try {
        return { type: U.parseConversationType(c.id), targetId: U.parseConversationTargetId(c.id) };
      } catch (e) {
        return { error: e instanceof E && e.code };
      }
    });
  }, vectors.parse);
  vectors.parse.forEach((c, i) => {
    assert.deepEqual(results[i], c.valid ? { type: c.type, targetId: c.targetId } : { error: 191004 }, c.id);
  });

  // The module takes exactly the valid ids of the opened account.
  const svc = await openService(page, { accountId: 'alice', storage: 'memory' });
  const built = vectors.build.filter((b) => b.valid).map((b) => ({ ...b, valid: true }));
  for (const c of [...vectors.parse, ...built]) {
    const r = await svc.call('createConversation', c.id);
    if (c.valid && c.accountId === 'alice') {
      assert.equal(r.error, undefined, `${c.id}: ${JSON.stringify(r.error)}`);
      assert.equal(r.value.conversationId, c.id);
      assert.equal(r.value.type, c.type);
    } else {
      assertRejected(r, 191004, /conversationId/, `createConversation(${JSON.stringify(c.id)})`);
    }
  }
  const made = new Set(built.concat(vectors.parse).filter((c) => c.valid && c.accountId === 'alice').map((c) => c.id));
  const list = await svc.value('getConversationList', 0, 0);
  assert.deepEqual(new Set(list.conversationList.map((c) => c.conversationId)), made);
});
