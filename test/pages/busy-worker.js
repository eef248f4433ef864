// js/worker.js with one more message, for test/tabs-release.test.mjs:
// {op: 'busy', ms} keeps the worker's thread busy for ms, as a long stretch
// of work in the module would; it answers nothing meanwhile.
import '/js/worker.js';

globalThis.addEventListener('connect', (e) => {
  e.ports[0].addEventListener('message', ({ data }) => {
    if (data.op !== 'busy') return;
    for (const end = Date.now() + data.ms; Date.now() < end;);
  });
});
