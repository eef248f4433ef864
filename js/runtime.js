// The in-page runtime: loads localconv.wasm once per URL and returns the
// module's bridge, {open(optionsJSON, onEvents), call(handle, method, argsJSON)}.
// Everything it passes is strings, so the same seam can later carry calls to a
// Worker with postMessage.
import './wasm_exec.js';

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
    return bridge;
  } finally {
    delete globalThis.__localconvReady;
  }
}

async function compile(url, imports) {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`fetching ${url}: HTTP ${response.status}`);
  if (WebAssembly.instantiateStreaming && response.headers.get('content-type') === 'application/wasm') {
    return WebAssembly.instantiateStreaming(response, imports);
  }
  // Servers that send another content type still work, a little slower.
  return WebAssembly.instantiate(await response.arrayBuffer(), imports);
}
