// The test pages' last script: test/pages/nim-sdk.js as globalThis.h for the
// tests' page.evaluate, then the title the harness waits for.
import * as h from './nim-sdk.js';

globalThis.h = h;
document.title = 'ready';
