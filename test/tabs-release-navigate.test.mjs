// A tab navigated away from while its call runs, with the module in the page
// or in the page's own worker: the call dies with the page, and the other tab
// stays exact (docs/design.md, "Several tabs and placements"). Its own file
// because WebKit keeps such a page in its back/forward cache with the
// transaction open, which blocks the other tabs (harness.mjs KNOWN_GAPS, not
// handled yet); tabs-release.test.mjs has the other ways a tab goes away.
import { test } from 'node:test';
import { useBrowser } from './harness.mjs';
import { leaveMidCall } from './release.mjs';

const env = useBrowser();

for (const placement of ['page', 'worker']) {
  test(`${placement}: a tab navigated away 30 ms into its applyMessages of 10,000 leaves the other tab exact`, { timeout: 240_000 }, async (t) => {
    await leaveMidCall(env, t, placement, 'navigated away', (a) => a.page.goto(env.base + '/test/pages/blank.html?elsewhere'));
  });
}
