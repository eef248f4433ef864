// The TypeScript declarations: test/types/usage.ts (the whole API as an app
// uses it, plus misuse marked @ts-expect-error) compiles under
// `tsc --noEmit --strict`, and js/localconv.d.ts declares what js/localconv.js exports.
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
const FLAGS = ['--noEmit', '--strict', '--target', 'es2022', '--module', 'esnext', '--moduleResolution', 'bundler',
  '--lib', 'es2022,dom', '--pretty', 'false'];

async function compile(files) {
  try {
    const { stdout } = await run(process.execPath, [tsc, ...FLAGS, ...files], { cwd: root });
    return { code: 0, out: stdout };
  } catch (e) {
    return { code: e.code, out: String(e.stdout) + String(e.stderr) };
  }
}

// One tsc run (it takes seconds) checks usage.ts beside a file that must fail.
let once;
function compileBoth() {
  if (!once) {
    const dir = mkdtempSync(path.join(tmpdir(), 'localconv-ts-'));
    const bad = path.join(dir, 'bad.ts');
    const lib = path.join(root, 'js', 'localconv.js').replaceAll('\\', '/');
    writeFileSync(bad, `import { LocalConversationService } from '${lib}';\n` +
      'export async function f(s: LocalConversationService) { const n: string = await s.getTotalUnreadCount(); return n; }\n');
    once = compile([path.join(root, 'test', 'types', 'usage.ts'), bad]).then((r) => {
      rmSync(dir, { recursive: true, force: true });
      const errors = r.out.split('\n').filter((l) => /error TS\d+/.test(l));
      return { ...r, errors, usage: errors.filter((l) => l.includes('usage.ts')), bad: errors.filter((l) => l.includes('bad.ts')) };
    });
  }
  return once;
}

test('test/types/usage.ts compiles with tsc --noEmit --strict', async () => {
  const r = await compileBoth();
  assert.deepEqual(r.usage, [], r.out);
  assert.equal(r.errors.length, r.bad.length, r.out);
});

test('a misuse the declarations should refuse does not compile (the check can fail)', async () => {
  const r = await compileBoth();
  assert.notEqual(r.code, 0);
  assert.equal(r.bad.length, 1, r.out);
  assert.match(r.bad[0], /TS2322/);
});

test('js/localconv.d.ts declares exactly what js/localconv.js exports, and every method', async () => {
  const mod = await import('../js/localconv.js');
  const dts = readFileSync(path.join(root, 'js', 'localconv.d.ts'), 'utf8');
  const declared = [...dts.matchAll(/^export declare (?:const|class|function) (\w+)/gm)].map((m) => m[1]).sort();
  assert.deepEqual(declared, Object.keys(mod).sort());

  const body = dts.slice(dts.indexOf('export declare class LocalConversationService'));
  const cls = body.slice(0, body.indexOf('\n}\n'));
  const methods = new Set([...cls.matchAll(/^ {2}(?:static )?(\w+)(?:<[^>]*>)?\(/gm)].map((m) => m[1]));
  methods.delete('addEventListener');
  methods.delete('removeEventListener');
  const proto = Object.getOwnPropertyNames(mod.LocalConversationService.prototype).filter((n) => n !== 'constructor');
  assert.deepEqual([...methods].filter((n) => n !== 'open').sort(), proto.sort());
  assert.equal(typeof mod.LocalConversationService.open, 'function');
  assert.ok(proto.length >= 28, 'docs/api.md §2: 26 methods, listen and close');
});
