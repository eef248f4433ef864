// A tab navigated away from while its call runs, with the module in the page
// or in the page's own worker: the call dies with the page, and the other tab
// stays exact (docs/design.md, "Several tabs and placements"). Its own file
// because WebKit keeps such a page in its back/forward cache with the
// transaction open, which blocks the other tabs (harness.mjs KNOWN_GAPS, not
// handled yet); tabs-release.test.mjs has the other ways a tab goes away.
import { test } from 'node:test';
import { useBrowser, uniqueName } from './harness.mjs';
import { T, newTabContext, openTab, msg } from './tabs.mjs';
import { bigCall, assertExact } from './release.mjs';

const env = useBrowser();

for (const placement of ['page', 'worker']) {
  test(`${placement}: a tab navigated away 30 ms into its applyMessages of 10,000 leaves the other tab exact`, { timeout: 240_000 }, async (t) => {
    const acc = uniqueName('leave');
    const context = await newTabContext(env, t);
    const options = { accountId: acc, placement };
    const a = await openTab(env, t, context, 0, options, { allowErrors: true });
    const b = await openTab(env, t, context, 1, options);
    await b.ok('applyMessages', [msg(b.p2p('x'), 'x1', 'x', T - 1)]);
    await a.eval((m) => { globalThis.big = m; }, bigCall(acc));
    await a.eval(() => { globalThis.tabkit.svc.applyMessages(globalThis.big).catch(() => {}); });
    await new Promise((r) => setTimeout(r, 30));
    await a.page.goto(env.base + '/test/pages/blank.html?elsewhere');
    await assertExact(b, acc, 'right after A was navigated away');
    await b.ok('applyMessages', [msg(b.p2p('x'), 'x2', 'x', T)]);
    const applied = await assertExact(b, acc, "after A was navigated away and B's own call");
    t.diagnostic(`the call ${applied ? 'was applied whole' : 'was not applied'}`);
  });
}
