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
    conn = connect(placement, workerUrl);
    workers.set(key, conn);
  }
  return {
    open: (optionsJSON, onEvents) => conn.request({ op: 'open', wasmUrl: String(wasmUrl), optionsJSON }, onEvents),
    call: (handle, method, argsJSON) => conn.request({ op: 'call', handle, method, argsJSON }),
  };
}

function connect(placement, workerUrl) {
  let port;
  if (placement === 'sharedWorker') {
    const worker = new SharedWorker(workerUrl, { type: 'module', name: 'localconv' });
    port = worker.port;
    worker.addEventListener('error', () => failAll('the shared worker failed to start'));
  } else {
    const worker = new Worker(workerUrl, { type: 'module', name: 'localconv' });
    port = worker;
    worker.addEventListener('error', (e) => failAll(`the worker failed: ${e.message || 'it could not start'}`));
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
