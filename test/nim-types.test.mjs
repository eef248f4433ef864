// js/nim.d.ts beside the real NIM Web SDK's declarations: app code typed with
// nim-web-sdk-ng's own types uses localconv/nim (test/types/nim-sdk.ts), for
// the SDK 10.8.1 and 10.9.77-alpha.4 (installed as nim-web-sdk-ng-next and
// mapped onto 'nim-web-sdk-ng'), and NetEase's UIKit store takes its
// conversations (test/types/nim-uikit.ts). Each compile is `tsc --strict`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { root } from './harness.mjs';

const run = promisify(execFile);
const tsc = path.join(root, 'node_modules', 'typescript', 'bin', 'tsc');
const types = path.join(root, 'test', 'types');
const SDKS = [
  { version: '10.8.1', dir: 'nim-web-sdk-ng' },
  { version: '10.9.77-alpha.4', dir: 'nim-web-sdk-ng-next' },
];
// The SDK's declarations import modules it does not install: 'eventemitter3'
// (test/types/eventemitter3.d.ts declares what they use of it) and, in 10.9,
// 'neroom-web-sdk' (for QChat, which nothing here touches).
const ABSENT = ['neroom-web-sdk'];

// Compiles files with 'nim-web-sdk-ng' resolved to node_modules/<sdk.dir>.
// Returns the errors (one line each) and the files tsc read.
async function compile(files, sdk, { skipLibCheck = false } = {}) {
  const pkg = path.join(root, 'node_modules', sdk.dir);
  const dir = mkdtempSync(path.join(tmpdir(), 'localconv-nim-types-'));
  try {
    const config = path.join(dir, 'tsconfig.json');
    writeFileSync(config, JSON.stringify({
      compilerOptions: {
        noEmit: true, strict: true, skipLibCheck, target: 'es2022', module: 'esnext', moduleResolution: 'bundler',
        lib: ['es2022', 'dom'], types: [], pretty: false,
        paths: { 'nim-web-sdk-ng': [pkg], 'nim-web-sdk-ng/*': [`${pkg}/*`] },
      },
      files: [...files, path.join(types, 'eventemitter3.d.ts')],
    }));
    let out;
    try {
      ({ stdout: out } = await run(process.execPath, [tsc, '-p', config, '--listFiles'], { cwd: root }));
    } catch (e) {
      out = String(e.stdout) + String(e.stderr);
    }
    const lines = out.split('\n');
    return { out, errors: lines.filter((l) => /error TS\d+/.test(l)), read: lines.filter((l) => path.isAbsolute(l.trim())) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// An error in the SDK's own files is allowed only where it imports a module it
// does not install; anything else is ours or the test's.
function checkErrors(r) {
  const inSdk = (l) => l.includes(`node_modules${path.sep}`) || l.includes('node_modules/');
  assert.deepEqual(r.errors.filter((l) => !inSdk(l)), [], r.out);
  for (const l of r.errors.filter(inSdk)) {
    const m = l.match(/error TS2307: Cannot find module '([^']+)'/);
    assert.ok(m && ABSENT.includes(m[1]), `an error in the SDK's declarations: ${l}`);
  }
}

function assertReadFrom(r, sdk) {
  const from = (d) => r.read.filter((f) => f.includes(`${path.sep}node_modules${path.sep}${d}${path.sep}`));
  assert.ok(from(sdk.dir).length > 10, `the SDK's declarations come from node_modules/${sdk.dir}\n${r.out}`);
  for (const other of SDKS) if (other !== sdk) assert.deepEqual(from(other.dir), [], `nothing from ${other.dir}`);
  const { version } = JSON.parse(readFileSync(path.join(root, 'node_modules', sdk.dir, 'package.json'), 'utf8'));
  assert.equal(version, sdk.version);
}

for (const sdk of SDKS) {
  test(`app code typed with nim-web-sdk-ng ${sdk.version} uses localconv/nim (test/types/nim-sdk.ts)`, async () => {
    const r = await compile([path.join(types, 'nim-sdk.ts')], sdk);
    assertReadFrom(r, sdk);
    checkErrors(r);
  });
}

// tsc reports an unused @ts-expect-error, so the compile above already fails
// when a misuse is accepted; this shows each one is an error in its own right.
test('each @ts-expect-error of test/types/nim-sdk.ts is an error without it', async () => {
  const source = readFileSync(path.join(types, 'nim-sdk.ts'), 'utf8').split('\n');
  const expected = source.flatMap((l, i) => (/^\s*\/\/ @ts-expect-error/.test(l) ? [i + 2] : []));
  assert.ok(expected.length >= 8, 'the misuses are there');
  const dir = mkdtempSync(path.join(tmpdir(), 'localconv-nim-misuse-'));
  try {
    const copy = path.join(dir, 'misuse.ts');
    const nim = path.join(root, 'js', 'nim.js').replaceAll('\\', '/');
    writeFileSync(copy, source.map((l) => l.replace('// @ts-expect-error', '// expected:').replace("'../../js/nim.js'", `'${nim}'`)).join('\n'));
    const r = await compile([copy], SDKS[0]);
    const lines = new Set(r.errors.filter((l) => l.includes('misuse.ts')).map((l) => Number(l.match(/\((\d+),\d+\)/)[1])));
    assert.deepEqual([...lines].sort((a, b) => a - b), expected, r.out);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the UIKit store takes the conversations of localconv/nim (test/types/nim-uikit.ts, SDK 10.9)', async () => {
  const sdk = SDKS[1];
  const r = await compile([path.join(types, 'nim-uikit.ts')], sdk, { skipLibCheck: true });
  assertReadFrom(r, sdk);
  assert.deepEqual(r.errors, [], r.out);
});
