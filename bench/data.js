// Deterministic test data for the bench: the conversations that fill a
// database (one message each) and the messages of scenario 3. Everything is
// derived from a seed, so the module and the baseline see the same data and two
// runs see the same data.

export const ACCOUNT = 'bench';
export const P2P = 1;
export const TEAM = 2;
export const SUPER_TEAM = 3;

// rng is a small seeded PRNG, good enough for picking data.
// (Imported, then exported: a re-export alone binds no local name, and this
// module calls rng itself.)
import { mulberry32 as rng } from './prng.js';
export { rng };

const WORDS = (
  'ok see you tomorrow at the usual place bring the slides please can we move the meeting to three ' +
  'thanks sounds good the build is green again lunch is on me today did you get my file I will call ' +
  'you later new photos from the trip are up where are the keys happy birthday running late sorry'
).split(' ');

export function text(rand, min = 40, max = 80) {
  const len = min + Math.floor(rand() * (max - min + 1));
  let s = '';
  while (s.length < len) s += (s ? ' ' : '') + WORDS[Math.floor(rand() * WORDS.length)];
  return s.slice(0, len);
}

const hex = (rand, n) => {
  let s = '';
  for (let i = 0; i < n; i++) s += '0123456789abcdef'[Math.floor(rand() * 16)];
  return s;
};
const digits = (rand, n) => {
  let s = String(1 + Math.floor(rand() * 9));
  for (let i = 1; i < n; i++) s += String(Math.floor(rand() * 10));
  return s;
};

// A messageClientId as SDKs make them (a UUID without dashes) and a server id.
export const clientId = (rand) => hex(rand, 32);
export const serverId = (rand) => digits(rand, 19);

// conversation i of the bench's id space: ~70 % P2P, ~25 % team, ~5 % super team.
export function conversationOf(i) {
  const r = rng(0x9e3779b9 ^ i)();
  const type = r < 0.7 ? P2P : r < 0.95 ? TEAM : SUPER_TEAM;
  const pad = String(i).padStart(7, '0');
  const targetId = type === P2P ? `user${pad}` : type === TEAM ? `team${pad}` : `steam${pad}`;
  return { id: `${ACCOUNT}|${type}|${targetId}`, type, targetId };
}

// message builds one message to conversation c; mine: sent by the account.
export function message(rand, c, createTime, mine) {
  const m = {
    conversationId: c.id,
    messageClientId: clientId(rand),
    messageServerId: serverId(rand),
    senderId: mine ? ACCOUNT : c.type === P2P ? c.targetId : `user${String(Math.floor(rand() * 1e6)).padStart(7, '0')}`,
    createTime,
    messageType: 0,
    text: text(rand),
    sendingState: 1,
  };
  if (mine && c.type === P2P) m.receiverId = c.targetId;
  if (!mine && c.type !== P2P) m.senderName = `Member ${Math.floor(rand() * 1000)}`;
  return m;
}

// The fill: conversation i gets one message from the other side (so every
// conversation is unread) at a time spread over the 30 days before t0.
export function fillMessages(n, t0, seed = 1) {
  const rand = rng(seed);
  const span = 30 * 24 * 3600 * 1000;
  const step = Math.max(1, Math.floor(span / n));
  const out = new Array(n);
  for (let i = 0; i < n; i++) {
    out[i] = message(rand, conversationOf(i), t0 - span + i * step + Math.floor(rand() * step), false);
  }
  return out;
}

// pinnedOf and mutedOf pick the conversations the fill pins and mutes (with a
// name): a few pinned, about 1 % muted.
export function pinnedOf(n) {
  const count = Math.min(20, Math.max(1, Math.floor(n / 50)));
  const rand = rng(7);
  const set = new Set();
  while (set.size < count) set.add(Math.floor(rand() * n));
  return [...set];
}

export function mutedOf(n) {
  const rand = rng(11);
  const set = new Set();
  const count = Math.max(1, Math.floor(n / 100));
  while (set.size < count) set.add(Math.floor(rand() * n));
  return [...set];
}

// Scenario 3: `total` messages across `convs` conversations in batches of
// `batch`, all newer than the fill. At sizes below `convs` the conversations
// that exist are all used and the rest are new ones (ids n, n+1, …); at larger
// sizes `convs` of the n existing ones are picked at random. About 10 % of the
// messages are the account's own.
export function applyBatches(n, { total, convs, batch, t0, seed = 3 }) {
  const rand = rng(seed);
  const picked = [];
  if (n <= convs) {
    for (let i = 0; i < convs; i++) picked.push(i);
  } else {
    const idx = new Map();
    for (let i = 0; i < convs; i++) {
      const j = i + Math.floor(rand() * (n - i));
      const a = idx.get(i) ?? i;
      const b = idx.get(j) ?? j;
      idx.set(i, b);
      idx.set(j, a);
      picked.push(b);
    }
  }
  const targets = picked.map(conversationOf);
  const batches = [];
  for (let k = 0; k < total; k += batch) {
    const list = [];
    for (let m = k; m < Math.min(total, k + batch); m++) {
      const c = targets[Math.floor(rand() * targets.length)];
      list.push(message(rand, c, t0 + m, rand() < 0.1));
    }
    batches.push(list);
  }
  return { batches, created: Math.max(0, convs - n) };
}

// The filters scenario 5 subscribes.
export const FILTERS = [
  { conversationTypes: [P2P] },
  { conversationTypes: [TEAM] },
  { conversationTypes: [SUPER_TEAM] },
  { conversationTypes: [P2P, TEAM] },
  { conversationTypes: [TEAM, SUPER_TEAM] },
  { conversationTypes: [P2P, SUPER_TEAM] },
  { conversationTypes: [P2P], ignoreMuted: true },
  { conversationTypes: [TEAM], ignoreMuted: true },
  { conversationTypes: [P2P, TEAM, SUPER_TEAM], ignoreMuted: true },
  { ignoreMuted: true },
];

// The login sync through attachToNIM (bench/nim-page.js): `total` roaming
// messages over `convs` conversations, as plain fields the page turns into
// the SDK's messages, and one read time per conversation that leaves its
// newest one or two messages unread (all the older ones read). Every
// conversation gets at least 3 messages; the rest are spread at random, and
// the order (one createTime each, 10 ms apart, ending an hour before t0) is
// shuffled across conversations. About 10 % are the account's own. `expect`
// is what the list must hold after the sync: `convs` conversations and the
// total unread the read times imply (others' messages after the read time).
export function nimSyncData({ total, convs, t0, seed = 5 }) {
  if (total < 3 * convs) throw new Error(`nimSyncData: ${total} messages over ${convs} conversations: at least 3 each`);
  const rand = rng(seed);
  const owner = [];
  for (let i = 0; i < convs; i++) owner.push(i, i, i);
  while (owner.length < total) owner.push(Math.floor(rand() * convs));
  for (let j = owner.length - 1; j > 0; j--) {
    const k = Math.floor(rand() * (j + 1));
    [owner[j], owner[k]] = [owner[k], owner[j]];
  }
  const targets = Array.from({ length: convs }, (_, i) => conversationOf(i));
  const start = t0 - 3600 * 1000 - total * 10;
  const messages = [];
  const perConv = Array.from({ length: convs }, () => []);
  for (let j = 0; j < total; j++) {
    const c = targets[owner[j]];
    const m = message(rand, c, start + j * 10, rand() < 0.1);
    messages.push(m);
    perConv[owner[j]].push(m);
  }
  const readTimes = [];
  let unread = 0;
  perConv.forEach((list, i) => {
    // list is in createTime order: the newest `keep` stay after the read time.
    const keep = 1 + (i % 2);
    const readTime = list[list.length - 1 - keep].createTime;
    readTimes.push({ conversationId: targets[i].id, readTime });
    for (const m of list) if (m.createTime > readTime && m.senderId !== ACCOUNT) unread++;
  });
  return { messages, readTimes, expect: { conversations: convs, total: unread } };
}
