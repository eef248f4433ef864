// attachToNIM: localconv in the place of a nim-web-sdk-ng V2 instance's own
// V2NIMLocalConversationService, fed from the SDK's public events and opened
// and closed with its login. docs/nim.md says what it does and why; the SDK's
// own behaviour it follows or departs from is listed in README.md ("Coming
// from the NIM Web SDK").
import { invalid } from './errors.js';
import { toMessage, toRefer, teamConversationId, DisplayInfo } from './nim-feed.js';

// The SDK's numbers (V2NIMConst) this file reads.
const LOGIN_STATUS_LOGOUT = 0;
const LOGIN_STATUS_LOGINED = 1;
const DATA_SYNC_MAIN = 1;
const DATA_SYNC_SYNCING = 2;
const DATA_SYNC_COMPLETED = 3;
const SENDING = 3;
const SUCCEEDED = 1;
const FAILED = 2;
const P2P_MUTE_ON = 1;
const TEAM_MUTE_OFF = 0;

// The SDK reaches its services through the instance for a few internal
// calls: protocol packets (process), logout's reset, setOptions, and `name`
// (which decides whether the login sync asks for pinned conversations).
// They go to the SDK's own service, which keeps working underneath.
const SDK_HOOKS = ['process', 'reset', 'setOptions'];

// What the user does through localconv that the SDK's own service also sends
// to the server, so that the user's other devices see it.
const TO_SERVER = ['stickTopConversation', 'markConversationRead', 'clearUnreadCountByIds', 'clearUnreadCountByTypes',
  'clearTotalUnreadCount', 'deleteConversation', 'deleteConversationListByIds'];

const MESSAGES_PER_CALL = 300; // the login sync's messages, applied in calls of this many: their events cross from a worker to the page, in one task each
const CONVERSATIONS_PER_EVENT = 1000; // docs/api.md §4: large changes come in events of at most 1,000
const NO_SUCH = 191004;

const attachedTo = new WeakSet();

export function attach(nim, options, control, { toV2NIMError }) {
  const fail = (message) => toV2NIMError(invalid(`attachToNIM: ${message}`));
  if (nim === null || typeof nim !== 'object') throw fail('nim must be a nim-web-sdk-ng V2 instance (NIM.getInstance({appkey, apiVersion: "v2"}))');
  for (const name of ['V2NIMLoginService', 'V2NIMMessageService', 'V2NIMLocalConversationService']) {
    if (!emitter(nim[name])) throw fail(`nim.${name} is missing: a V2 instance (apiVersion: "v2") is needed`);
  }
  if (typeof nim.V2NIMLoginService.getLoginUser !== 'function') throw fail('nim.V2NIMLoginService.getLoginUser is missing');
  if (options !== undefined && (options === null || typeof options !== 'object')) throw fail('options must be an object');
  if (options?.dbName !== undefined && typeof options.dbName !== 'string') throw fail('options.dbName must be a string (each account\'s list is in dbName:accountId)');
  for (const key of ['accountId', 'listeners']) {
    if (options?.[key] !== undefined) {
      throw fail(`options.${key} is not taken: ${key === 'accountId' ? 'the list is the SDK\'s login user\'s' : 'register handlers with nim.V2NIMLocalConversationService.on()'}`);
    }
  }
  if (attachedTo.has(nim)) throw fail('localconv is attached to this instance already; detach() it first');
  attachedTo.add(nim);

  const openOptions = { waitForSync: false, ...options };
  const original = nim.V2NIMLocalConversationService;
  const service = control.service;
  const display = new DisplayInfo();
  const sends = new Map(); // messageClientId → the sendingState last heard
  const sdkPins = new Map(); // conversationId → stickTop as the SDK's own service last showed it
  const subscriptions = [];
  let session = null;

  for (const hook of SDK_HOOKS) {
    if (typeof original[hook] === 'function') Object.defineProperty(service, hook, { value: (...args) => original[hook](...args), configurable: true });
  }
  Object.defineProperty(service, 'name', { value: original.name || 'V2NIMLocalConversationService', configurable: true });
  for (const method of TO_SERVER) {
    const local = service[method];
    Object.defineProperty(service, method, {
      configurable: true,
      writable: true,
      value: (...args) => local.apply(service, args).then((result) => {
        toServer(method, args);
        return result;
      }),
    });
  }
  function toServer(method, args) {
    // The list already changed; the server is told on a best-effort basis,
    // as the SDK's own service would (its refusals, offline say, change
    // nothing here).
    try {
      Promise.resolve(original[method](...args)).catch(() => {});
    } catch {
      // the SDK's service refused synchronously: nothing to undo
    }
  }

  // --- the session: one account's list, from its login to its logout ---

  function ensureSession() {
    const account = nim.V2NIMLoginService.getLoginUser();
    if (typeof account !== 'string' || account === '') return null;
    if (session?.account === account) return session;
    endSession();
    const s = { account, svc: null, window: null, queue: null };
    session = s;
    // A database is one account's: dbName names the app's, one per account.
    const dbName = openOptions.dbName === undefined ? undefined : `${openOptions.dbName}:${account}`;
    const opening = control.open({ ...openOptions, accountId: account, dbName }, (name, detail) => onModuleEvent(s, name, detail));
    s.queue = opening.then(async (svc) => {
      s.svc = svc;
      // The total kept in IndexedDB, before the SDK has synced: handlers
      // that take the total from this event alone (NetEase's UIKit) show it.
      if (session === s) control.emit('onTotalUnreadCountChanged', await svc.getTotalUnreadCount());
    }, (e) => {
      if (session === s) control.emit('onSyncFailed', e);
    });
    return s;
  }

  function endSession() {
    const s = session;
    if (!s) return;
    session = null;
    s.window = null;
    sends.clear();
    sdkPins.clear();
    control.unbind(); // calls are refused from now on, as the SDK's are after logout
    // What was already fed is applied before the list closes; its data stays.
    s.queue.then(() => s.svc?.close()).catch(() => {});
  }

  // The module's events: to the handlers, or held while the SDK syncs.
  function onModuleEvent(s, name, detail) {
    if (s !== session) return;
    // The module's own load; the SDK's sync is what handlers hear of.
    if (name === 'onSyncStarted' || name === 'onSyncFinished') return;
    if (s.window && name !== 'onSyncFailed') {
      hold(s.window.held, name, detail);
      return;
    }
    if (name === 'onConversationCreated') enqueue(s, (svc) => fillInfo(svc, [detail.conversationId]));
    control.emit(name, detail);
  }

  // --- the SDK's login sync ---

  function beginSync() {
    const s = ensureSession();
    if (!s || s.window) return;
    s.window = { ops: [], readTimes: new Map(), held: newHeld(), closing: false };
    control.emit('onSyncStarted');
  }

  function endSync(error) {
    const s = session;
    const w = s?.window;
    if (!w || w.closing) return;
    w.closing = true; // what the SDK delivers from now on is applied as it comes
    enqueue(s, async (svc) => {
      await applyOps(svc, w.ops, w.readTimes);
      const readTimes = [...w.readTimes].map(([conversationId, readTime]) => ({ conversationId, readTime }));
      for (let i = 0; i < readTimes.length; i += MESSAGES_PER_CALL) await svc.applyReadTimes(readTimes.slice(i, i + MESSAGES_PER_CALL));
      await fillInfo(svc, [...w.held.created]);
      // Events that come while the held ones are read out are held too, and
      // given out after them.
      for (let held = w.held; !isEmpty(held); held = w.held) {
        w.held = newHeld();
        await giveOut(svc, held, control.emit);
      }
      if (s.window === w) s.window = null;
      // The SDK's order after its sync: the changes, the total, then this.
      if (error) control.emit('onSyncFailed', error);
      else control.emit('onSyncFinished');
    });
  }

  // What the SDK feeds in: held with the sync while it runs, in order after.
  function feed(op) {
    const s = session;
    if (!s) return; // not logged in: the SDK's own list would not have it either
    const w = s.window;
    if (w && !w.closing) {
      w.ops.push(op);
      if (op.kind === 'readTime') w.readTimes.set(op.id, Math.max(op.time, w.readTimes.get(op.id) ?? 0));
      return;
    }
    enqueue(s, (svc) => applyOps(svc, [op], null));
  }

  function enqueue(s, work) {
    s.queue = s.queue.then(() => (s.svc && session === s ? work(s.svc) : undefined)).catch(report);
  }

  // Applies ops in order. readTimes, during the sync's catch-up: the read
  // times it delivered, applied by the caller after the messages; a message
  // at or before its conversation's is applied as never counting, so no
  // count ever includes it, even before its read time is applied.
  async function applyOps(svc, ops, readTimes) {
    let batch = [];
    const applyBatch = async () => {
      if (batch.length) await applyMessages(svc, batch);
      batch = [];
    };
    for (const op of ops) {
      if (op.kind === 'messages') {
        for (const m of op.messages) {
          const readTime = readTimes?.get(m.conversationId) ?? 0;
          batch.push(readTime > 0 && m.createTime <= readTime ? { ...m, unreadEnabled: false } : m);
          if (batch.length >= MESSAGES_PER_CALL) await applyBatch();
        }
        continue;
      }
      await applyBatch();
      if (op.kind === 'readTime') {
        if (!readTimes) await ignoreMissing(svc.applyReadTime(op.id, op.time));
      } else {
        await APPLY[op.kind](svc, op);
      }
    }
    await applyBatch();
  }

  // One message the module refuses (a shape this version does not know) must
  // not cost the others theirs: it is reported, they are applied.
  async function applyMessages(svc, messages) {
    try {
      await svc.applyMessages(messages);
    } catch (e) {
      if (e?.code !== NO_SUCH || messages.length === 1) throw e;
      for (const m of messages) await svc.applyMessages([m]).catch(report);
    }
  }

  const APPLY = {
    revoke: (svc, { notifications }) => each(notifications, (n) => svc.revokeMessage(toRefer(n.messageRefer), defined({
      revokeAccountId: n.revokeAccountId, revokeType: n.revokeType, postscript: n.postscript,
    }))),
    delete: (svc, { notifications }) => each(notifications, (n) => svc.deleteMessages([toRefer(n.messageRefer)])),
    clear: (svc, { notifications }) => each(notifications, (n) => svc.applyClearHistory(n.conversationId, n.deleteTime)),
    gone: (svc, { id }) => ignoreMissing(svc.deleteConversation(id)),
    info: (svc, { id, info }) => ignoreMissing(svc.updateConversationInfo(id, info)),
    // A pin made on another device: the list only, the server has it.
    pin: async (svc, { id, stickTop }) => {
      const c = await svc.getConversation(id).catch(() => null);
      if (c && c.stickTop !== stickTop) await ignoreMissing(svc.stickTopConversation(id, stickTop));
    },
  };

  // A new conversation takes what the SDK has told of its user or team, and
  // its mute status; one of an unknown user or team stays as it is and shows
  // the SDK's fallback name (decorate), so that a sync of thousands of new
  // conversations costs no write each.
  async function fillInfo(svc, ids) {
    for (const id of ids) {
      const info = display.known(id) ?? {};
      if (muted(id)) info.mute = true;
      if (Object.keys(info).length) await ignoreMissing(svc.updateConversationInfo(id, info));
    }
  }

  function muted(id) {
    try {
      return nim.V2NIMSettingService?.getConversationMuteStatus?.(id) === true;
    } catch {
      return false; // the SDK has no mute status for it yet: it comes with its own event
    }
  }

  // The SDK's names where the app was told none: the sender's nick (this
  // session's, else lastMessage's), else the account; a team's id.
  control.decorate((c) => {
    if (!c.name) c.name = display.fallback(c.conversationId, c.lastMessage?.senderName);
    return c;
  });

  // --- the SDK's events ---

  const convert = (m) => {
    display.seen(m);
    return toMessage(m, display.senderName(m, session?.account));
  };
  const p2p = (accountId) => `${session?.account}|1|${accountId}`;
  const infoChanged = (id) => session && feed({ kind: 'info', id, info: display.of(id) });

  listen(nim.V2NIMLoginService, {
    onLoginStatus(status) {
      if (status === LOGIN_STATUS_LOGINED) ensureSession();
      else if (status === LOGIN_STATUS_LOGOUT) endSession();
    },
    onKickedOffline() { endSession(); },
    onDataSync(type, state, error) {
      if (type !== DATA_SYNC_MAIN) return;
      if (state === DATA_SYNC_SYNCING) beginSync();
      else if (state === DATA_SYNC_COMPLETED) endSync(error);
    },
  });
  listen(nim.V2NIMMessageService, {
    onReceiveMessages(messages) {
      if (Array.isArray(messages) && messages.length) feed({ kind: 'messages', messages: messages.map(convert) });
    },
    onSendMessage(m) {
      const before = sends.get(m.messageClientId);
      const state = m.sendingState;
      if (state === before) return; // an upload's progress: nothing for the list
      if (state === SENDING) {
        sends.set(m.messageClientId, state);
      } else if (state === SUCCEEDED || state === FAILED) {
        // Failed without having been sent (the client's antispam): the SDK
        // never listed it.
        if (before === undefined && state === FAILED) return;
        sends.delete(m.messageClientId);
      } else {
        return;
      }
      feed({ kind: 'messages', messages: [convert(m)] });
    },
    onReceiveMessagesModified(messages) {
      // A new version of a message the list has (docs/api.md, modifyTime); one
      // it never had is not news to count.
      if (Array.isArray(messages) && messages.length) {
        feed({ kind: 'messages', messages: messages.map((m) => ({ ...convert(m), unreadEnabled: false })) });
      }
    },
    onMessageRevokeNotifications(notifications) { feed({ kind: 'revoke', notifications }); },
    onMessageDeletedNotifications(notifications) { feed({ kind: 'delete', notifications }); },
    onClearHistoryNotifications(notifications) { feed({ kind: 'clear', notifications }); },
  });
  const readTime = (id, time) => feed({ kind: 'readTime', id, time });
  const sdkChanged = (list) => {
    for (const c of Array.isArray(list) ? list : []) {
      if (typeof c?.stickTop !== 'boolean') continue;
      const before = sdkPins.get(c.conversationId) ?? false;
      sdkPins.set(c.conversationId, c.stickTop);
      if (before !== c.stickTop) feed({ kind: 'pin', id: c.conversationId, stickTop: c.stickTop });
    }
  };
  listen(original, { onConversationReadTimeUpdated: readTime, onConversationChanged: sdkChanged });
  listen(nim.V2NIMConversationService, { onConversationReadTimeUpdated: readTime });
  const teamGone = (team) => session && team && feed({ kind: 'gone', id: teamConversationId(session.account, team) });
  const teamInfo = (team) => {
    display.team(team);
    if (session && team) infoChanged(teamConversationId(session.account, team));
  };
  listen(nim.V2NIMTeamService, {
    onTeamDismissed: teamGone,
    onTeamLeft: teamGone,
    onTeamInfoUpdated: teamInfo,
    onTeamJoined: teamInfo,
    onTeamCreated: teamInfo,
  });
  listen(nim.V2NIMUserService, {
    onUserProfileChanged(users) {
      for (const u of Array.isArray(users) ? users : []) {
        display.user(u);
        if (u) infoChanged(p2p(u.accountId));
      }
    },
  });
  const friendChanged = (f) => {
    display.friend(f);
    if (f) infoChanged(p2p(f.accountId));
  };
  listen(nim.V2NIMFriendService, {
    onFriendAdded: friendChanged,
    onFriendInfoChanged: friendChanged,
    onFriendDeleted(accountId) {
      display.aliases.delete(accountId);
      infoChanged(p2p(accountId));
    },
  });
  listen(nim.V2NIMSettingService, {
    onP2PMessageMuteModeChanged(accountId, mode) {
      if (session) feed({ kind: 'info', id: p2p(accountId), info: { mute: mode === P2P_MUTE_ON } });
    },
    onTeamMessageMuteModeChanged(teamId, teamType, mode) {
      if (session) feed({ kind: 'info', id: teamConversationId(session.account, { teamId, teamType }), info: { mute: mode !== TEAM_MUTE_OFF } });
    },
  });

  function listen(target, handlers) {
    if (!emitter(target)) return;
    for (const [name, fn] of Object.entries(handlers)) {
      target.on(name, fn);
      subscriptions.push(() => target.off(name, fn));
    }
  }

  nim.V2NIMLocalConversationService = service;
  // Attached after login: the list opens now, with no sync to wait for.
  if (typeof nim.V2NIMLoginService.getLoginStatus === 'function' && nim.V2NIMLoginService.getLoginStatus() === LOGIN_STATUS_LOGINED) {
    ensureSession();
  }

  return Object.freeze({
    /** Stops everything, closes the list (its data stays) and puts the SDK's own service back. */
    detach() {
      if (!attachedTo.has(nim)) return;
      attachedTo.delete(nim);
      for (const off of subscriptions.splice(0)) off();
      endSession();
      nim.V2NIMLocalConversationService = original;
    },
  });
}

// --- held events: what the module emits during the SDK's sync, given out
// once at its end as the SDK does (docs/nim.md, "The login sync") ---

function newHeld() {
  return { created: new Set(), changed: new Set(), deleted: new Set(), readTimes: new Map(), filters: new Map() };
}

function isEmpty(h) {
  return !h.created.size && !h.changed.size && !h.deleted.size && !h.readTimes.size && !h.filters.size;
}

function hold(h, name, detail) {
  switch (name) {
    case 'onConversationCreated':
      h.created.add(detail.conversationId);
      h.deleted.delete(detail.conversationId);
      break;
    case 'onConversationChanged':
      for (const c of detail) h.changed.add(c.conversationId);
      break;
    case 'onConversationDeleted':
      for (const id of detail) {
        h.created.delete(id);
        h.changed.delete(id);
        h.deleted.add(id);
      }
      break;
    case 'onConversationReadTimeUpdated':
      h.readTimes.set(detail.conversationId, detail);
      break;
    case 'onUnreadCountChangedByFilter':
      h.filters.set(JSON.stringify(detail.filter), detail);
      break;
    default: // the total is read afresh when they are given out
  }
}

// The SDK gives out its sync as one onConversationChanged of every
// conversation it touched (none as created), then the total.
async function giveOut(svc, h, emit) {
  if (h.deleted.size) emit('onConversationDeleted', [...h.deleted]);
  const ids = [...new Set([...h.created, ...h.changed])];
  for (let i = 0; i < ids.length; i += CONVERSATIONS_PER_EVENT) {
    const list = await svc.getConversationListByIds(ids.slice(i, i + CONVERSATIONS_PER_EVENT));
    if (list.length) emit('onConversationChanged', list);
  }
  for (const detail of h.readTimes.values()) emit('onConversationReadTimeUpdated', detail);
  emit('onTotalUnreadCountChanged', await svc.getTotalUnreadCount());
  for (const detail of h.filters.values()) emit('onUnreadCountChangedByFilter', detail);
}

const emitter = (x) => x !== null && typeof x === 'object' && typeof x.on === 'function' && typeof x.off === 'function';

function defined(o) {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
}

async function each(list, call) {
  for (const item of Array.isArray(list) ? list : []) await ignoreMissing(call(item));
}

// The SDK tells of conversations and messages the list does not have (one the
// user deleted, a message from before the list began): nothing to change.
function ignoreMissing(promise) {
  return promise.catch((e) => {
    if (e?.code !== NO_SUCH) throw e;
  });
}

const report = (e) => (typeof globalThis.reportError === 'function' ? globalThis.reportError(e) : setTimeout(() => { throw e; }));
