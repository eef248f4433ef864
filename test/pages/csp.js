// The strict-CSP test page's only script (test/placements.test.mjs).
import * as localconv from '/js/localconv.js';

globalThis.localconv = localconv;
globalThis.cspViolations = [];
document.addEventListener('securitypolicyviolation', (e) => {
  globalThis.cspViolations.push(`${e.effectiveDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`);
});
document.title = 'ready';
