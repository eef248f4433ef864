// docs/api.md §5 through the wrapper: every kind of bad input rejects the call's
// Promise (never a synchronous throw) with LocalConvError 191004 whose message
// names the parameter and what was wrong; nothing changes and no event fires.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useBrowser, uniqueName } from './harness.mjs';
import { openService, assertRejected, msg } from './client.mjs';

const env = useBrowser();
const T = 1_700_000_000_000;

// A service with a little of everything, so that a call that wrongly did
// something would show in its snapshot or its events.
async function seeded(t) {
  const page = await env.page(t);
  const s = await openService(page, { accountId: uniqueName() });
  const bob = s.p2p('bob'), team = s.team('t1');
  await s.ok('applyMessages', [
    msg(bob, 'b1', 'bob', T + 1), msg(bob, 'b2', 'bob', T + 2), msg(team, 't1', 'carol', T + 3),
    msg(s.superTeam('s1'), 's1', 'dave', T + 4),
  ]);
  await s.ok('stickTopConversation', team, true);
  await s.ok('updateConversationLocalExtension', bob, 'ext');
  await s.ok('updateConversationInfo', team, { name: 'Team', mute: true });
  await s.ok('markConversationRead', s.superTeam('s1'));
  await s.ok('subscribeUnreadCountByFilter', { conversationTypes: [1, 2] });
  await s.ok('subscribeUnreadCountByFilter', { ignoreMuted: true });
  const vars = {
    acc: s.accountId, id: bob, team, unknown: s.p2p('nobody'), other: 'someone-else|1|bob',
    m: msg(bob, 'new-1', 'bob', T + 10), refer: { conversationId: bob, messageClientId: 'b1' },
  };
  return { s, vars, baseline: await s.snapshot(), logLength: (await s.log()).length };
}

// Each case: [label, method, arguments as page-side JS, what the message must say].
const kinds = [
  // A string where a number belongs.
  ['string offset', 'getConversationList', `['0', 10]`, [/offset/, /string/]],
  ['string limit', 'getConversationList', `[0, '10']`, [/limit/, /string/]],
  ['string readTime', 'applyReadTime', `[id, '${T}']`, [/readTime/, /string/]],
  ['string option type', 'getConversationListByOption', `[0, 10, {conversationTypes: ['1']}]`, [/option\.conversationTypes\[0\]/, /string/]],
  ['string createTime', 'applyMessages', `[[{...m, createTime: '1'}]]`, [/messages\[0\]\.createTime/, /string/]],
  ['string type to clear', 'clearUnreadCountByTypes', `[['1']]`, [/conversationTypes\[0\]/, /string/]],
  ['string revokeType', 'revokeMessage', `[refer, {revokeType: '1'}]`, [/revokeInfo\.revokeType/, /string/]],
  // null.
  ['null id', 'createConversation', `[null]`, [/conversationId/, /null/]],
  ['null stickTop', 'stickTopConversation', `[id, null]`, [/stickTop/, /null/]],
  ['null clearMessage', 'deleteConversation', `[id, null]`, [/clearMessage/, /null/]],
  ['null filter', 'getUnreadCountByFilter', `[null]`, [/filter/, /null/]],
  ['null messages', 'applyMessages', `[null]`, [/messages/, /null/]],
  ['null info.name', 'updateConversationInfo', `[id, {name: null}]`, [/info\.name/, /null/]],
  ['null option', 'getConversationListByOption', `[0, 10, null]`, [/option/, /null/]],
  ['null revokeInfo', 'revokeMessage', `[refer, null]`, [/revokeInfo/, /null/]],
  ['null ids', 'getConversationListByIds', `[null]`, [/conversationIds/, /null/]],
  ['null id in ids', 'getUnreadCountByIds', `[[id, null]]`, [/conversationIds\[1\]/, /null/]],
  ['null ignoreMuted', 'subscribeUnreadCountByFilter', `[{conversationTypes: [1], ignoreMuted: null}]`, [/filter\.ignoreMuted/, /null/]],
  // undefined (where the parameter is required).
  ['no id', 'createConversation', `[]`, [/conversationId/, /undefined/]],
  ['undefined id', 'getConversation', `[undefined]`, [/conversationId/, /undefined/]],
  ['no stickTop', 'stickTopConversation', `[id]`, [/stickTop/, /undefined/]],
  ['undefined offset', 'getConversationList', `[undefined, 10]`, [/offset/, /undefined/]],
  ['no readTime', 'applyReadTime', `[id]`, [/readTime/, /undefined/]],
  ['no localExtension', 'updateConversationLocalExtension', `[id]`, [/localExtension/, /undefined/]],
  ['undefined senderId', 'applyMessages', `[[{...m, senderId: undefined}]]`, [/messages\[0\]\.senderId/, /undefined/]],
  ['no info', 'updateConversationInfo', `[id]`, [/info/, /undefined/]],
  ['no filter', 'unsubscribeUnreadCountByFilter', `[]`, [/filter/, /undefined/]],
  ['undefined in ids', 'deleteConversationListByIds', `[[undefined]]`, [/conversationIds\[0\]/, /undefined/]],
  // NaN.
  ['NaN offset', 'getConversationList', `[NaN, 10]`, [/offset/, /NaN/]],
  ['NaN limit', 'getConversationList', `[0, NaN]`, [/limit/, /NaN/]],
  ['NaN readTime', 'applyReadTime', `[id, NaN]`, [/readTime/, /NaN/]],
  ['NaN createTime', 'applyMessages', `[[{...m, createTime: NaN}]]`, [/messages\[0\]\.createTime/, /NaN/]],
  ['NaN type', 'clearUnreadCountByTypes', `[[NaN]]`, [/conversationTypes\[0\]/, /NaN/]],
  // ±Infinity.
  ['Infinity offset', 'getConversationListByOption', `[Infinity, 10]`, [/offset/, /Infinity/]],
  ['Infinity limit', 'getConversationList', `[0, Infinity]`, [/limit/, /Infinity/]],
  ['-Infinity readTime', 'applyReadTime', `[id, -Infinity]`, [/readTime/, /-Infinity/]],
  ['Infinity createTime', 'applyMessages', `[[{...m, createTime: Infinity}]]`, [/createTime/, /Infinity/]],
  // An object where an array belongs.
  ['array-like ids', 'getConversationListByIds', `[{0: id, length: 1}]`, [/conversationIds/, /object/]],
  ['one message', 'applyMessages', `[m]`, [/messages/, /object/]],
  ['object ids to delete', 'deleteConversationListByIds', `[{}]`, [/conversationIds/, /object/]],
  ['object types', 'clearUnreadCountByTypes', `[{}]`, [/conversationTypes/, /object/]],
  ['object filter types', 'getUnreadCountByFilter', `[{conversationTypes: {}}]`, [/filter\.conversationTypes/, /object/]],
  ['a Set of ids', 'getUnreadCountByIds', `[new Set([id])]`, [/conversationIds/, /object/]],
  ['object refers', 'deleteMessages', `[refer]`, [/refers/, /object/]],
  // An array where an object belongs.
  ['array filter', 'getUnreadCountByFilter', `[[1]]`, [/filter/, /array/]],
  ['array info', 'updateConversationInfo', `[id, ['x']]`, [/info/, /array/]],
  ['array refer', 'revokeMessage', `[[id, 'b1']]`, [/refer/, /array/]],
  ['array option', 'getConversationListByOption', `[0, 10, []]`, [/option/, /array/]],
  ['array message', 'applyMessages', `[[[m]]]`, [/messages\[0\]/, /array/]],
  ['array in refers', 'deleteMessages', `[[[id, 'b1']]]`, [/refers\[0\]/, /array/]],
  ['array messageConfig', 'applyMessages', `[[{...m, messageConfig: []}]]`, [/messages\[0\]\.messageConfig/, /array/]],
  // A function.
  ['function id', 'createConversation', `[() => id]`, [/conversationId/, /function/]],
  ['function offset', 'getConversationList', `[() => 0, 10]`, [/offset/, /function/]],
  ['function text', 'applyMessages', `[[{...m, text: () => 'x'}]]`, [/messages\[0\]\.text/, /function/]],
  ['function filter', 'subscribeUnreadCountByFilter', `[function filter() {}]`, [/filter/, /function/]],
  ['function in attachment', 'applyMessages', `[[{...m, attachment: {f() {}}}]]`, [/messages\[0\]\.attachment/, /function/]],
  // A BigInt.
  ['BigInt offset', 'getConversationList', `[0n, 10]`, [/offset/, /bigint/i]],
  ['BigInt readTime', 'applyReadTime', `[id, ${T}n]`, [/readTime/, /bigint/i]],
  ['BigInt createTime', 'applyMessages', `[[{...m, createTime: ${T}n}]]`, [/createTime/, /bigint/i]],
  ['BigInt id', 'markConversationRead', `[1n]`, [/conversationId/, /bigint/i]],
  // A boxed primitive, which JSON would silently unbox.
  ['Boolean object clearMessage', 'deleteConversation', `[id, new Boolean(false)]`, [/clearMessage/, /Boolean object/]],
  ['String object id', 'getConversation', `[new String(id)]`, [/conversationId/, /String object/]],
  ['Number object offset', 'getConversationList', `[new Number(0), 10]`, [/offset/, /Number object/]],
  // A Symbol.
  ['Symbol id', 'createConversation', `[Symbol('x')]`, [/conversationId/, /symbol/i]],
  ['Symbol localExtension', 'updateConversationLocalExtension', `[id, Symbol()]`, [/localExtension/, /symbol/i]],
  ['Symbol stickTop', 'stickTopConversation', `[id, Symbol.iterator]`, [/stickTop/, /symbol/i]],
  // A circular object.
  ['circular info', 'updateConversationInfo', `[id, (() => { const o = {name: 'x'}; o.self = o; return o; })()]`, [/info/, /circular/i]],
  ['circular message', 'applyMessages', `[(() => { const o = {...m}; o.attachment = {o}; return [o]; })()]`, [/messages/, /circular/i]],
  ['circular filter', 'getUnreadCountByFilter', `[(() => { const f = {conversationTypes: [1]}; f.conversationTypes.push(f); return f; })()]`, [/filter/, /circular/i]],
  // Other wrong types.
  ['boolean id', 'createConversation', `[true]`, [/conversationId/, /boolean/]],
  ['number id', 'getConversationReadTime', `[42]`, [/conversationId/, /number/]],
  ['string stickTop', 'stickTopConversation', `[id, 'true']`, [/stickTop/, /string/]],
  ['number clearMessage', 'deleteConversation', `[id, 1]`, [/clearMessage/, /number/]],
  ['number mute', 'updateConversationInfo', `[id, {mute: 1}]`, [/info\.mute/, /number/]],
  ['Date readTime', 'applyReadTime', `[id, new Date(${T})]`, [/readTime/]],
  ['fractional limit', 'getConversationList', `[0, 1.5]`, [/limit/, /integer/]],
  ['fractional readTime', 'applyReadTime', `[id, ${T} + 0.5]`, [/readTime/, /integer/]],
  ['unsafe integer readTime', 'applyReadTime', `[id, 2 ** 60]`, [/readTime/, /\[0, 1e15\)/]],
  ['createTime 2 ** 53: an integer out of range', 'applyMessages', `[[{...m, createTime: 2 ** 53}]]`, [/messages\[0\]\.createTime/, /\[0, 1e15\)/, /9007199254740992/]],
  ['negative offset', 'getConversationList', `[-1, 10]`, [/offset/]],
  ['negative readTime', 'applyReadTime', `[id, -1]`, [/readTime/]],
  ['negative createTime', 'applyMessages', `[[{...m, createTime: -1}]]`, [/messages\[0\]\.createTime/]],
  ['createTime beyond 1e15', 'applyMessages', `[[{...m, createTime: 1e15}]]`, [/messages\[0\]\.createTime/, /\[0, 1e15\)/]],
  // Empty or out-of-range values.
  ['empty id', 'createConversation', `['']`, [/conversationId/]],
  ['empty ids', 'getConversationListByIds', `[[]]`, [/conversationIds/, /empty/]],
  ['empty ids for count', 'getUnreadCountByIds', `[[]]`, [/conversationIds/, /empty/]],
  ['empty ids to delete', 'deleteConversationListByIds', `[[]]`, [/conversationIds/, /empty/]],
  ['empty ids to clear', 'clearUnreadCountByIds', `[[]]`, [/conversationIds/, /empty/]],
  ['empty types to clear', 'clearUnreadCountByTypes', `[[]]`, [/conversationTypes/, /empty/]],
  ['empty messages', 'applyMessages', `[[]]`, [/messages/, /empty/]],
  ['empty refers', 'deleteMessages', `[[]]`, [/refers/, /empty/]],
  ['type 0', 'clearUnreadCountByTypes', `[[0]]`, [/conversationTypes\[0\]/]],
  ['type 4', 'clearUnreadCountByTypes', `[[1, 4]]`, [/conversationTypes\[1\]/]],
  ['filter selecting nothing', 'getUnreadCountByFilter', `[{}]`, [/filter/]],
  ['filter selecting nothing, explicitly', 'subscribeUnreadCountByFilter', `[{conversationTypes: [], ignoreMuted: false}]`, [/filter/]],
  ['filter type 5', 'getUnreadCountByFilter', `[{conversationTypes: [5]}]`, [/filter\.conversationTypes\[0\]/]],
  ['option type 0', 'getConversationListByOption', `[0, 10, {conversationTypes: [0]}]`, [/option\.conversationTypes\[0\]/]],
  ['unknown messageType', 'applyMessages', `[[{...m, messageType: 99}]]`, [/messages\[0\]\.messageType/, /99 is not a known message type/, /-1, 0 to 7, 10, 11, 12 or 100/]],
  ['sendingState 7', 'applyMessages', `[[{...m, sendingState: 7}]]`, [/messages\[0\]\.sendingState/, /0\.\.3/, /got 7/]],
  ['empty messageClientId', 'applyMessages', `[[{...m, messageClientId: ''}]]`, [/messages\[0\]\.messageClientId/]],
  ['empty senderId', 'applyMessages', `[[{...m, senderId: ''}]]`, [/messages\[0\]\.senderId/]],
  ['a stranger in a P2P conversation', 'applyMessages', `[[{...m, senderId: 'mallory'}]]`, [/messages\[0\]\.senderId/]],
  ['a bad message after a good one', 'applyMessages', `[[m, {...m, messageClientId: 'x', createTime: 'late'}]]`, [/messages\[1\]\.createTime/]],
  ['number attachment', 'applyMessages', `[[{...m, attachment: 5}]]`, [/messages\[0\]\.attachment/]],
  ['localExtension over 64 KiB', 'updateConversationLocalExtension', `[id, 'x'.repeat(65537)]`, [/localExtension/, /65536|64 KiB/]],
  ['localExtension over 64 KiB of UTF-8', 'updateConversationLocalExtension', `[id, '中'.repeat(21846)]`, [/localExtension/]],
  ['empty refer messageClientId', 'revokeMessage', `[{conversationId: id, messageClientId: ''}]`, [/refer\.messageClientId/]],
  ['refer without messageClientId', 'deleteMessages', `[[{conversationId: id}]]`, [/refers\[0\]\.messageClientId/]],
  ['revoking a message never stored', 'revokeMessage', `[{conversationId: id, messageClientId: 'never'}, {revokeAccountId: 'bob'}]`, [/refer/]],
  ['empty current id', 'setCurrentConversation', `['']`, [/conversationId/]],
  ['number current id', 'setCurrentConversation', `[7]`, [/conversationId/, /number/]],
  ['an extra argument does not help', 'getConversation', `[unknown, id]`, [/conversationId/]],
];

const malformed = [
  'nope', 'ACC', 'ACC|', 'ACC|1', 'ACC|1|', '|1|bob', 'ACC|0|bob', 'ACC|4|bob', 'ACC|x|bob', 'ACC|11|bob',
  'ACC||bob', 'ACC| 1|bob', 'ACC|１|bob',
];

// Methods that take one conversation id first, with valid other arguments.
const byId = [
  ['createConversation'], ['getConversation'], ['updateConversationLocalExtension', 'x'], ['deleteConversation'],
  ['stickTopConversation', true], ['markConversationRead'], ['getConversationReadTime'],
  ['updateConversationInfo', { name: 'x' }], ['applyReadTime', T + 100], ['setCurrentConversation'],
];
const byIds = ['getConversationListByIds', 'getUnreadCountByIds', 'deleteConversationListByIds', 'clearUnreadCountByIds'];

async function expectNothingChanged(s, baseline, logLength, what) {
  assert.deepEqual(await s.snapshot(), baseline, `${what} changed the service`);
  const log = await s.log();
  assert.deepEqual(log.slice(logLength), [], `${what} emitted events`);
}

test('every kind of bad argument: a rejected Promise with LocalConvError 191004 naming the parameter, nothing changed', async (t) => {
  const { s, vars, baseline, logLength } = await seeded(t);
  assert.ok(kinds.length > 100);
  const results = await s.batch(kinds.map(([, method, src]) => [method, src]), { src: true, vars });
  kinds.forEach(([label, method, src, patterns], i) => {
    assertRejected(results[i], 191004, patterns, `${label}: ${method}(${src.slice(1, -1)})`);
    assert.deepEqual(results[i].snapshot, baseline, `${label} changed the service`);
  });
  await expectNothingChanged(s, baseline, logLength, 'bad arguments');
});

test('malformed ids and ids of another account are 191004 for every method that takes ids', async (t) => {
  const { s, vars, baseline, logLength } = await seeded(t);
  const ids = [...malformed.map((x) => x.replace('ACC', s.accountId)), vars.other, `${s.accountId}x|1|bob`, `x${s.accountId}|1|bob`];
  for (const bad of ids) {
    const cases = [
      ...byId.map(([method, ...rest]) => [[method, bad, ...rest], /conversationId/]),
      ...byIds.map((method) => [[method, [vars.id, bad]], /conversationIds\[1\]/]),
      [['applyMessages', [vars.m, { ...vars.m, conversationId: bad, messageClientId: 'z' }]], /messages\[1\]\.conversationId/],
      [['revokeMessage', { conversationId: bad, messageClientId: 'b1' }], /refer\.conversationId/],
      [['deleteMessages', [{ conversationId: bad, messageClientId: 'b1' }]], /refers\[0\]\.conversationId/],
    ];
    const results = await s.batch(cases.map(([call]) => call));
    cases.forEach(([[method], pattern], i) => {
      const what = `${method} with ${JSON.stringify(bad)}`;
      assertRejected(results[i], 191004, pattern, what);
      assert.deepEqual(results[i].snapshot, baseline, `${what} changed the service`);
    });
  }
  await expectNothingChanged(s, baseline, logLength, 'malformed ids');
  // Another account's id says so.
  const r = await s.call('getConversation', vars.other);
  assert.match(r.error.message, /account/);
});

test('an unknown conversation is 191004 where one must exist', async (t) => {
  const { s, vars, baseline, logLength } = await seeded(t);
  for (const [method, ...rest] of byId.filter(([m]) => m !== 'createConversation' && m !== 'setCurrentConversation')) {
    const r = await s.probe(method, vars.unknown, ...rest);
    assertRejected(r, 191004, /conversationId/, `${method}(unknown)`);
    assert.deepEqual(r.snapshot, baseline, `${method}(unknown) changed the service`);
  }
  assertRejected(await s.call('revokeMessage', { conversationId: vars.unknown, messageClientId: 'b1' }, {}), 191004, /refer/, 'revokeMessage(unknown)');
  await expectNothingChanged(s, baseline, logLength, 'unknown conversations');
});

test('calls with arguments left out use the documented defaults', async (t) => {
  // The other side of "an optional parameter may be left out or undefined".
  const { s, vars } = await seeded(t);
  await s.ok('getConversationListByOption', 0, 10);
  await s.ok('getConversationListByOption', 0, 10, undefined);
  await s.ok('getConversationListByOption', 0, 10, { conversationTypes: undefined, onlyUnread: undefined });
  await s.ok('revokeMessage', vars.refer);
  await s.ok('revokeMessage', vars.refer, { revokeAccountId: undefined });
  await s.ok('getUnreadCountByFilter', { conversationTypes: [1], ignoreMuted: undefined });
  await s.ok('applyMessages', [{ ...vars.m, subType: undefined, text: undefined, unreadEnabled: undefined }]);
  await s.ok('deleteConversation', vars.id, undefined);
  await s.ok('deleteConversationListByIds', [vars.team]);
  await s.ok('setCurrentConversation', undefined);
  assert.equal((await s.value('getConversationList', 0, 0)).conversationList.length, 1);
});

test('a string starting with U+0000 is a string, not a marker', async (t) => {
  const { s, vars } = await seeded(t);
  for (const ext of ['\u0000u', '\u0000N', '\u0000s', '\u0000', '\u0000y tail']) {
    await s.ok('updateConversationLocalExtension', vars.id, ext);
    assert.equal((await s.value('getConversation', vars.id)).localExtension, ext);
  }
  // As an id it is just a malformed id.
  assertRejected(await s.call('createConversation', '\u0000u'), 191004, /conversationId/, 'marker-like id');
  assertRejected(await s.call('getConversation', '\u0000s' + vars.id), 191004, /conversationId/, 'escaped-marker-like id');
});
