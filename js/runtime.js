// The in-page runtime: loads localconv.wasm once per URL and returns the
// module's bridge, {open(optionsJSON, onEvents), call(handle, method, argsJSON)}.
// Everything it passes is strings, so the same seam carries calls to a Worker
// or a SharedWorker over postMessage (remote.js, worker.js).
import './wasm_exec.js';
import { onBackForwardCache } from './bfcache.js';

const bridges = new Map(); // wasm URL → Promise<bridge>
// How many modules this context has started (read by worker.js's 'stats' op).
export let instances = 0;
let loading = Promise.resolve(); // instantiations take turns: they share __localconvReady

export function loadBridge(wasmUrl) {
  const url = String(wasmUrl);
  let bridge = bridges.get(url);
  if (!bridge) {
    bridge = loading.then(() => instantiate(url));
    loading = bridge.catch(() => {});
    bridges.set(url, bridge);
    bridge.catch(() => bridges.delete(url)); // a failed load may be retried
  }
  return bridge;
}

async function instantiate(url) {
  const go = new globalThis.Go();
  const ready = new Promise((resolve) => {
    globalThis.__localconvReady = resolve;
  });
  try {
    const { instance } = await compile(url, go.importObject);
    const exited = go.run(instance).then(() => {
      throw new Error('localconv.wasm exited');
    });
    const bridge = await Promise.race([ready, exited]);
    instances++;
    // A module that stops later (a fatal error in Go) answers no call again:
    // the wrapper races each call with this, so none stays pending.
    exited.catch(() => {});
    bridge.stopped = exited;
    // In a page: no transaction of the module stays open in the
    // back/forward cache (bfcache.js). The calls they belonged to reject
    // once the page is shown again; the module itself carries on.
    onBackForwardCache(() => {
      try {
        bridge.abortTransactions();
      } catch {} // a module that stopped has nothing open
    });
    return bridge;
  } finally {
    delete globalThis.__localconvReady;
  }
}

// Said with every failure to fetch or compile the module: how to point the
// wrapper at it.
const WASM_HELP = 'Serve localconv.wasm from the package (node_modules/localconv/localconv.wasm) and pass its URL as the wasmUrl option, or let your bundler emit it (Vite and webpack 5 do; with esbuild copy it next to the bundle). See "Install with npm" in the README.';

// Node (server-side rendering, a test runner without a browser) has fetch but
// neither IndexedDB nor a page: say so rather than "fetch failed".
const inBrowser = () => typeof document === 'object' || typeof WorkerGlobalScope === 'function';

async function compile(url, imports) {
  if (!inBrowser()) {
    throw new Error('localconv needs a browser (IndexedDB, fetch of its .wasm), and this is not one (Node, server-side rendering?): open the service only in the browser');
  }
  let response;
  try {
    response = await fetch(url);
  } catch (e) {
    throw new Error(`fetching ${url}: ${e && e.message}. ${WASM_HELP}`);
  }
  if (!response.ok) throw new Error(`fetching ${url}: HTTP ${response.status}. ${WASM_HELP}`);
  const type = response.headers.get('content-type') || '';
  try {
    if (WebAssembly.instantiateStreaming && type === 'application/wasm') {
      return await WebAssembly.instantiateStreaming(response, imports);
    }
    // Servers that send another content type still work, a little slower.
    return await WebAssembly.instantiate(await response.arrayBuffer(), imports);
  } catch (e) {
    // An app server's fallback page (index.html for any path) is the usual cause.
    throw new Error(`${url} is not a WebAssembly module (${type || 'no content type'}): ${e && e.message}. ${WASM_HELP}`);
  }
}
