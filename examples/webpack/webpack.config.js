// Nothing here is for localconv: webpack 5 bundles the worker it starts
// (new Worker(new URL('./worker.js', import.meta.url))) and emits the .wasm
// it names (new URL('./localconv.wasm', import.meta.url)) by itself.
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));

export default {
  mode: 'production',
  entry: './src/main.js',
  output: { path: path.join(here, 'dist'), filename: 'main.js', clean: true },
  // The module is 4.5 MB (0.8 MB brotli) by design: no size warning for it.
  performance: { assetFilter: (file) => !file.endsWith('.wasm') },
};
