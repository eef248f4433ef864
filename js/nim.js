// localconv/nim — the shape of the NIM Web SDK's V2NIMLocalConversationService
// over LocalConversationService, so that code written for the SDK runs as it
// is: on/off/once/removeAllListeners with the SDK's handler arguments, the
// SDK's synchronous reads, its batch results, its error shape, its enums and
// a one-argument V2NIMConversationIdUtil. Every rule stays in the module and
// in localconv.js; this file only changes shapes.
import { LocalConversationService, LocalConvError, ErrorCode, ConversationType, ConversationIdUtil, LastMessageState, MessageSendingState, MessageType } from './localconv.js';
import { invalid } from './errors.js';

// The SDK's enums are TypeScript enums: NAME → value and value → NAME. They
// are built from the module's own constants, so the values exist once.
function sdkEnum(prefix, source, rename = {}) {
  const e = {};
  for (const [key, value] of Object.entries(source)) {
    const name = prefix + (rename[key] ?? key);
    e[name] = value;
    e[value] = name;
  }
  return Object.freeze(e);
}

export const V2NIMConversationType = sdkEnum('V2NIM_CONVERSATION_TYPE_', ConversationType);
export const V2NIMLastMessageState = sdkEnum('V2NIM_MESSAGE_STATUS_', LastMessageState, { REVOKED: 'REVOKE', CLIENT_FILL: 'BACKFILL' });
export const V2NIMMessageType = sdkEnum('V2NIM_MESSAGE_TYPE_', MessageType);
export const V2NIMMessageSendingState = sdkEnum('V2NIM_MESSAGE_SENDING_STATE_', MessageSendingState);
// The module stores revokeType as the number it is given; these are the SDK's names for it.
export const V2NIMMessageRevokeType = sdkEnum('V2NIM_MESSAGE_REVOKE_TYPE_', {
  UNDEFINED: 0, P2P_BOTHWAY: 1, TEAM_BOTHWAY: 2, SUPERTEAM_BOTHWAY: 3, P2P_ONEWAY: 4, TEAM_ONEWAY: 5,
});
// SDK code reaches the enums through V2NIMConst as often as by name.
export const V2NIMConst = Object.freeze({
  V2NIMConversationType, V2NIMLastMessageState, V2NIMMessageType, V2NIMMessageSendingState, V2NIMMessageRevokeType,
});

/**
 * The SDK's error: code, desc (what went wrong, naming the parameter) and
 * detail ({reason, rawError: the LocalConvError}). The codes are the module's.
 */
export class V2NIMError extends Error {
  constructor(code, desc, detail = {}) {
    super(desc);
    this.name = 'V2NIMError';
    this.code = code;
    this.desc = desc;
    this.detail = detail;
  }
}

function toV2NIMError(e) {
  if (e instanceof V2NIMError) return e;
  if (e instanceof LocalConvError) return new V2NIMError(e.code, e.message, { reason: e.message, rawError: e });
  // A batch result's error crosses from the module as {code, message}.
  if (e && typeof e === 'object' && typeof e.code === 'number') {
    const desc = String(e.message);
    return new V2NIMError(e.code, desc, { reason: desc });
  }
  const desc = `internal error: ${e && e.message ? e.message : e}`;
  return new V2NIMError(ErrorCode.INTERNAL, desc, { reason: desc, rawError: e });
}

const rethrow = (e) => {
  throw toV2NIMError(e);
};

// The SDK's listener names (the same as the module's listen() names) and how
// the module's one detail becomes the SDK's arguments.
const ARGS = Object.freeze({
  onSyncStarted: () => [],
  onSyncFinished: () => [],
  onSyncFailed: (error) => [toV2NIMError(error)],
  onConversationCreated: (conversation) => [conversation],
  onConversationDeleted: (conversationIds) => [conversationIds],
  onConversationChanged: (conversationList) => [conversationList],
  onTotalUnreadCountChanged: (unreadCount) => [unreadCount],
  onUnreadCountChangedByFilter: ({ filter, unreadCount }) => [withEquals(filter), unreadCount],
  onConversationReadTimeUpdated: ({ conversationId, readTime }) => [conversationId, readTime],
});

// The SDK hands a filter with equals(other), to tell which subscription a
// count belongs to. The module's filter is already normalized (types sorted
// and unique, ignoreMuted false when left out); other is read the same way,
// and the tests check both readings agree on every filter they subscribe.
function withEquals(filter) {
  const equals = (other) => {
    if (other === null || typeof other !== 'object') return false;
    const types = other.conversationTypes ?? [];
    const muted = other.ignoreMuted ?? false;
    if (!Array.isArray(types) || typeof muted !== 'boolean') return false;
    const set = [...new Set(types)].sort((a, b) => a - b);
    return muted === filter.ignoreMuted && set.length === filter.conversationTypes.length
      && set.every((t, i) => t === filter.conversationTypes[i]);
  };
  return Object.defineProperty({ ...filter }, 'equals', { value: equals });
}

// An exception in one handler must not keep the others from their event; it
// is reported the way an EventTarget reports one.
const report = (e) => (typeof globalThis.reportError === 'function' ? globalThis.reportError(e) : setTimeout(() => { throw e; }));

const constructing = Symbol('constructing');

export class V2NIMLocalConversationService {
  #svc = null;
  #handlers = new Map(); // listener name → [{fn, once}]
  // The total the SDK returns synchronously: the last totalUnreadCountChanged
  // or, before any, what the module answered when asked. The module
  // dispatches a call's events before its Promise resolves, so this is
  // current as soon as the call that changed it resolves.
  #total = 0;
  #totalEvents = 0;

  constructor(token) {
    if (token !== constructing) throw new TypeError("use open({accountId}) from 'localconv/nim'");
  }

  // The listeners handed to LocalConversationService.open, so that the first
  // sync's events reach on() handlers registered through options.listeners.
  #moduleListeners() {
    const out = {};
    for (const name of Object.keys(ARGS)) out[name] = (detail) => this.#emit(name, detail);
    return out;
  }

  #emit(name, detail) {
    if (name === 'onTotalUnreadCountChanged') {
      this.#total = detail;
      this.#totalEvents++;
    } else if (name === 'onSyncFinished' && this.#svc) {
      // With waitForSync: false the list was still loading when the total was
      // first read; read it again once it is whole.
      this.#seedTotal().catch(() => {});
    }
    const list = this.#handlers.get(name);
    if (!list || list.length === 0) return;
    const args = ARGS[name](detail);
    for (const entry of list.slice()) {
      if (entry.once) this.#remove(name, (e) => e === entry);
      try {
        entry.fn.apply(this, args);
      } catch (e) {
        report(e);
      }
    }
  }

  async #seedTotal() {
    const seen = this.#totalEvents;
    const total = await this.#svc.getTotalUnreadCount();
    // An event that came while the answer was on its way is at least as new.
    if (seen === this.#totalEvents) this.#total = total;
  }

  #remove(name, match) {
    const list = this.#handlers.get(name);
    if (!list) return;
    const kept = list.filter((e) => !match(e));
    if (kept.length) this.#handlers.set(name, kept);
    else this.#handlers.delete(name);
  }

  #add(name, fn, once) {
    if (!Object.hasOwn(ARGS, name)) {
      throw toV2NIMError(invalid(`unknown listener ${JSON.stringify(name)}; known: ${Object.keys(ARGS).join(', ')}`));
    }
    if (typeof fn !== 'function') throw toV2NIMError(invalid(`the handler of ${name} must be a function`));
    const list = this.#handlers.get(name) ?? [];
    list.push({ fn, once });
    this.#handlers.set(name, list);
  }

  static async [constructing](options) {
    const nim = new V2NIMLocalConversationService(constructing);
    let moduleOptions = options;
    if (options !== null && typeof options === 'object') {
      const { listeners } = options;
      if (listeners !== undefined) nim.#addListeners(listeners);
      moduleOptions = { ...options, listeners: nim.#moduleListeners() };
    }
    const svc = await LocalConversationService.open(moduleOptions).catch(rethrow);
    nim.#svc = svc;
    await nim.#seedTotal().catch(rethrow);
    return nim;
  }

  // options.listeners: an object of SDK-style handlers (or a class instance
  // with such methods), each called with the SDK's arguments.
  #addListeners(handlers) {
    if (handlers === null || typeof handlers !== 'object') {
      throw toV2NIMError(invalid('options.listeners must be an object such as {onConversationChanged(list) {…}}'));
    }
    for (const [name, fn] of Object.entries(handlers)) {
      if (!Object.hasOwn(ARGS, name) && /^on[A-Z]/.test(name) && typeof fn === 'function') {
        throw toV2NIMError(invalid(`options.listeners: unknown handler ${name}; known: ${Object.keys(ARGS).join(', ')}`));
      }
    }
    for (const name of Object.keys(ARGS)) {
      const fn = handlers[name];
      if (fn === undefined) continue;
      if (typeof fn !== 'function') throw toV2NIMError(invalid(`options.listeners.${name} must be a function`));
      this.#add(name, (...args) => fn.apply(handlers, args), false);
    }
  }

  on(eventName, fn) { this.#add(eventName, fn, false); }
  once(eventName, fn) { this.#add(eventName, fn, true); }
  /** Removes every registration of fn for eventName. */
  off(eventName, fn) { this.#remove(eventName, (e) => e.fn === fn); }
  /** Without a name: every handler of every listener. */
  removeAllListeners(eventName) {
    if (eventName === undefined) this.#handlers.clear();
    else this.#handlers.delete(eventName);
  }

  createConversation(...args) { return this.#svc.createConversation(...args).catch(rethrow); }
  updateConversationLocalExtension(...args) { return this.#svc.updateConversationLocalExtension(...args).catch(rethrow); }
  deleteConversation(...args) { return this.#svc.deleteConversation(...args).catch(rethrow); }
  /** Resolves to the ids that failed, each with its V2NIMError; [] when all succeeded. */
  deleteConversationListByIds(...args) { return this.#svc.deleteConversationListByIds(...args).then(failures, rethrow); }
  stickTopConversation(...args) { return this.#svc.stickTopConversation(...args).catch(rethrow); }
  getConversation(...args) { return this.#svc.getConversation(...args).catch(rethrow); }
  getConversationList(...args) { return this.#svc.getConversationList(...args).catch(rethrow); }
  getConversationListByIds(...args) { return this.#svc.getConversationListByIds(...args).catch(rethrow); }
  getConversationListByOption(...args) { return this.#svc.getConversationListByOption(...args).catch(rethrow); }
  getStickTopConversationList(...args) { return this.#svc.getStickTopConversationList(...args).catch(rethrow); }
  /** Synchronous, as in the SDK. */
  getTotalUnreadCount() { return this.#total; }
  getUnreadCountByIds(...args) { return this.#svc.getUnreadCountByIds(...args).catch(rethrow); }
  getUnreadCountByFilter(...args) { return this.#svc.getUnreadCountByFilter(...args).catch(rethrow); }
  clearTotalUnreadCount(...args) { return this.#svc.clearTotalUnreadCount(...args).catch(rethrow); }
  /** Resolves to the ids that failed, each with its V2NIMError; [] when all succeeded. */
  clearUnreadCountByIds(...args) { return this.#svc.clearUnreadCountByIds(...args).then(failures, rethrow); }
  clearUnreadCountByTypes(...args) { return this.#svc.clearUnreadCountByTypes(...args).catch(rethrow); }
  // Synchronous, as in the SDK. The module checks the filter, and it answers
  // asynchronously, so a filter it refuses is reported as an uncaught
  // V2NIMError rather than thrown here. Later calls are queued behind this
  // one, so their events already count the subscription.
  subscribeUnreadCountByFilter(...args) { this.#svc.subscribeUnreadCountByFilter(...args).catch((e) => report(toV2NIMError(e))); }
  unsubscribeUnreadCountByFilter(...args) { this.#svc.unsubscribeUnreadCountByFilter(...args).catch((e) => report(toV2NIMError(e))); }
  markConversationRead(...args) { return this.#svc.markConversationRead(...args).catch(rethrow); }
  getConversationReadTime(...args) { return this.#svc.getConversationReadTime(...args).catch(rethrow); }
  /** No id, or "" as in the SDK, for no conversation on screen. Resolves once applied. */
  setCurrentConversation(...args) {
    if (args[0] === '') args[0] = null;
    return this.#svc.setCurrentConversation(...args).catch(rethrow);
  }

  // What the host feeds in: the module's own methods, with the SDK's error.
  applyMessages(...args) { return this.#svc.applyMessages(...args).catch(rethrow); }
  /**
   * (refer, {revokeAccountId?, revokeType?, postscript?}) as in the module,
   * or the SDK's V2NIMMessageRevokeNotification ({messageRefer, revokeAccountId,
   * revokeType, postscript, …}) as onMessageRevokeNotifications delivers it.
   */
  revokeMessage(...args) {
    const [first] = args;
    if (args.length === 1 && first !== null && typeof first === 'object' && Object.hasOwn(first, 'messageRefer')) {
      const { messageRefer, revokeAccountId, revokeType, postscript } = first;
      args = [messageRefer, { revokeAccountId, revokeType, postscript }];
    }
    return this.#svc.revokeMessage(...args).catch(rethrow);
  }
  deleteMessages(...args) { return this.#svc.deleteMessages(...args).catch(rethrow); }
  updateConversationInfo(...args) { return this.#svc.updateConversationInfo(...args).catch(rethrow); }
  applyReadTime(...args) { return this.#svc.applyReadTime(...args).catch(rethrow); }
  close() { return this.#svc.close().catch(rethrow); }
}

// The module reports every id; the SDK only those that failed.
function failures(results) {
  return results.filter((r) => r.error).map((r) => ({ conversationId: r.conversationId, error: toV2NIMError(r.error) }));
}

// V2NIMConversationIdUtil as a NIM instance has it: the logged-in account is
// implied. Building and parsing are ConversationIdUtil's.
function idUtil(accountId) {
  const sync = (fn) => (...args) => {
    try {
      return fn(...args);
    } catch (e) {
      throw toV2NIMError(e);
    }
  };
  return Object.freeze({
    p2pConversationId: sync((accountIdOfPeer) => ConversationIdUtil.p2pConversationId(accountId, accountIdOfPeer)),
    teamConversationId: sync((teamId) => ConversationIdUtil.teamConversationId(accountId, teamId)),
    superTeamConversationId: sync((superTeamId) => ConversationIdUtil.superTeamConversationId(accountId, superTeamId)),
    parseConversationType: sync((conversationId) => ConversationIdUtil.parseConversationType(conversationId)),
    parseConversationTargetId: sync((conversationId) => ConversationIdUtil.parseConversationTargetId(conversationId)),
  });
}

/**
 * Opens the account's list (the options of LocalConversationService.open;
 * listeners take the SDK's handler arguments) and resolves to the part of a
 * NIM instance such code uses: {V2NIMLocalConversationService,
 * V2NIMConversationIdUtil}. Rejects with a V2NIMError.
 */
export async function open(options) {
  const service = await V2NIMLocalConversationService[constructing](options);
  return Object.freeze({
    V2NIMLocalConversationService: service,
    V2NIMConversationIdUtil: idUtil(options.accountId),
  });
}
