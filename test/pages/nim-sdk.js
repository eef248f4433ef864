// What test/nim-attach.test.mjs does in a page that loaded nim-web-sdk-ng
// (nim-sdk.html, nim-sdk-next.html): a real SDK instance, created offline,
// and the events a login and a conversation produce, emitted on the SDK's own
// services in the SDK's order (docs/nim.md, "The SDK's events"). Nothing
// here replaces a part of the SDK: the instance, its services, its message
// creator and its event emitters are the SDK's.

/** The page's SDK instance (one per page: getInstance keeps it). */
export function sdkInstance() {
  const NIM = globalThis.NIM.default;
  return NIM.getInstance({ appkey: 'localconv-test', apiVersion: 'v2', debugLevel: 'off' });
}

/** A message as the SDK delivers it: made by its V2NIMMessageCreator, then addressed. */
export function message(nim, { conversationId, senderId, receiverId, createTime, text = 'hi', clientId, ...rest }) {
  const m = nim.V2NIMMessageCreator.createTextMessage(text);
  const [me, type, target] = conversationId.split('|');
  return Object.assign(m, {
    conversationId,
    conversationType: Number(type),
    messageClientId: clientId ?? `c-${Math.random().toString(36).slice(2)}`,
    messageServerId: String(Math.floor(Math.random() * 1e12)),
    senderId,
    receiverId: receiverId ?? (type === '1' ? (senderId === me ? target : me) : target),
    isSelf: senderId === me,
    createTime,
    sendingState: senderId === me ? 1 : 0,
    messageStatus: { errorCode: 200 },
  }, rest);
}

/** The SDK's login, as its login service tells it: the account, LOGINED, then the main sync starting. */
export function login(nim, account) {
  const ls = nim.V2NIMLoginService;
  ls.account = account;
  ls.emit('onLoginStatus', 1);
  ls.emit('onDataSync', 1, 2);
}

/** The end of the SDK's main sync. */
export function syncDone(nim, error) {
  if (error) nim.V2NIMLoginService.emit('onDataSync', 1, 3, error);
  else nim.V2NIMLoginService.emit('onDataSync', 1, 3);
}

/** Logout: LOGOUT, and the SDK forgets the account. */
export function logout(nim) {
  const ls = nim.V2NIMLoginService;
  ls.emit('onLoginStatus', 0);
  ls.account = '';
}

const LISTENERS = ['onSyncStarted', 'onSyncFinished', 'onSyncFailed', 'onConversationCreated', 'onConversationDeleted',
  'onConversationChanged', 'onTotalUnreadCountChanged', 'onUnreadCountChangedByFilter', 'onConversationReadTimeUpdated'];

/**
 * The fixture every test starts from, as a NIM app builds it: the instance,
 * attachToNIM, handlers on the service, NetEase's UIKit store (which registers
 * its own) — all before login. Kept as globalThis.fx.
 */
export async function setup({ placement = 'page', uikit = true } = {}) {
  const { attachToNIM } = await import('/js/nim.js');
  const nim = sdkInstance();
  const sdkLocal = nim.V2NIMLocalConversationService;
  const attachment = attachToNIM(nim, { placement });
  const svc = nim.V2NIMLocalConversationService;
  const log = [];
  for (const name of LISTENERS) svc.on(name, (...args) => log.push([name, JSON.parse(JSON.stringify(args))]));
  let store = null;
  if (uikit) {
    const { RootStore } = await import('@xkit-yx/im-store-v2');
    store = new RootStore(nim, {}, 'Web');
  }
  globalThis.fx = { nim, sdkLocal, attachment, svc, log, store };
  return { replaced: svc !== sdkLocal, sdkName: sdkLocal.constructor.name };
}

/** Polls cond until it is true, or fails saying what it waited for. */
export async function until(cond, what, ms = 8000) {
  const end = Date.now() + ms;
  for (;;) {
    const v = await cond();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

// What a list view shows of a conversation, to compare the UIKit's with ours.
const view = (c) => ({
  id: c.conversationId,
  unread: c.unreadCount,
  name: c.name,
  mute: c.mute,
  stickTop: c.stickTop,
  last: c.lastMessage ? [c.lastMessage.messageRefer.messageClientId, c.lastMessage.lastMessageState, c.lastMessage.sendingState ?? 0, c.lastMessage.text ?? ''] : null,
});
const byId = (a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** localconv's whole list (every page) and total, as views. */
export async function ours() {
  const { svc } = globalThis.fx;
  const list = [];
  for (let page = { offset: 0, finished: false }; !page.finished;) {
    page = await svc.getConversationList(page.offset, 100);
    list.push(...page.conversationList);
  }
  return { list: list.map(view).sort(byId), total: svc.getTotalUnreadCount(), asked: await svc.getConversationList(0, 1).then(() => true) };
}

/** The UIKit store's MobX list and total, as views. */
export function uikit() {
  const s = globalThis.fx.store.localConversationStore;
  return { list: [...s.conversations.values()].map(view).sort(byId), total: s.totalUnreadCount };
}

/** Waits until the UIKit shows what localconv has, and returns both. */
export async function agree(what) {
  let last;
  await until(async () => {
    const o = await ours();
    const u = uikit();
    last = { ours: o, uikit: u };
    return JSON.stringify(o.list) === JSON.stringify(u.list) && o.total === u.total;
  }, `the UIKit to show localconv's list (${what}): ${JSON.stringify(last)?.slice(0, 600)}`).catch((e) => {
    throw new Error(`${e.message}; last seen ${JSON.stringify(last).slice(0, 1500)}`);
  });
  return last;
}

/** What a NIM app does at logout: the UIKit store destroyed, a new one built before the next login. */
export async function newStore() {
  const { RootStore } = await import('@xkit-yx/im-store-v2');
  globalThis.fx.store?.destroy();
  globalThis.fx.store = new RootStore(globalThis.fx.nim, {}, 'Web');
}
