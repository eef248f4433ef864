// String parameters take string primitives only, and only strings the module
// can keep exactly: a Date, a boxed String or any object with toJSON — which
// JSON.stringify would silently convert — and a string that is not
// well-formed UTF-16 (a lone surrogate, which UTF-8 cannot hold) are 191004
// naming the parameter, and nothing changes. Well-formed strings of any kind
// come back exactly.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useBrowser, uniqueName } from './harness.mjs';
import { openService, assertRejected, msg } from './client.mjs';

const env = useBrowser();
const T = 1_700_000_000_000;

async function seeded(t) {
  const page = await env.page(t);
  const s = await openService(page, { accountId: uniqueName() });
  const id = s.p2p('bob');
  await s.ok('applyMessages', [msg(id, 'b1', 'bob', T + 1), msg(s.team('t1'), 't1', 'carol', T + 2)]);
  await s.ok('updateConversationLocalExtension', id, 'ext');
  const vars = { id, m: msg(id, 'new-1', 'bob', T + 10), refer: { conversationId: id, messageClientId: 'b1' } };
  return { s, vars, baseline: await s.snapshot(), logLength: (await s.log()).length };
}

// Every string parameter: [parameter name as the error names it, method,
// arguments as page-side JS with X where the string goes]. X is given as an
// expression; for ids it is prefixed with a valid id, so that only the bad
// part is wrong.
const ID = 'ID';
const stringParams = [
  ['conversationId', 'createConversation', `[X]`, ID],
  ['conversationId', 'getConversation', `[X]`, ID],
  ['conversationId', 'updateConversationLocalExtension', `[X, 'e']`, ID],
  ['localExtension', 'updateConversationLocalExtension', `[id, X]`],
  ['conversationId', 'deleteConversation', `[X]`, ID],
  ['conversationIds[0]', 'deleteConversationListByIds', `[[X]]`, ID],
  ['conversationId', 'stickTopConversation', `[X, true]`, ID],
  ['conversationIds[0]', 'getConversationListByIds', `[[X]]`, ID],
  ['conversationIds[1]', 'getUnreadCountByIds', `[[id, X]]`, ID],
  ['conversationIds[0]', 'clearUnreadCountByIds', `[[X]]`, ID],
  ['conversationId', 'markConversationRead', `[X]`, ID],
  ['conversationId', 'getConversationReadTime', `[X]`, ID],
  ['conversationId', 'setCurrentConversation', `[X]`, ID],
  ['conversationId', 'applyReadTime', `[X, ${T}]`, ID],
  ['conversationId', 'updateConversationInfo', `[X, {name: 'n'}]`, ID],
  ['info.name', 'updateConversationInfo', `[id, {name: X}]`],
  ['info.avatar', 'updateConversationInfo', `[id, {avatar: X}]`],
  ...['conversationId', 'messageClientId', 'messageServerId', 'senderId', 'receiverId', 'text', 'serverExtension',
    'callbackExtension', 'senderName'].map((f) => [`messages[0].${f}`, 'applyMessages', `[[{...m, ${f}: X}]]`, f === 'conversationId' ? ID : undefined]),
  ['messages[1].text', 'applyMessages', `[[m, {...m, messageClientId: 'new-2', text: X}]]`],
  ['messages[0].attachment', 'applyMessages', `[[{...m, attachment: X}]]`],
  ['messages[0].attachment.url', 'applyMessages', `[[{...m, attachment: {url: X}}]]`],
  ['messages[0].attachment.list[1]', 'applyMessages', `[[{...m, attachment: {list: ['a', X]}}]]`],
  ['refer.conversationId', 'revokeMessage', `[{...refer, conversationId: X}]`, ID],
  ['refer.messageClientId', 'revokeMessage', `[{...refer, messageClientId: X}]`],
  ['revokeInfo.revokeAccountId', 'revokeMessage', `[refer, {revokeAccountId: X}]`],
  ['revokeInfo.postscript', 'revokeMessage', `[refer, {postscript: X}]`],
  ['refers[0].conversationId', 'deleteMessages', `[[{...refer, conversationId: X}]]`, ID],
  ['refers[0].messageClientId', 'deleteMessages', `[[{...refer, messageClientId: X}]]`],
];

// The values no string parameter takes, and what the message says of each.
const converted = [
  ['a Date', `new Date(${T})`, /Date object/],
  ['a boxed String', `new String('x')`, /String object/],
  ['an object with toJSON', `({toJSON() { return 'x'; }})`, /toJSON/],
  ['a Date subclass', `new (class Stamp extends Date {})(${T})`, /Stamp object|Date object|toJSON/],
];
const illFormed = [
  ['a lone high surrogate', `'\\uD800'`],
  ['a lone low surrogate inside', `'a\\uDFFFb'`],
  ['a high surrogate at the end', `'x\\uDBFF'`],
  ['two high surrogates', `'\\uD83D\\uD83D'`],
];

function cases() {
  const out = [];
  for (const [param, method, src, kind] of stringParams) {
    for (const [label, value, pattern] of converted) {
      // A Date or object where an id goes is refused whole: no prefix.
      out.push([`${param} ${label}`, method, src.replace('X', value), param, pattern]);
    }
    for (const [label, value] of illFormed) {
      const x = kind === ID ? `id + ${value}` : value;
      out.push([`${param} ${label}`, method, src.replace('X', x), param, /well-formed UTF-16/]);
    }
  }
  return out;
}

const escape = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

test('a Date, a boxed String, an object with toJSON or a lone surrogate in any string parameter is 191004 naming it, and changes nothing', async (t) => {
  const { s, vars, baseline, logLength } = await seeded(t);
  const all = cases();
  assert.ok(all.length > 250, `${all.length} cases`);
  const results = await s.batch(all.map(([, method, src]) => [method, src]), { src: true, vars });
  all.forEach(([label, method, src, param, pattern], i) => {
    assertRejected(results[i], 191004, [new RegExp(escape(param)), pattern], `${label}: ${method}(${src.slice(1, -1)})`);
    assert.deepEqual(results[i].snapshot, baseline, `${label} changed the service`);
  });
  assert.deepEqual((await s.log()).slice(logLength), [], 'no events');
  // The exact case that used to store the date's ISO text.
  const r = await s.call('getConversation', vars.id);
  assert.equal(r.value.localExtension, 'ext');
});

test('a property name with a lone surrogate in an attachment is 191004', async (t) => {
  const { s, vars, baseline } = await seeded(t);
  const [r] = await s.batch([['applyMessages', `[[{...m, attachment: {'\\uD800k': 1}}]]`]], { src: true, vars });
  assertRejected(r, 191004, [/messages\[0\]\.attachment/, /property name/, /well-formed UTF-16/], 'lone surrogate key');
  assert.deepEqual(r.snapshot, baseline);
});

test('open() refuses an accountId or dbName that is not a well-formed string', async (t) => {
  const page = await env.page(t);
  const out = await page.evaluate(async () => {
    const results = [];
    for (const options of [
      { accountId: 'a\uD800' }, { accountId: 'ok', dbName: 'db\uDFFF' }, { accountId: new String('a') },
      { accountId: 'ok', dbName: new Date(0) }, { accountId: 'ok', storage: { toJSON: () => 'memory' } },
    ]) {
      try {
        await globalThis.localconv.LocalConversationService.open(options);
        results.push({ resolved: true });
      } catch (e) {
        results.push({ code: e.code, message: e.message });
      }
    }
    return results;
  });
  assert.equal(out.length, 5);
  const want = [/options\.accountId.*well-formed/, /options\.dbName.*well-formed/, /options\.accountId/, /options\.dbName/, /options\.storage/];
  out.forEach((r, i) => {
    assert.equal(r.code, 191004, JSON.stringify(r));
    assert.match(r.message, want[i]);
  });
});

test('distinct ids stay distinct: messages and conversations that differ only in surrogates or astral characters', async (t) => {
  const { s } = await seeded(t);
  const base = s.team('t');
  // Lone surrogates: refused, so they can never merge.
  for (const id of ['m\uD800', 'm\uDBFF', 'm\uDFFF']) {
    assertRejected(await s.call('applyMessages', [msg(base, id, 'carol', T + 50)]), 191004, /messageClientId.*well-formed/, id);
  }
  for (const target of ['t\uD800', 't\uDFFF']) {
    assertRejected(await s.call('createConversation', `${s.accountId}|2|${target}`), 191004, /conversationId.*well-formed/, target);
  }
  // Well-formed neighbours stay apart.
  const ids = ['t🙂', 't\uFFFD', 't\uD83D\uDE43', 'tￜ'].map((x) => `${s.accountId}|2|${x}`);
  for (const id of ids) {
    const c = await s.value('createConversation', id);
    assert.equal(c.conversationId, id);
  }
  const res = await s.value('applyMessages', ['m🙂', 'm\uFFFD', 'm\uD83D\uDE43', 'mￜ'].map((mid, i) => msg(base, mid, 'carol', T + 60 + i)));
  assert.deepEqual(res, { applied: 4, duplicates: 0 });
  assert.equal((await s.value('getConversation', base)).unreadCount, 4);
  assert.deepEqual((await s.value('getConversationListByIds', ids)).map((c) => c.conversationId), ids);
});

test('well-formed strings come back exactly, after a reload too: U+0000, U+2028, emoji, 64 KiB of multi-byte text', async (t) => {
  const context = await env.context(t);
  const page = await env.page(t, context);
  const accountId = uniqueName();
  let s = await openService(page, { accountId });
  const id = s.p2p('bob');
  const values = ['\u0000', 'a\u0000b', '\u2028\u2029', '🙂👍🏽‍', '中'.repeat(21845), '\uFEFF', 'e\u0301'];
  await s.ok('createConversation', id);
  const back = [];
  for (const v of values) {
    await s.ok('updateConversationLocalExtension', id, v);
    back.push((await s.value('getConversation', id)).localExtension);
  }
  assert.deepEqual(back, values);
  await s.ok('applyMessages', [msg(id, 'x\u2028🙂', 'bob', T, { text: values[3], senderName: 'B\u0000b' })]);
  await page.reload();
  await page.waitForFunction(() => document.title === 'ready');
  s = await openService(page, { accountId });
  const c = await s.value('getConversation', id);
  assert.equal(c.localExtension, values.at(-1));
  assert.equal(c.lastMessage.text, values[3]);
  assert.equal(c.lastMessage.senderName, 'B\u0000b');
  assert.equal(c.lastMessage.messageRefer.messageClientId, 'x\u2028🙂');
});
