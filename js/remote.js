// The page side of the 'worker' and 'sharedWorker' placements: a bridge with
// the in-page bridge's shape, {open(optionsJSON, onEvents), call(handle,
// method, argsJSON)}, whose work happens in worker.js. Results, errors and
// events cross as the same strings; a call's events are posted before its
// answer, so they still arrive before its Promise resolves.
const workers = new Map(); // placement + worker URL → connection

export function remoteBridge(placement, workerUrl, wasmUrl) {
  const key = `${placement} ${workerUrl}`;
  let conn = workers.get(key);
  if (!conn) {
    // A worker that failed is forgotten, so that a later open() starts a new one.
    conn = connect(placement, workerUrl, () => workers.get(key) === conn && workers.delete(key));
    workers.set(key, conn);
  }
  return {
    open: (optionsJSON, onEvents) => conn.request({ op: 'open', wasmUrl: String(wasmUrl), optionsJSON }, onEvents),
    call: (handle, method, argsJSON) => conn.request({ op: 'call', handle, method, argsJSON }),
  };
}

function connect(placement, workerUrl, forget) {
  let port;
  if (placement === 'sharedWorker') {
    const worker = new SharedWorker(workerUrl, { type: 'module', name: 'localconv' });
    port = worker.port;
    worker.addEventListener('error', () => {
      forget();
      failAll('the shared worker failed to start');
    });
    // Chrome does not tell a SharedWorker that a page went away (the
    // MessagePort close event is still behind a flag), so the page holds a
    // Web Lock for as long as it lives and worker.js, asking for the same
    // lock, gets it once the page is closed, reloaded or crashed, and closes
    // the page's services.
    const lock = `localconv-tab-${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;
    globalThis.navigator?.locks?.request(lock, () => {
      port.postMessage({ op: 'tab', lock });
      return new Promise(() => {});
    }).catch(() => {});
  } else {
    const worker = new Worker(workerUrl, { type: 'module', name: 'localconv' });
    port = worker;
    worker.addEventListener('error', (e) => {
      forget();
      failAll(`the worker failed: ${e.message || 'it could not start'}`);
    });
  }
  let nextId = 1;
  const pending = new Map(); // id → {resolve, reject}
  const streams = new Map(); // open request id → onEvents

  function failAll(message) {
    for (const { reject } of pending.values()) reject({ code: 190001, message });
    pending.clear();
  }

  port.addEventListener('message', ({ data }) => {
    if (data.stream !== undefined) {
      streams.get(data.stream)?.(data.events);
      return;
    }
    const p = pending.get(data.id);
    if (!p) return;
    pending.delete(data.id);
    if (data.error) p.reject(data.error);
    else p.resolve(data.value);
  });
  port.start?.();

  return {
    request(message, onEvents) {
      const id = nextId++;
      if (onEvents) streams.set(id, onEvents);
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve, reject });
        port.postMessage({ id, ...message });
      });
    },
  };
}
