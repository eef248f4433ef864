// The pretend IM connection: a handful of contacts and teams that send
// messages, and bulk seeding. It only produces Message objects and feeds them
// to applyMessages, exactly as a host app would with what its connection
// receives.
import { ConversationIdUtil } from '/js/localconv.js';

export const CONTACTS = [
  { id: 'ada', name: 'Ada Lovelace' },
  { id: 'grace', name: 'Grace Hopper' },
  { id: 'linus', name: 'Linus Torvalds' },
  { id: 'margaret', name: 'Margaret Hamilton' },
  { id: 'alan', name: 'Alan Turing' },
  { id: 'barbara', name: 'Barbara Liskov' },
];
export const TEAMS = [
  { id: 'design', name: 'Design Team', type: 2 },
  { id: 'backend', name: 'Backend Guild', type: 2 },
  { id: 'release', name: 'Release Crew', type: 2 },
  { id: 'allhands', name: 'All Hands', type: 3 },
  { id: 'oss', name: 'Open Source Community', type: 3 },
];

const LINES = [
  'Morning! Did you see the new build?', 'Lunch at 12:30?', 'PR is up, could you take a look?',
  'The deploy went fine!', 'Can we move the sync to tomorrow?', 'I pushed a fix for the flaky test.',
  'Slides are in the shared folder.', 'Who owns the release notes this week?', 'brb, coffee',
  'Thanks, that worked!', 'The benchmark numbers look great.', 'Let’s pair on this after standup.',
  'Heads up: the staging DB is being migrated.', 'Nice catch', 'Can someone review #4821?',
  'I think the cursor should resume after the last id.', 'Shipping it.', 'ok', '+1', 'On my way',
  'Is the unread count right on your side?', 'Meeting notes: 1) paging 2) unread 3) tabs',
];
const FILES = ['roadmap.pdf', 'q3-report.xlsx', 'screenshot.png', 'notes.md', 'build.log'];
const FIRST = ['olivia', 'liam', 'mia', 'noah', 'ava', 'leo', 'zoe', 'kai', 'ivy', 'omar', 'lena', 'yuki', 'ravi', 'sofia', 'mateo', 'chen', 'amara', 'jonas', 'nora', 'tariq'];
const LAST = ['chen', 'garcia', 'kim', 'novak', 'okafor', 'silva', 'tanaka', 'weber', 'singh', 'rossi', 'haddad', 'larsen', 'moreau', 'ivanova', 'nakamura', 'ali'];
const TEAM_WORDS = ['blue', 'swift', 'quiet', 'north', 'iron', 'lunar', 'amber', 'cedar', 'delta', 'echo'];
const TEAM_NOUNS = ['falcons', 'builders', 'guild', 'lab', 'crew', 'circle', 'squad', 'works'];

const pick = (a, r = Math.random()) => a[Math.floor(r * a.length) % a.length];

// Between batches, give the page a turn (input, rendering, other tabs). With
// in-memory storage a batch never waits on anything, so without this a long
// run would hold the main thread from start to end.
const yieldToPage = () => new Promise((resolve) => {
  const ch = new MessageChannel();
  ch.port1.onmessage = () => resolve();
  ch.port2.postMessage(null);
});

export class Simulator {
  constructor(service, account) {
    this.service = service;
    this.me = account;
    // Unique per tab, so two tabs never produce the same messageClientId.
    this.tab = Math.random().toString(36).slice(2, 7);
    this.seq = 0;
    this.lastTime = 0;
    this.naming = new Set(); // updateConversationInfo calls in flight
  }

  /** A strictly increasing createTime close to now. */
  now() {
    this.lastTime = Math.max(Date.now(), this.lastTime + 1);
    return this.lastTime;
  }

  idFor(type, target) {
    if (type === 1) return ConversationIdUtil.p2pConversationId(this.me, target);
    if (type === 2) return ConversationIdUtil.teamConversationId(this.me, target);
    return ConversationIdUtil.superTeamConversationId(this.me, target);
  }

  /** Random content: mostly text, sometimes an image, a file or a location. */
  content(r = Math.random()) {
    if (r < 0.82) return { messageType: 0, text: pick(LINES) };
    if (r < 0.9) return { messageType: 1, attachment: { url: 'https://example.invalid/p.jpg', w: 640, h: 480 } };
    if (r < 0.96) return { messageType: 6, attachment: { name: pick(FILES), size: 52311 } };
    return { messageType: 4, attachment: { title: 'Café Central', lat: 48.21, lng: 16.37 } };
  }

  /** A message from a contact (P2P) or from a member of a team. */
  incoming(createTime = this.now(), r = Math.random()) {
    const all = [...CONTACTS.map((c) => ({ ...c, type: 1 })), ...TEAMS];
    const who = pick(all, r);
    return this.messageFrom(who, createTime);
  }

  messageFrom(who, createTime = this.now()) {
    const conversationId = this.idFor(who.type, who.id);
    const sender = who.type === 1 ? who : pick(CONTACTS);
    return {
      conversationId,
      messageClientId: `${this.tab}-${++this.seq}`,
      messageServerId: String(createTime),
      senderId: sender.id,
      senderName: sender.name,
      receiverId: who.type === 1 ? this.me : who.id,
      createTime,
      sendingState: 1,
      ...this.content(),
    };
  }

  /** A message I send in a conversation. */
  outgoing(conversationId, text) {
    const target = ConversationIdUtil.parseConversationTargetId(conversationId);
    const createTime = this.now();
    return {
      conversationId,
      messageClientId: `${this.tab}-${++this.seq}`,
      messageServerId: String(createTime),
      senderId: this.me,
      receiverId: target,
      createTime,
      sendingState: 1,
      messageType: 0,
      text,
    };
  }

  /** A message from the other side of an open conversation. */
  replyIn(conversationId) {
    const type = ConversationIdUtil.parseConversationType(conversationId);
    const target = ConversationIdUtil.parseConversationTargetId(conversationId);
    const known = type === 1 ? CONTACTS.find((c) => c.id === target) : TEAMS.find((t) => t.id === target);
    return this.messageFrom(known ? { ...known, type } : { id: target, name: target, type }, this.now());
  }

  /** Applies messages; resolves once the conversations they created have their names. */
  async deliver(messages) {
    const result = await this.service.applyMessages(messages);
    await this.named();
    return result;
  }

  /**
   * What a host app does on conversationCreated: a conversation starts without
   * display info, so look the user or team up and set it. (The demo's
   * directory is the handful; seeded conversations show their target id.)
   */
  nameIfKnown(c) {
    if (c.name) return;
    const target = ConversationIdUtil.parseConversationTargetId(c.conversationId);
    const known = c.type === 1 ? CONTACTS.find((x) => x.id === target) : TEAMS.find((x) => x.id === target && x.type === c.type);
    if (!known) return;
    const p = this.service.updateConversationInfo(c.conversationId, { name: known.name }).catch(() => {}); // it may be gone again
    this.naming.add(p);
    p.finally(() => this.naming.delete(p));
  }

  /** Resolves when the names asked for so far are set. */
  async named() {
    while (this.naming.size) await Promise.all([...this.naming]);
  }

  /** One message from one of the handful. */
  receiveOne() {
    return this.deliver([this.incoming()]);
  }

  /** `count` messages from the handful, in batches of `batch`, with times just before now. */
  async burst(count = 1000, batch = 250) {
    const start = Math.max(Date.now() - count, this.lastTime + 1);
    this.lastTime = start + count;
    let applied = 0;
    for (let i = 0; i < count; i += batch) {
      const msgs = [];
      for (let j = i; j < Math.min(count, i + batch); j++) msgs.push(this.incoming(start + j));
      applied += (await this.deliver(msgs)).applied;
      await yieldToPage();
    }
    return applied;
  }

  /**
   * `count` new conversations, one message each, older than everything live
   * (as a history sync would bring them), in batches of `batch` awaited one
   * after another. onProgress(done) after each batch; stops early when
   * signal.aborted.
   */
  async seed(count, { batch = 1000, onProgress = () => {}, signal } = {}) {
    const run = Date.now().toString(36).slice(-4);
    const base = Date.now() - 60_000;
    const step = Math.max(1, Math.floor((90 * 86400000) / count)); // spread over 90 days
    let done = 0;
    for (let i = 0; i < count && !signal?.aborted; i += batch) {
      const msgs = [];
      for (let n = i; n < Math.min(count, i + batch); n++) msgs.push(this.seedMessage(run, n, base - n * step));
      await this.service.applyMessages(msgs);
      done += msgs.length;
      onProgress(done);
      await yieldToPage();
    }
    return done;
  }

  seedMessage(run, n, createTime) {
    const r = ((n * 2654435761) >>> 0) / 4294967296; // deterministic spread
    const type = r < 0.8 ? 1 : r < 0.95 ? 2 : 3;
    const target = type === 1
      ? `${FIRST[n % FIRST.length]}.${LAST[Math.floor(n / FIRST.length) % LAST.length]}-${run}${n}`
      : `${TEAM_WORDS[n % TEAM_WORDS.length]}-${TEAM_NOUNS[Math.floor(n / 7) % TEAM_NOUNS.length]}-${run}${n}`;
    const mine = (n * 7) % 10 < 4;
    const first = FIRST[(n * 3) % FIRST.length];
    const sender = mine ? this.me : type === 1 ? target : first;
    const m = {
      conversationId: this.idFor(type, target),
      messageClientId: `seed-${run}-${n}`,
      senderId: sender,
      receiverId: mine || type !== 1 ? target : this.me,
      createTime,
      sendingState: 1,
      messageType: 0,
      text: LINES[n % LINES.length],
    };
    if (!mine) m.senderName = type === 1 ? target : first[0].toUpperCase() + first.slice(1);
    return m;
  }
}
