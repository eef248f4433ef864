// The worker side of the 'worker' and 'sharedWorker' placements: it runs the
// module (runtime.js) and answers the page's messages, so that the page's
// main thread does none of the work. Start it as a module worker:
//   new Worker(new URL('./worker.js', import.meta.url), {type: 'module'})
//   new SharedWorker(new URL('./worker.js', import.meta.url), {type: 'module'})
// The protocol (remote.js is the other end) carries the bridge's own strings:
//   page → worker  {id, op: 'open', wasmUrl, optionsJSON} | {id, op: 'call', handle, method, argsJSON}
//   worker → page  {id, value} | {id, error: {code, message}} | {stream, events}
// where stream is the id of the open request whose service emitted the events.
//   worker → page  {alive: lockName}   the Web Lock it holds while it lives
//   page → worker  {op: 'tab', lock}   the Web Lock the page holds while it lives
// One more request is for debugging and the tests, not for apps:
//   page → worker  {id, op: 'stats'}  →  {id, value: {instances, ports, services, hubs, sessions}}
// how many wasm modules this worker started (one, however many tabs share a
// SharedWorker), how many pages' ports it serves, how many services are open
// through them, how many caches (hubs) serve them — one per account and
// database — and how many sessions those hubs have (the module's own count:
// a service the worker lost track of shows here).
import { loadBridge, instances } from './runtime.js';

const served = new Map(); // port → the handles of the services opened through it
let loaded = null; // the module's bridge once a port loaded it, for stats

function serve(port) {
  const handles = new Set(); // services opened through this port
  served.set(port, handles);
  let bridge = null; // one module per worker: the first open's wasmUrl loads it
  let released = false; // the page went away: see release()

  async function load(wasmUrl) {
    bridge ??= loadBridge(wasmUrl);
    try {
      return (loaded = await bridge);
    } catch (e) {
      bridge = null; // a failed load may be retried, as in the page
      throw { code: 190001, message: `localconv.wasm could not be loaded: ${e && e.message}` };
    }
  }

  async function handle({ id, op, wasmUrl, optionsJSON, handle, method, argsJSON }) {
    try {
      if (op === 'open') {
        const h = await (await load(wasmUrl)).open(optionsJSON, (events) => port.postMessage({ stream: id, events }));
        if (released) { // the page went away while the open waited (behind a call holding the hub)
          close(h);
          throw { code: 190002, message: 'the page went away while the service opened' };
        }
        handles.add(h);
        port.postMessage({ id, value: h });
      } else if (op === 'call') {
        if (method === 'close') handles.delete(handle);
        const value = await (await bridge).call(handle, method, argsJSON);
        port.postMessage({ id, value });
      } else if (op === 'stats') {
        let services = 0;
        for (const hs of served.values()) services += hs.size;
        const { hubs = 0, sessions = 0 } = loaded ? loaded.stats() : {};
        port.postMessage({ id, value: { instances, ports: served.size, services, hubs, sessions } });
      } else {
        throw { code: 191004, message: `unknown operation ${op}` };
      }
    } catch (e) {
      const error = e && typeof e.code === 'number'
        ? { code: e.code, message: String(e.message) }
        : { code: 190001, message: `internal error: ${e && e.message ? e.message : e}` };
      port.postMessage({ id, error });
    }
  }

  // A page that goes away leaves no service behind: its port's close event
  // (where the browser has it), or the Web Lock the page holds while it lives
  // ({op: 'tab', lock}, from remote.js) being granted here. A call of the page
  // that is queued or running goes on: close waits for it in the module (it
  // is applied whole, and every tab hears of it) or refuses it if it had not
  // started (applied not at all: nobody hears of it). An open still under way
  // is closed as soon as it is done.
  function release() {
    if (released) return;
    released = true;
    served.delete(port);
    for (const h of handles) close(h);
    handles.clear();
  }
  function close(h) {
    bridge.then((b) => b.call(h, 'close', '[]')).catch(() => {});
  }
  port.addEventListener('message', ({ data }) => {
    if (data.op === 'tab') globalThis.navigator?.locks?.request(data.lock, release).catch(() => {});
    else handle(data);
  });
  port.addEventListener('close', release);
  port.start?.();
}

// The worker holds a Web Lock for as long as it lives and tells each page its
// name once it holds it: a page that asks for the same lock gets it only when
// this worker is gone, and so learns that it stopped (remote.js).
const aliveLock = `localconv-worker-${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;
const alive = new Promise((granted) => {
  const locks = globalThis.navigator?.locks;
  if (!locks) return; // no Web Locks: pages cannot learn that the worker stopped
  locks.request(aliveLock, () => {
    granted();
    return new Promise(() => {});
  }).catch(() => {});
});
const tellAlive = (port) => alive.then(() => port.postMessage({ alive: aliveLock }));

if (typeof globalThis.SharedWorkerGlobalScope === 'function' && globalThis instanceof globalThis.SharedWorkerGlobalScope) {
  globalThis.addEventListener('connect', (e) => {
    serve(e.ports[0]);
    tellAlive(e.ports[0]);
  });
} else {
  serve(globalThis);
  tellAlive(globalThis);
}
