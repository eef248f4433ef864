// prepack: npm pack and npm publish stop here when a file the package lists
// in "files" is missing. localconv.wasm and wasm_exec.js are built (make
// build), not committed, so a fresh clone would otherwise ship without them.
// --files a,b checks those instead (for the tests).
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const dir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const i = process.argv.indexOf('--files');
const files = i > 0 ? process.argv[i + 1].split(',') : JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')).files;
const missing = files.filter((f) => !/[*?[]/.test(f) && !existsSync(path.join(dir, f)));
if (missing.length) {
  console.error(`localconv: not packing, ${missing.length} file(s) listed in package.json "files" are missing: ${missing.join(', ')}`);
  if (missing.some((f) => f.endsWith('.wasm') || f === 'wasm_exec.js')) {
    console.error('localconv.wasm and wasm_exec.js are built, not committed: run `make build` in the repository, then pack again.');
  } else {
    console.error('Add them, or take them out of "files" (and "exports").');
  }
  process.exit(1);
}
