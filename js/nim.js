// localconv/nim — the shape of the NIM Web SDK's V2NIMLocalConversationService
// over LocalConversationService, so that code written for the SDK runs as it
// is: on/off/once/removeAllListeners with the SDK's handler arguments, the
// SDK's synchronous reads (the total is kept from the events, see #emit), its
// batch results, its error shape, its enums and a one-argument
// V2NIMConversationIdUtil. Every rule of the list stays in the module and in
// localconv.js. Two ways in: open() for an app that feeds the list itself, and
// attachToNIM() (nim-attach.js) for an app on a nim-web-sdk-ng instance.
import { LocalConversationService, LocalConvError, ErrorCode, ConversationType, ConversationIdUtil, LastMessageState, MessageSendingState, MessageType } from './localconv.js';
import { invalid } from './errors.js';
import { attach } from './nim-attach.js';

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
const detached = Symbol('detached');

export class V2NIMLocalConversationService {
  // The module's service of the open account; null before open() or login.
  #svc = null;
  // attachToNIM's open in progress: calls made meanwhile wait for it.
  #opening = null;
  // attachToNIM's finishing of a conversation on its way out (the SDK's
  // fallback names); identity otherwise.
  #decorate = null;
  #handlers = new Map(); // listener name → [{fn, once}]
  // The total the SDK returns synchronously: the last totalUnreadCountChanged
  // or, before any, what the module answered when asked. The module
  // dispatches a call's events before its Promise resolves, so this is
  // current as soon as the call that changed it resolves.
  #total = 0;
  #totalEvents = 0;

  constructor(token) {
    if (token !== constructing) throw new TypeError("use open({accountId}) or attachToNIM(nim) from 'localconv/nim'");
  }

  // The listeners handed to LocalConversationService.open, so that the first
  // sync's events reach on() handlers registered through options.listeners.
  #moduleListeners() {
    const out = {};
    for (const name of Object.keys(ARGS)) out[name] = (detail) => this.#emit(name, detail);
    return out;
  }

  #emit(name, detail) {
    if (this.#decorate) detail = this.#decorated(name, detail);
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

  #decorated(name, detail) {
    if (name === 'onConversationCreated') return this.#decorate(detail);
    if (name === 'onConversationChanged') return detail.map(this.#decorate);
    return detail;
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

  // A service with no account open yet, and the handle attachToNIM drives it
  // by: which account's list it serves, and the events it emits itself (the
  // SDK's sync, held changes).
  static [detached]() {
    const nim = new V2NIMLocalConversationService(constructing);
    const control = {
      service: nim,
      emit: (name, detail) => nim.#emit(name, detail),
      // fn(conversation) finishes every conversation the service hands out.
      decorate(fn) { nim.#decorate = fn; },
      // Opens options.accountId's list, its events going to route(name,
      // detail); calls made meanwhile wait for it.
      open(options, route) {
        const listeners = {};
        for (const name of Object.keys(ARGS)) listeners[name] = (detail) => route(name, detail);
        const opening = LocalConversationService.open({ ...options, listeners }).then(async (svc) => {
          if (nim.#opening === opening) {
            nim.#svc = svc;
            await nim.#seedTotal();
          }
          return svc;
        });
        nim.#opening = opening;
        opening.catch(() => {
          if (nim.#opening === opening) nim.#opening = null;
        });
        return opening;
      },
      // Calls are refused from now on, until the next open; closing the
      // module's service is the caller's.
      unbind() {
        nim.#svc = null;
        nim.#opening = null;
        nim.#total = 0;
        nim.#totalEvents++;
      },
    };
    return control;
  }

  // The module's service for a call: the open one, the one being opened, or
  // none (190002, as the SDK refuses a call before login).
  #call(method, args) {
    if (this.#svc) return this.#svc[method](...args);
    if (this.#opening) return this.#opening.then(() => this.#call(method, args), () => this.#call(method, args));
    return Promise.reject(new LocalConvError(ErrorCode.CLOSED, `${method}: not logged in: the list opens when the NIM instance logs in`));
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

  // A conversation, a page or a list of them, as the service hands them out.
  #one = (c) => (this.#decorate ? this.#decorate(c) : c);
  #page = (p) => (this.#decorate ? { ...p, conversationList: p.conversationList.map(this.#decorate) } : p);
  #list = (l) => (this.#decorate ? l.map(this.#decorate) : l);

  createConversation(...args) { return this.#call('createConversation', args).then(this.#one, rethrow); }
  updateConversationLocalExtension(...args) { return this.#call('updateConversationLocalExtension', args).catch(rethrow); }
  deleteConversation(...args) { return this.#call('deleteConversation', args).catch(rethrow); }
  /** Resolves to the ids that failed, each with its V2NIMError; [] when all succeeded. */
  deleteConversationListByIds(...args) { return this.#call('deleteConversationListByIds', args).then(failures, rethrow); }
  stickTopConversation(...args) { return this.#call('stickTopConversation', args).catch(rethrow); }
  getConversation(...args) { return this.#call('getConversation', args).then(this.#one, rethrow); }
  getConversationList(...args) { return this.#call('getConversationList', args).then(this.#page, rethrow); }
  getConversationListByIds(...args) { return this.#call('getConversationListByIds', args).then(this.#list, rethrow); }
  getConversationListByOption(...args) { return this.#call('getConversationListByOption', args).then(this.#page, rethrow); }
  getStickTopConversationList(...args) { return this.#call('getStickTopConversationList', args).then(this.#list, rethrow); }
  /** Synchronous, as in the SDK. */
  getTotalUnreadCount() { return this.#total; }
  getUnreadCountByIds(...args) { return this.#call('getUnreadCountByIds', args).catch(rethrow); }
  getUnreadCountByFilter(...args) { return this.#call('getUnreadCountByFilter', args).catch(rethrow); }
  clearTotalUnreadCount(...args) { return this.#call('clearTotalUnreadCount', args).catch(rethrow); }
  /** Resolves to the ids that failed, each with its V2NIMError; [] when all succeeded. */
  clearUnreadCountByIds(...args) { return this.#call('clearUnreadCountByIds', args).then(failures, rethrow); }
  clearUnreadCountByTypes(...args) { return this.#call('clearUnreadCountByTypes', args).catch(rethrow); }
  // Synchronous, as in the SDK. The module checks the filter, and it answers
  // asynchronously, so a filter it refuses is reported as an uncaught
  // V2NIMError rather than thrown here. Later calls are queued behind this
  // one, so their events already count the subscription.
  subscribeUnreadCountByFilter(...args) { this.#call('subscribeUnreadCountByFilter', args).catch((e) => report(toV2NIMError(e))); }
  unsubscribeUnreadCountByFilter(...args) { this.#call('unsubscribeUnreadCountByFilter', args).catch((e) => report(toV2NIMError(e))); }
  markConversationRead(...args) { return this.#call('markConversationRead', args).catch(rethrow); }
  getConversationReadTime(...args) { return this.#call('getConversationReadTime', args).catch(rethrow); }
  /** No id, or "" as in the SDK, for no conversation on screen. Resolves once applied. */
  setCurrentConversation(...args) {
    if (args[0] === '') args[0] = null;
    return this.#call('setCurrentConversation', args).catch(rethrow);
  }

  // What the host feeds in: the module's own methods, with the SDK's error.
  // The SDK's attachment is an object (V2NIMMessageAttachment), and so is
  // every lastMessage.attachment this service hands out: a string is refused.
  applyMessages(...args) {
    const [messages] = args;
    const i = Array.isArray(messages) ? messages.findIndex((m) => typeof m?.attachment === 'string') : -1;
    if (i >= 0) return Promise.reject(toV2NIMError(invalid(`messages[${i}].attachment must be an object (the SDK's V2NIMMessageAttachment), got a string`)));
    return this.#call('applyMessages', args).catch(rethrow);
  }
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
    return this.#call('revokeMessage', args).catch(rethrow);
  }
  deleteMessages(...args) { return this.#call('deleteMessages', args).catch(rethrow); }
  applyClearHistory(...args) { return this.#call('applyClearHistory', args).catch(rethrow); }
  updateConversationInfo(...args) { return this.#call('updateConversationInfo', args).catch(rethrow); }
  applyReadTime(...args) { return this.#call('applyReadTime', args).catch(rethrow); }
  applyReadTimes(...args) { return this.#call('applyReadTimes', args).catch(rethrow); }
  close() { return this.#call('close', []).catch(rethrow); }
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

/**
 * Puts localconv's service at nim.V2NIMLocalConversationService of a
 * nim-web-sdk-ng V2 instance, before login: the list of the account opens
 * when the SDK logs in and is fed from the SDK's own events (nim-attach.js).
 * options are LocalConversationService.open's but accountId (the SDK's login
 * user) and listeners (use on()). Returns {detach()}, which stops it all and
 * puts the SDK's own service back.
 */
export function attachToNIM(nim, options) {
  return attach(nim, options, V2NIMLocalConversationService[detached](), { toV2NIMError, idUtil });
}
