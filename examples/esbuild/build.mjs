// esbuild leaves new Worker(new URL('./worker.js', import.meta.url)) and
// new URL('./localconv.wasm', import.meta.url) alone: at run time they name
// files next to the bundle. So the worker is bundled as an entry point of its
// own, named worker.js, and the module is copied beside it.
import * as esbuild from 'esbuild';
import { copyFile, mkdir } from 'node:fs/promises';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
await mkdir('dist', { recursive: true });
await esbuild.build({
  entryPoints: { main: 'src/main.js', worker: 'localconv/worker.js' },
  bundle: true,
  format: 'esm',
  minify: true,
  outdir: 'dist',
  logLevel: 'info',
});
await copyFile(require.resolve('localconv/localconv.wasm'), 'dist/localconv.wasm');
