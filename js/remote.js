// The page side of the 'worker' and 'sharedWorker' placements: a bridge with
// the in-page bridge's shape, {open(optionsJSON, onEvents), call(handle,
// method, argsJSON)}, whose work happens in worker.js. Results, errors and
// events cross as the same strings; a call's events are posted before its
// answer, so they still arrive before its Promise resolves.
//
// A worker can stop after it started: a SharedWorker lives in some tab's
// process and dies with it when that tab crashes. worker.js holds a Web Lock
// for as long as it lives and tells each page its name; the page asks for the
// same lock, which it gets only once the worker is gone. Then every call in
// flight rejects with 190001 saying so, each service hears syncFailed, and the
// page starts a new worker and opens its services there again — with the
// filters they subscribed and the conversation they had on screen — so that
// later calls work (they wait for the new worker). No call stays pending.
//
// A page's own worker is also stopped when the page goes into the
// back/forward cache (bfcache.js): terminated, it holds no transaction open
// there. When the page is shown again, the worker is treated as stopped in
// the same way: the calls it had reject, the services reopen on a new one.
// A SharedWorker runs on while the page is cached, its calls with it, but may
// close the page's services meanwhile (WebKit does: the page's port or lock
// goes); so the page reopens them on it when it is shown again, as above.
import { onBackForwardCache } from './bfcache.js';

const connections = new Map(); // placement + worker URL → connection

// workerUrl is the app's own URL for worker.js (a URL), or undefined for the
// worker next to this file.
export function remoteBridge(placement, workerUrl, wasmUrl) {
  const key = `${placement} ${workerUrl}`;
  let conn = connections.get(key);
  if (!conn || conn.failed) {
    conn = new Connection(placement, workerUrl);
    connections.set(key, conn);
  }
  // Each open() names its own module (a failed wasmUrl must not stick to
  // the worker's later opens); a worker loads the first that works.
  return { open: (optionsJSON, onEvents) => conn.open(String(wasmUrl), optionsJSON, onEvents), call: (handle, method, argsJSON) => conn.call(handle, method, argsJSON) };
}

// remoteStats is the wrapper's bookkeeping, for tests: calls waiting for an
// answer, event streams, open services, over every connection of the context.
export function remoteStats() {
  const out = { connections: connections.size, pending: 0, streams: 0, services: 0 };
  for (const c of connections.values()) {
    out.pending += c.pending.size;
    out.streams += c.streams?.size ?? 0;
    out.services += c.services.size;
  }
  return out;
}

const INTERNAL = 190001;
const NO_BROWSER = "localconv needs a browser (Web Workers, IndexedDB); this is not one (Node, SSR?): open the service in the browser only";
const WORKER_HELP = 'A bundler must emit worker.js with its imports (Vite and webpack 5 do; for esbuild or Rollup, bundle localconv/worker.js as an entry of its own), or pass its URL as the workerUrl option; a server must send it as JavaScript. See "Install with npm" in the README.';

// Without workerUrl the worker is localconv's own worker.js, written as
// new Worker(new URL('./worker.js', import.meta.url), …) at the call site: the
// only form bundlers (Vite, webpack 5, Parcel) recognise, and then bundle the
// worker with its imports. A URL held in a variable is opaque to them.
function createWorker(url) {
  if (url) return new Worker(url, { type: 'module', name: 'localconv' });
  return new Worker(new URL('./worker.js', import.meta.url), { type: 'module', name: 'localconv' });
}

function createSharedWorker(url) {
  if (url) return new SharedWorker(url, { type: 'module', name: 'localconv' });
  return new SharedWorker(new URL('./worker.js', import.meta.url), { type: 'module', name: 'localconv' });
}
// Calls that make up a service's state in the worker, replayed after a restart.
const SESSION_CALLS = new Set(['subscribeUnreadCountByFilter', 'unsubscribeUnreadCountByFilter', 'setCurrentConversation']);

class Connection {
  constructor(placement, workerUrl) {
    Object.assign(this, { placement, workerUrl });
    this.pending = new Map(); // request id → {resolve, reject}
    this.services = new Map(); // the page's handle → {wasmUrl, optionsJSON, onEvents, remote, session, ready}
    this.nextId = 1;
    this.nextHandle = 1;
    this.failed = false; // it could not start: later calls reject at once
    this.generation = 0; // counts the workers started and given up: an older one's messages are dropped
    this.hidden = false; // its worker was terminated as the page went into the back/forward cache
    this.start();
    onBackForwardCache(() => this.hide(), () => this.show());
  }

  // hide terminates the page's own worker as the page goes into the
  // back/forward cache: its transactions abort, where WebKit would have kept
  // them open while the page is cached. Its messages still on their way are
  // dropped (a new generation), as is its lock's release; the calls waiting
  // for it, and any made until the page is shown, wait for show.
  hide() {
    if (this.failed || this.hidden) return;
    this.hidden = true;
    if (this.placement !== 'worker') return; // a SharedWorker runs on
    this.generation++;
    try {
      this.port.terminate();
    } catch {} // gone already
  }

  // show reopens the services once the page is back from the cache: on a
  // new worker, or on the SharedWorker through a new port (start lets go of
  // the page's lock on the last one: the services left there close).
  show() {
    if (!this.hidden) return;
    this.hidden = false;
    this.lost(this.placement === 'worker'
      ? 'the page went into the back/forward cache, which stopped its worker'
      : 'the page was in the back/forward cache, where the shared worker may have closed its services', false);
  }

  start() {
    const generation = ++this.generation;
    const fail = (message) => {
      if (generation === this.generation) this.lost(message, true);
    };
    let port;
    const where = this.workerUrl ? String(this.workerUrl) : 'the worker.js your bundler emitted';
    try {
      if (typeof Worker !== 'function') throw new Error(NO_BROWSER);
      if (this.placement === 'sharedWorker') {
        const worker = createSharedWorker(this.workerUrl);
        port = worker.port;
        worker.addEventListener('error', () => fail(`the shared worker failed to start (${where}). ${WORKER_HELP}`));
        this.leave?.(); // the last worker closes what this page had there, if it lives (holdTabLock)
        this.leave = holdTabLock(port);
      } else {
        const worker = createWorker(this.workerUrl);
        port = worker;
        worker.addEventListener('error', (e) => fail(`the worker failed: ${e.message || 'it could not start'} (${where}). ${WORKER_HELP}`));
      }
    } catch (e) {
      const message = e && e.message === NO_BROWSER ? NO_BROWSER : `the worker could not be created: ${e && e.message} (${where}). ${WORKER_HELP}`;
      this.failed = message; // there is no port: requests reject at once
      queueMicrotask(() => fail(message));
      return;
    }
    this.port = port;
    port.addEventListener('message', ({ data }) => {
      if (generation !== this.generation) return;
      if (data.alive !== undefined) this.watch(data.alive, generation);
      else if (data.stream !== undefined) this.streams?.get(data.stream)?.(data.events);
      else this.settle(data);
    });
    port.start?.();
    this.streams = new Map(); // the worker's stream id → onEvents, for this worker
  }

  // watch asks for the lock the worker holds while it lives: granted, it
  // means the worker is gone.
  // A grant is checked with a ping before the worker is given up: an engine
  // may release a worker's lock while it lives (seen once in Firefox), and a
  // live worker must not lose its services.
  watch(lockName, generation) {
    globalThis.navigator?.locks?.request(lockName, async () => {
      if (generation !== this.generation || (await this.answers(generation))) return;
      if (generation === this.generation) this.lost('the worker stopped (its process ended: a tab that hosted it may have crashed)', false);
    }).catch(() => {});
  }

  // answers reports whether the worker answers a stats request within 2 s.
  answers(generation) {
    const id = this.nextId++;
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        resolve(false);
      }, 2000);
      const done = (alive) => {
        clearTimeout(timer);
        resolve(alive && generation === this.generation);
      };
      this.pending.set(id, { resolve: () => done(true), reject: () => done(false) });
      try {
        this.port.postMessage({ id, op: 'stats' });
      } catch {
        done(false);
      }
    });
  }

  settle(data) {
    const p = this.pending.get(data.id);
    if (!p) return;
    this.pending.delete(data.id);
    if (data.error) p.reject(data.error);
    else p.resolve(data.value);
  }

  // request posts a message and returns its answer. With onEvents (an open)
  // the events of the service it opens go there; s.stream keeps the id, so
  // that closing the service ends the stream.
  request(message, onEvents, s) {
    if (this.failed) return Promise.reject({ code: INTERNAL, message: this.failed });
    const id = this.nextId++;
    if (onEvents) {
      this.streams.set(id, onEvents);
      s.stream = id;
    }
    return new Promise((resolve, reject) => {
      this.pending.set(id, {
        resolve,
        reject: (e) => {
          this.streams.delete(id);
          reject(e);
        },
      });
      this.port.postMessage({ id, ...message });
    });
  }

  async open(wasmUrl, optionsJSON, onEvents) {
    const service = { wasmUrl, optionsJSON, onEvents, session: new Map(), remote: 0, stream: 0, ready: null };
    service.ready = this.request({ op: 'open', wasmUrl, optionsJSON }, onEvents, service).then((h) => {
      service.remote = h;
    });
    await service.ready;
    const handle = this.nextHandle++;
    this.services.set(handle, service);
    return handle;
  }

  async call(handle, method, argsJSON) {
    const service = this.services.get(handle);
    if (!service) throw { code: 190002, message: 'the service is closed' };
    await service.ready; // a restarted worker: wait until the service is open there again
    if (method === 'close') {
      this.services.delete(handle);
      try {
        return await this.request({ op: 'call', handle: service.remote, method, argsJSON });
      } finally {
        this.streams.delete(service.stream);
      }
    }
    const value = await this.request({ op: 'call', handle: service.remote, method, argsJSON });
    if (SESSION_CALLS.has(method)) {
      // Newest last, one entry per spelling: replaying them in order gives the same state.
      const key = method === 'setCurrentConversation' ? method : argsJSON;
      service.session.delete(key);
      service.session.set(key, [method, argsJSON]);
    }
    return value;
  }

  // lost handles a worker that failed to start (fatal: later calls reject) or
  // stopped after it started (the services move to a new worker; start lets
  // go of the tab's lock on the last one, in case it lives on).
  lost(message, fatal) {
    const pending = [...this.pending.values()];
    this.pending.clear();
    for (const p of pending) p.reject({ code: INTERNAL, message: `${message}; the call may or may not have been stored` });
    if (fatal) {
      this.failed = message;
      for (const [handle, s] of this.services) {
        this.services.delete(handle);
        s.onEvents(JSON.stringify([{ type: 'syncFailed', detail: { code: INTERNAL, message } }]));
      }
      return;
    }
    this.start();
    for (const s of this.services.values()) {
      s.onEvents(JSON.stringify([{ type: 'syncFailed', detail: { code: INTERNAL, message: `${message}; starting a new one and opening the service there` } }]));
      s.ready = this.reopen(s);
      s.ready.catch(() => {}); // a failed reopen is told as syncFailed and to each later call
    }
  }

  async reopen(s) {
    try {
      s.remote = await this.request({ op: 'open', wasmUrl: s.wasmUrl, optionsJSON: s.optionsJSON }, s.onEvents, s);
      for (const [method, argsJSON] of s.session.values()) {
        await this.request({ op: 'call', handle: s.remote, method, argsJSON }).catch(() => {});
      }
    } catch (e) {
      s.onEvents(JSON.stringify([{ type: 'syncFailed', detail: { code: INTERNAL, message: `the new worker did not open the service: ${e && e.message}` } }]));
      throw e;
    }
  }
}

// Chrome does not tell a SharedWorker that a page went away (the MessagePort
// close event is still behind a flag), so the page holds a Web Lock for as
// long as it lives and worker.js, asking for the same lock, gets it once the
// page is closed, reloaded or crashed, and closes the page's services.
// It returns a function that lets the lock go while the page lives: a worker
// given up for stopped that in fact lives on (it did not answer in time)
// closes the services the page moved away from, rather than keep them —
// with their filters and the conversation on screen — for as long as the
// page lives.
function holdTabLock(port) {
  const lock = `localconv-tab-${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;
  let leave;
  const left = new Promise((resolve) => { leave = resolve; });
  globalThis.navigator?.locks?.request(lock, () => {
    port.postMessage({ op: 'tab', lock });
    return left;
  }).catch(() => {});
  return leave;
}
