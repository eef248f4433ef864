// The worker side of the 'worker' and 'sharedWorker' placements: it runs the
// module (runtime.js) and answers the page's messages, so that the page's
// main thread does none of the work. Start it as a module worker:
//   new Worker(new URL('./worker.js', import.meta.url), {type: 'module'})
//   new SharedWorker(new URL('./worker.js', import.meta.url), {type: 'module'})
// The protocol (remote.js is the other end) carries the bridge's own strings:
//   page → worker  {id, op: 'open', wasmUrl, optionsJSON} | {id, op: 'call', handle, method, argsJSON}
//   worker → page  {id, value} | {id, error: {code, message}} | {stream, events}
// where stream is the id of the open request whose service emitted the events.
import { loadBridge } from './runtime.js';

function serve(port) {
  const handles = new Set(); // services opened through this port
  let bridge = null; // one module per worker: the first open's wasmUrl loads it

  async function handle({ id, op, wasmUrl, optionsJSON, handle, method, argsJSON }) {
    try {
      if (op === 'open') {
        bridge ??= loadBridge(wasmUrl);
        const h = await (await bridge).open(optionsJSON, (events) => port.postMessage({ stream: id, events }));
        handles.add(h);
        port.postMessage({ id, value: h });
      } else if (op === 'call') {
        if (method === 'close') handles.delete(handle);
        const value = await (await bridge).call(handle, method, argsJSON);
        port.postMessage({ id, value });
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

  port.addEventListener('message', (e) => handle(e.data));
  // A page that goes away (Chrome 123+ tells its port) leaves no service behind.
  port.addEventListener('close', async () => {
    for (const h of handles) (await bridge).call(h, 'close', '[]').catch(() => {});
    handles.clear();
  });
  port.start?.();
}

if (typeof globalThis.SharedWorkerGlobalScope === 'function' && globalThis instanceof globalThis.SharedWorkerGlobalScope) {
  globalThis.addEventListener('connect', (e) => serve(e.ports[0]));
} else {
  serve(globalThis);
}
