#!/usr/bin/env node
// Runs the JS tests in each engine of LOCALCONV_BROWSERS (default
// chromium,firefox,webkit), one engine after the other (`make test-js`):
//
//   chromium  every test file, then four several-tabs files again with the
//             module in a SharedWorker (LOCALCONV_PLACEMENT=sharedWorker);
//   firefox,  every file but those harness.mjs lists as Chromium-only and
//   webkit    those that start no browser (they would only run again).
//
// node test/drivers/run.mjs [file.test.mjs ...] restricts the run to those
// files. Prints each engine's time; exits non-zero if any run failed.
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { CHROMIUM_ONLY, KNOWN_GAPS, ENGINES, root } from '../harness.mjs';

// Files that start no browser: the same in every engine, run with Chromium's.
const NO_BROWSER = ['types.test.mjs', 'nim-types.test.mjs'];
// The several-tabs files Chromium runs again with the module in a SharedWorker.
// tabs-crash: a tab crashed or closed mid-call, its calls running on in the worker.
const SHARED_WORKER_RERUN = ['tabs-concurrent.test.mjs', 'tabs-crash.test.mjs', 'tabs-events.test.mjs', 'tabs-stress.test.mjs'];
// Files a make target of their own runs (make test-bundlers), not test-js.
const OWN_TARGET = ['bundlers.test.mjs'];

const engines = (process.env.LOCALCONV_BROWSERS || ENGINES.join(',')).split(',').map((s) => s.trim()).filter(Boolean);
for (const e of engines) if (!ENGINES.includes(e)) throw new Error(`LOCALCONV_BROWSERS: unknown engine ${e} (${ENGINES.join(', ')})`);

const only = process.argv.slice(2).map((f) => path.basename(f));
const all = readdirSync(path.join(root, 'test')).filter((f) => f.endsWith('.test.mjs') && !OWN_TARGET.includes(f)).sort()
  .filter((f) => !only.length || only.includes(f));

function filesFor(engine) {
  if (engine === 'chromium') return all;
  return all.filter((f) => !(f in CHROMIUM_ONLY) && !NO_BROWSER.includes(f) && !KNOWN_GAPS[f]?.[engine]);
}

function run(engine, files, extraEnv = {}) {
  if (!files.length) return Promise.resolve(0);
  const label = `${engine}${extraEnv.LOCALCONV_PLACEMENT ? ` (placement ${extraEnv.LOCALCONV_PLACEMENT})` : ''}`;
  console.log(`\n=== ${label}: ${files.join(' ')}`);
  // A test that hangs (a browser or a driver that stops answering) fails
  // within ten minutes and says which, rather than holding the run.
  const args = ['--test', '--test-concurrency=1', '--test-timeout=600000', ...files.map((f) => path.join('test', f))];
  const child = spawn(process.execPath, args, {
    cwd: root, stdio: 'inherit', env: { ...process.env, LOCALCONV_BROWSER: engine, ...extraEnv },
  });
  return new Promise((resolve) => child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0))));
}

const timings = [];
let failed = 0;
for (const engine of engines) {
  const files = filesFor(engine);
  const start = Date.now();
  const a = await run(engine, files);
  // The several-tabs files about events, concurrent calls and crashed tabs again, with the
  // module in a SharedWorker: in Chromium only, to keep CI within its time
  // (the placements tests run the SharedWorker in every engine).
  const b = engine !== 'chromium' ? 0
    : await run(engine, files.filter((f) => SHARED_WORKER_RERUN.includes(f)), { LOCALCONV_PLACEMENT: 'sharedWorker' });
  const s = ((Date.now() - start) / 1000).toFixed(0);
  timings.push(`${engine}: ${a || b ? 'FAILED' : 'passed'} in ${s} s (${files.length} files)`);
  if (a || b) failed++;
}
console.log('\n' + timings.join('\n'));
process.exit(failed ? 1 : 0);
