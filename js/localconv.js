// localconv — the NetEase IM V2 LocalConversationService for the browser: a
// local conversation list kept in IndexedDB by a Go/WebAssembly module, driven
// through Promises, announcing every change as a DOM CustomEvent.
import { LocalConvError, ErrorCode, invalid, toLocalConvError } from './errors.js';
import { encodeArgs } from './args.js';
import { loadBridge } from './runtime.js';
import { remoteBridge } from './remote.js';
import { METHODS, FIRST_PAGE } from './methods.js';
import { readFirstPage, servePage } from './firstpage.js';

export { LocalConvError, ErrorCode } from './errors.js';
export { ConversationType, ConversationIdUtil } from './ids.js';

export const LastMessageState = Object.freeze({ DEFAULT: 0, REVOKED: 1, CLIENT_FILL: 2 });
export const MessageSendingState = Object.freeze({ UNKNOWN: 0, SUCCEEDED: 1, FAILED: 2, SENDING: 3 });
export const MessageType = Object.freeze({
  INVALID: -1, TEXT: 0, IMAGE: 1, AUDIO: 2, VIDEO: 3, LOCATION: 4, NOTIFICATION: 5, FILE: 6,
  AVCHAT: 7, TIPS: 10, ROBOT: 11, CALL: 12, CUSTOM: 100,
});

// The seed's listener names and the events they receive.
const LISTENERS = Object.freeze({
  onSyncStarted: 'syncStarted',
  onSyncFinished: 'syncFinished',
  onSyncFailed: 'syncFailed',
  onConversationCreated: 'conversationCreated',
  onConversationDeleted: 'conversationDeleted',
  onConversationChanged: 'conversationChanged',
  onTotalUnreadCountChanged: 'totalUnreadCountChanged',
  onUnreadCountChangedByFilter: 'unreadCountChangedByFilter',
  onConversationReadTimeUpdated: 'conversationReadTimeUpdated',
});


const defaultWasmUrl = new URL('./localconv.wasm', import.meta.url);
const PLACEMENTS = ['page', 'worker', 'sharedWorker'];
const constructing = Symbol('constructing');

export class LocalConversationService extends EventTarget {
  #bridge = null;
  #handle = 0;
  #closed = false;
  // While the module loads after an open served by the first page
  // (firstpage.js): the page, and the module's start, which calls wait for.
  #page = null;
  #starting = null;

  constructor(token) {
    super();
    if (token !== constructing) throw new TypeError('use LocalConversationService.open({accountId})');
  }

  /**
   * Opens the account's conversation list. Resolves once the stored list is
   * loaded (or, with waitForSync: false, once the first page can be served).
   */
  static async open(options) {
    if (options === null || typeof options !== 'object') {
      throw invalid('open(options): options must be an object with an accountId');
    }
    // accountId, dbName, storage and waitForSync are the module's to check
    // (it owns their rules and defaults); the rest are the wrapper's own.
    const { accountId, dbName, storage, wasmUrl, waitForSync, listeners, placement = 'page', workerUrl } = options;
    for (const [name, url] of [['wasmUrl', wasmUrl], ['workerUrl', workerUrl]]) {
      if (url !== undefined && typeof url !== 'string' && !(url instanceof URL)) {
        throw invalid(`options.${name} must be a string or a URL`);
      }
    }
    if (!PLACEMENTS.includes(placement)) {
      throw invalid(`options.placement must be one of ${PLACEMENTS.map((p) => `'${p}'`).join(', ')}, got ${JSON.stringify(placement)}`);
    }
    if (placement === 'sharedWorker' && typeof SharedWorker !== 'function') {
      throw invalid("options.placement 'sharedWorker': this browser has no SharedWorker (use 'worker')");
    }
    const service = new LocalConversationService(constructing);
    if (listeners !== undefined) service.listen(listeners);
    // Relative URLs are the page's, wherever the module runs.
    const wasm = new URL(wasmUrl ?? defaultWasmUrl, globalThis.location?.href);
    const optionsJSON = encodeArgs([{ accountId, dbName, storage, waitForSync }], ['options']);
    // Not waiting for the sync, the first page kept in the database is enough
    // to resolve with. Only a database the module wrote can hold one, for the
    // account it names, so the options need no checking here beyond their JS
    // types. It is read before the module is fetched: compiling the module
    // takes every core there is, and would hold the read up by as long again.
    const early = waitForSync === false && (storage === undefined || storage === FIRST_PAGE.storage) &&
      typeof accountId === 'string' && (dbName === undefined || typeof dbName === 'string') && typeof indexedDB === 'object';
    const page = early ? await readFirstPage(accountId, dbName) : null;
    const starting = service.#start(placement, wasm, workerUrl, optionsJSON);
    if (!page) {
      await starting;
      return service;
    }
    service.#page = page;
    service.#starting = starting.then(
      () => {
        service.#page = null;
        service.#starting = null;
      },
      (e) => {
        // Open resolved already: the failure is the sync's, and every call's.
        service.#page = null;
        service.dispatchEvent(new CustomEvent('syncFailed', { detail: e }));
        throw e;
      });
    service.#starting.catch(() => {});
    return service;
  }

  // #start loads the module in its placement and opens the service in it.
  async #start(placement, wasm, workerUrl, optionsJSON) {
    let bridge;
    if (placement === 'page') {
      try {
        bridge = await loadBridge(wasm);
      } catch (e) {
        throw new LocalConvError(ErrorCode.INTERNAL, `localconv.wasm could not be loaded: ${e.message}`);
      }
    } else {
      // No workerUrl: remote.js names worker.js in the form bundlers follow.
      bridge = remoteBridge(placement, workerUrl === undefined ? undefined : new URL(workerUrl, globalThis.location?.href), wasm);
    }
    try {
      this.#handle = await bridge.open(optionsJSON, (eventsJSON) => this.#dispatch(eventsJSON));
    } catch (e) {
      throw toLocalConvError(e);
    }
    this.#bridge = bridge;
  }

  #dispatch(eventsJSON) {
    for (const { type, detail } of JSON.parse(eventsJSON)) {
      const d = type === 'syncFailed' ? new LocalConvError(detail.code, detail.message) : detail;
      this.dispatchEvent(new CustomEvent(type, { detail: d }));
    }
  }

  #call(method, args) {
    if (this.#closed) return Promise.reject(new LocalConvError(ErrorCode.CLOSED, 'the service is closed'));
    let json;
    try {
      json = encodeArgs(args, METHODS[method].params);
    } catch (e) {
      return Promise.reject(toLocalConvError(e));
    }
    if (this.#page) {
      const served = method === 'getConversationList' ? servePage(this.#page, args) : undefined;
      if (served) return Promise.resolve().then(() => breathe(served));
      // The page stays true only until the first change.
      if (!METHODS[method].query) this.#page = null;
    }
    // The module is entered from a microtask, after this method returned, so
    // a call's events never fire before its caller holds the Promise, whatever
    // the storage. A module that stopped answers no call: the race rejects.
    return Promise.resolve(this.#starting)
      .then(() => {
        const bridge = this.#bridge;
        const answer = bridge.call(this.#handle, method, json);
        return bridge.stopped ? Promise.race([answer, bridge.stopped]) : answer;
      })
      .then(
        (result) => breathe(result === undefined ? undefined : JSON.parse(result)),
        (e) => Promise.resolve(breathe(toLocalConvError(e))).then((err) => {
          throw err;
        }),
      );
  }

  /**
   * Registers seed-style handlers ({onConversationCreated(conversation) {…}, …},
   * or an instance of a class with such methods); each receives its event's
   * detail, called on handlers. Returns a subscription with cancel().
   */
  listen(handlers) {
    if (handlers === null || typeof handlers !== 'object') {
      throw invalid('listen(handlers): handlers must be an object such as {onConversationChanged(list) {…}}');
    }
    // A misspelt handler (an own onXxx function the service does not know) is
    // refused; other properties are the handler object's own business.
    for (const [name, fn] of Object.entries(handlers)) {
      if (!Object.hasOwn(LISTENERS, name) && /^on[A-Z]/.test(name) && typeof fn === 'function') {
        throw invalid(`listen(handlers): unknown handler ${name}; known: ${Object.keys(LISTENERS).join(', ')}`);
      }
    }
    // Handlers are looked up by name, so methods of a class instance count too.
    const added = [];
    for (const [name, type] of Object.entries(LISTENERS)) {
      const fn = handlers[name];
      if (fn === undefined) continue;
      if (typeof fn !== 'function') throw invalid(`listen(handlers): ${name} must be a function`);
      added.push([type, (event) => fn.call(handlers, event.detail)]);
    }
    for (const [type, fn] of added) this.addEventListener(type, fn);
    let cancelled = false;
    return {
      cancel: () => {
        if (cancelled) return;
        cancelled = true;
        for (const [type, fn] of added) this.removeEventListener(type, fn);
      },
    };
  }

  // The methods of docs/api.md §2, one per entry of the module's method table
  // (js/methods.js, generated from it); close is below, as it also ends the
  // service here. Each takes its arguments as given: the module checks them.
  static {
    for (const name of Object.keys(METHODS)) {
      if (name === 'close') continue;
      Object.defineProperty(this.prototype, name, {
        value: { [name](...args) { return this.#call(name, args); } }[name],
        writable: true, configurable: true, enumerable: false,
      });
    }
  }

  /** Flushes, closes the database and stops the service; later calls reject with 190002. */
  close() {
    const done = this.#call('close', []);
    this.#closed = true;
    return done;
  }
}

// A loop of awaited calls that the module answers at once (queries; every
// call in memory storage) would otherwise run on microtasks only and starve
// the page: no timer, no input, no other tab's versionchange. So once calls
// have been answered for BREATHE_MS without the event loop turning, the next
// answer waits for a task, letting whatever else is due run first. Events
// are dispatched before that, so they still come before the Promise settles.
// (A message task, not setTimeout: nested timeouts are clamped to 4 ms.)
const BREATHE_MS = 10;
let turned = true; // the event loop ran a task since the window began
let windowStart = 0;
const waiting = []; // resolvers of answers held for the next task
let tick = null; // made on first use: importing the module starts nothing
function breathe(value) {
  const now = performance.now();
  if (turned) {
    turned = false;
    windowStart = now;
    if (!tick) {
      tick = new MessageChannel();
      tick.port1.onmessage = () => {
        turned = true;
        for (const resolve of waiting.splice(0)) resolve();
      };
    }
    tick.port2.postMessage(null); // sets turned again when a task runs
    return value;
  }
  if (now - windowStart < BREATHE_MS) return value;
  return new Promise((resolve) => waiting.push(() => resolve(value)));
}

