// The demo chat app (web/), clicked through in headless Chromium the way a
// person would use it. Every test fails on a page error, a console error, a
// Content-Security-Policy violation or a dialog.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { useBrowser, openPage, screenshotPath, uniqueName, root } from './harness.mjs';

const env = useBrowser();
const VIEWPORT = { width: 1440, height: 900 };

// newContext gives a test its own storage (IndexedDB included); it is closed
// when the test ends.
async function newContext(t) {
  const context = await env.browser.newContext({ viewport: VIEWPORT });
  await context.addInitScript(() => {
    globalThis.__csp = [];
    document.addEventListener('securitypolicyviolation', (e) => {
      globalThis.__csp.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`);
    });
  });
  t.after(() => context.close());
  return context;
}

// openDemo opens /web/ for a fresh account and waits until the first page of
// the list is on screen. The test fails afterwards on any error, CSP
// violation or dialog the page produced.
async function openDemo(t, { account = uniqueName('demo'), storage = 'memory', context } = {}) {
  context ??= await newContext(t);
  const query = new URLSearchParams({ account });
  if (storage) query.set('storage', storage);
  const page = await openPage(context, env.base, `/web/?${query}`);
  page.account = account;
  page.dialogs = [];
  page.on('dialog', (d) => {
    page.dialogs.push(`${d.type()}: ${d.message()}`);
    d.dismiss().catch(() => {});
  });
  await ready(page);
  t.after(async () => {
    const csp = page.isClosed() ? [] : await page.evaluate(() => globalThis.__csp).catch(() => []);
    const problems = [
      ...page.errors.map((e) => `error: ${e.message}`),
      ...csp.map((v) => `CSP violation: ${v}`),
      ...page.dialogs.map((d) => `dialog: ${d}`),
    ];
    assert.deepEqual(problems, [], 'the page reported problems');
  });
  return page;
}

async function ready(page) {
  await page.waitForFunction(() => document.body.dataset.ready === 'true' && document.body.dataset.sync === 'finished', null, { timeout: 20_000 });
  await settled(page);
}

// settled waits until no page is being fetched and two frames have rendered.
async function settled(page) {
  await page.waitForFunction(() => !globalThis.demo.model.loading);
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
}

const totalUnread = async (page) => Number((await page.getAttribute('#total-unread', 'aria-label')).replace(/\D/g, ''));

async function waitTotal(page, n) {
  await page.waitForFunction((n) => document.getElementById('total-unread').getAttribute('aria-label') === `Total unread: ${n}`, n);
}

// rows describes the rows in the DOM, in list order.
function rows(page) {
  return page.evaluate(() => [...document.querySelectorAll('#list .row:not([hidden]):not(.loader)')]
    .map((r) => ({
      index: Number(r.dataset.index),
      id: r._id,
      name: r.querySelector('.row-name').textContent,
      kind: r.querySelector('.row-kind').textContent,
      unread: r.querySelector('.badge').hidden ? 0 : Number(r.querySelector('.badge').textContent.replace('+', '')),
      preview: r.querySelector('.row-preview').textContent,
      time: r.querySelector('.row-time').textContent,
      pinned: r.classList.contains('pinned'),
      muted: r.classList.contains('muted'),
      selected: r.getAttribute('aria-selected') === 'true',
    }))
    .sort((a, b) => a.index - b.index));
}

// serviceList walks the whole list through the public API (the ground truth).
function serviceList(page, option) {
  return page.evaluate(async (option) => {
    const svc = globalThis.demo.service;
    const all = [];
    let offset = 0;
    for (;;) {
      const res = option ? await svc.getConversationListByOption(offset, 500, option) : await svc.getConversationList(offset, 500);
      all.push(...res.conversationList);
      if (res.finished) return all;
      offset = res.offset;
    }
  }, option);
}

const counter = (page, label) => page.evaluate((label) => {
  const li = [...document.querySelectorAll('#counters .counter')].find((l) => l.firstChild.textContent === label);
  return Number(li.querySelector('.counter-value').textContent.replace(/,/g, ''));
}, label);

const logTypes = (page) => page.$$eval('#log .log-type', (els) => els.map((e) => e.textContent));

// A message from the other side of a conversation, as the IM connection would deliver it.
const incomingIn = (page, id) => page.evaluate((id) => globalThis.demo.sim.deliver([globalThis.demo.sim.replyIn(id)]), id);

const button = (page, name) => page.getByRole('button', { name, exact: true });

// burst receives 1,000 messages from the handful of contacts and teams and
// waits until they (and the names the page gives new conversations) are in.
async function burst(page) {
  await button(page, 'Burst of 1,000').click();
  await page.waitForFunction(() => !document.getElementById('recv-burst').disabled, null, { timeout: 30_000 });
  await settled(page);
}

// The page marks which conversation the service has as current once the call resolved.
const currentIs = (page, id) => page.waitForFunction((id) => document.body.dataset.current === id, id);

test('the page is static, dependency-free and CSP-clean', async () => {
  const html = await readFile(path.join(root, 'web', 'index.html'), 'utf8');
  const csp = html.match(/<meta http-equiv="Content-Security-Policy" content="([^"]+)"/);
  assert.ok(csp, 'a CSP meta tag');
  assert.match(csp[1], /script-src 'self' 'wasm-unsafe-eval'(;|$)/);
  assert.match(csp[1], /style-src 'self'(;|$)/);
  assert.doesNotMatch(html, /<script(?![^>]*\bsrc=)[^>]*>/i, 'no inline script');
  assert.doesNotMatch(html, /\son[a-z]+\s*=/i, 'no inline event handler');
  assert.doesNotMatch(html, /\sstyle\s*=/i, 'no inline style attribute');
  assert.doesNotMatch(html, /<style/i, 'no style element');
  assert.doesNotMatch(html, /https?:\/\//i, 'nothing from another origin');
  for (const f of ['app.js', 'convlist.js', 'listview.js', 'eventlog.js', 'format.js', 'sim.js']) {
    const js = await readFile(path.join(root, 'web', f), 'utf8');
    assert.doesNotMatch(js, /\.(innerHTML|outerHTML)\s*=|insertAdjacentHTML|document\.write|\beval\(|new Function\(/, `${f} builds DOM from text only`);
    for (const [, spec] of js.matchAll(/^import\s[^;]*?from\s+['"]([^'"]+)['"]/gm)) {
      assert.ok(spec === '/js/localconv.js' || spec.startsWith('./'), `${f} imports only the public API and its siblings, not ${spec}`);
    }
  }
});

test('messages arrive, opening a conversation clears its badge, the title counts unread', async (t) => {
  const page = await openDemo(t);
  assert.equal(await page.title(), 'localconv demo');
  assert.ok(await page.isVisible('#list-empty'), 'an empty account says so');

  await button(page, 'Receive 1').click();
  await waitTotal(page, 1);
  assert.equal(await page.title(), '(1) localconv demo');
  await settled(page);
  let list = await rows(page);
  assert.equal(list.length, 1);
  assert.equal(list[0].unread, 1);
  assert.ok(list[0].preview.length > 0 && list[0].time.match(/^\d\d:\d\d$/), 'a preview and today’s time');

  await button(page, 'Receive 1').click();
  await waitTotal(page, 2);
  await burst(page); // 1,000 more, in batches of 250
  await waitTotal(page, 1002);
  assert.equal(await page.title(), '(1002) localconv demo');
  assert.equal(await page.textContent('#total-unread'), '1,002');

  // The rows are the service's list, in its order, with its unread counts.
  list = await rows(page);
  const truth = await serviceList(page);
  assert.equal(list.length, truth.length);
  assert.ok(list.length >= 9 && list.length <= 11, `the handful of contacts and teams, got ${list.length}`);
  assert.deepEqual(list.map((r) => r.id), truth.map((c) => c.conversationId));
  assert.deepEqual(list.map((r) => r.unread), truth.map((c) => Math.min(c.unreadCount, 99)));
  assert.equal(truth.reduce((s, c) => s + c.unreadCount, 0), 1002);
  assert.ok(list.some((r) => r.kind === 'Team') && list.some((r) => r.kind === 'Super team'), 'teams and super teams');
  assert.equal(await counter(page, 'Everything not muted'), 1002);
  assert.equal(await counter(page, 'P2P') + (await counter(page, 'Teams and super teams, not muted')), 1002);

  // Open the top conversation with the mouse.
  const top = truth[0];
  await page.getByRole('option', { name: new RegExp(`^${top.name}`) }).click();
  await waitTotal(page, 1002 - top.unreadCount);
  assert.equal(await page.title(), `(${1002 - top.unreadCount}) localconv demo`);
  await settled(page);
  list = await rows(page);
  const opened = list.find((r) => r.id === top.conversationId);
  assert.equal(opened.unread, 0, 'its badge cleared');
  assert.ok(opened.selected);
  assert.equal(await page.textContent('#conv-name'), top.name);
  assert.equal(await page.textContent('#d-id'), top.conversationId);
  assert.ok((await page.textContent('#msg-body')).length > 0, 'the last message is shown');
  assert.notEqual(await page.textContent('#d-read'), '—', 'the read time from markConversationRead');

  // While it is open, its new messages take no unread.
  await currentIs(page, top.conversationId);
  const before = await totalUnread(page);
  await incomingIn(page, top.conversationId);
  await settled(page);
  assert.equal(await totalUnread(page), before);

  // With the keyboard: the next row, Enter.
  await page.focus('#list');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  await settled(page);
  const activeId = await page.getAttribute('#list', 'aria-activedescendant');
  assert.ok(activeId, 'the listbox names its active row');
  const active = page.locator(`#${activeId}`);
  const activeConv = await active.evaluate((r) => r._conv);
  assert.equal(await active.evaluate((r) => getComputedStyle(r).outlineStyle), 'solid', 'the active row has a visible focus ring');
  await page.keyboard.press('Enter');
  await waitTotal(page, before - activeConv.unreadCount);
  assert.equal(await page.textContent('#conv-name'), activeConv.name);
  await page.keyboard.press('Escape');
  await page.waitForSelector('#conv-none:not([hidden])');

  const types = await logTypes(page);
  for (const type of ['conversationCreated', 'conversationChanged', 'totalUnreadCountChanged', 'unreadCountChangedByFilter', 'conversationReadTimeUpdated']) {
    assert.ok(types.includes(type), `the log shows ${type}`);
  }
  await page.getByRole('option', { name: new RegExp(`^${top.name}`) }).click();
  await settled(page);
  await page.screenshot({ path: screenshotPath('demo-conversation') });
});

test('pin, mute, rename, local extension, delete with and without clearing messages', async (t) => {
  const page = await openDemo(t);
  await burst(page);
  await waitTotal(page, 1000);
  let truth = await serviceList(page);
  const last = truth[truth.length - 1];
  const rowOf = (c) => page.getByRole('option', { name: new RegExp(`^${c.name}`) });

  // Pin the bottom one: it goes to the top.
  await rowOf(last).click();
  await button(page, 'Pin to top').click();
  await page.waitForSelector('#conv-pinned:not([hidden])');
  await settled(page);
  let list = await rows(page);
  assert.equal(list[0].id, last.conversationId);
  assert.ok(list[0].pinned);
  assert.deepEqual((await page.evaluate(() => globalThis.demo.service.getStickTopConversationList())).map((c) => c.conversationId), [last.conversationId]);
  // A message to another conversation does not move it above the pinned one.
  await incomingIn(page, truth[0].conversationId);
  await settled(page);
  assert.equal((await rows(page))[0].id, last.conversationId);

  // Mute it; a new message then counts in the total but not in the "not muted" counters.
  await button(page, 'Mute').click();
  await page.waitForSelector('#conv-muted:not([hidden])');
  await button(page, 'Close the conversation').click();
  await currentIs(page, '');
  const total = await totalUnread(page);
  const notMuted = await counter(page, 'Everything not muted');
  await incomingIn(page, last.conversationId);
  await waitTotal(page, total + 1);
  await settled(page);
  assert.equal(await counter(page, 'Everything not muted'), notMuted);
  list = await rows(page);
  assert.ok(list[0].muted && list[0].unread === 1, 'muted, with its badge');
  assert.equal(await page.locator('#list .row.muted .badge').first().evaluate((b) => getComputedStyle(b).backgroundColor), 'rgb(156, 163, 175)', 'a muted badge is grey');

  // Rename it and give it a local extension.
  await rowOf(last).click();
  await page.fill('#rename-input', 'Pinned & renamed');
  await button(page, 'Save name').click();
  await page.getByRole('option', { name: /^Pinned & renamed/ }).waitFor();
  await page.fill('#ext-input', '{"draft":"see you at 5"}');
  await button(page, 'Save extension').click();
  await page.waitForFunction(() => document.getElementById('ext-saved').textContent.startsWith('saved'));
  const stored = await page.evaluate((id) => globalThis.demo.service.getConversation(id), last.conversationId);
  assert.equal(stored.name, 'Pinned & renamed');
  assert.equal(stored.localExtension, '{"draft":"see you at 5"}');
  assert.equal(stored.mute, true);

  // Unpin and unmute.
  await button(page, 'Unpin').click();
  await page.waitForSelector('#conv-pinned[hidden]', { state: 'attached' });
  await button(page, 'Unmute').click();
  await page.waitForSelector('#conv-muted[hidden]', { state: 'attached' });
  await settled(page);
  assert.ok(!(await rows(page)).some((r) => r.pinned || r.muted));

  // Delete it (keeping its messages): gone from the list, the pane closes.
  const count = (await rows(page)).length;
  await button(page, 'Delete').click();
  await page.waitForSelector('#conv-none:not([hidden])');
  await currentIs(page, '');
  await settled(page);
  list = await rows(page);
  assert.equal(list.length, count - 1);
  assert.ok(!list.some((r) => r.id === last.conversationId));
  assert.ok((await logTypes(page)).includes('conversationDeleted'));
  // A new message brings it back with only that message unread.
  await incomingIn(page, last.conversationId);
  await settled(page);
  list = await rows(page);
  assert.equal(list.find((r) => r.id === last.conversationId)?.unread, 1);

  // Delete another one with its messages, after reading part of it.
  truth = await serviceList(page);
  const other = truth.find((c) => c.conversationId !== last.conversationId && c.unreadCount > 0);
  const totalBefore = await totalUnread(page);
  await rowOf(other).click();
  await waitTotal(page, totalBefore - other.unreadCount);
  // Deleting its messages asks first: the first click only arms the button.
  await button(page, 'Delete and clear messages').click();
  await button(page, 'Delete it and its messages? Click again').waitFor();
  assert.ok((await rows(page)).some((r) => r.id === other.conversationId), 'not deleted on the first click');
  await button(page, 'Delete it and its messages? Click again').click();
  await page.waitForSelector('#conv-none:not([hidden])');
  await settled(page);
  assert.ok(!(await rows(page)).some((r) => r.id === other.conversationId));
  assert.equal(await page.evaluate((id) => globalThis.demo.service.getConversation(id).then(() => 'found', (e) => e.code), other.conversationId), 191004);
  assert.deepEqual((await rows(page)).map((r) => r.id), (await serviceList(page)).map((c) => c.conversationId));
  await page.screenshot({ path: screenshotPath('demo-actions') });
});

test('filters by type and "only unread" page through getConversationListByOption', async (t) => {
  const page = await openDemo(t);
  await burst(page);
  await waitTotal(page, 1000);
  const all = await serviceList(page);
  const seg = (name) => page.getByRole('group', { name: 'Conversation type' }).getByRole('button', { name, exact: true });
  const check = async (option) => {
    await settled(page);
    const shown = await rows(page);
    const truth = await serviceList(page, option);
    assert.deepEqual(shown.map((r) => r.id), truth.map((c) => c.conversationId), JSON.stringify(option));
    return shown;
  };

  await seg('Teams').click();
  assert.equal(await seg('Teams').getAttribute('aria-pressed'), 'true');
  let shown = await check({ conversationTypes: [2] });
  assert.ok(shown.length > 0 && shown.every((r) => r.kind === 'Team'));
  await seg('Super teams').click();
  shown = await check({ conversationTypes: [3] });
  assert.ok(shown.length > 0 && shown.every((r) => r.kind === 'Super team'));
  await seg('P2P').click();
  shown = await check({ conversationTypes: [1] });
  assert.equal(shown.length, all.filter((c) => c.type === 1).length);

  // Read one P2P conversation; "only unread" leaves it out.
  const read = shown[1];
  await page.locator(`#list .row[data-index="1"]`).click();
  await page.waitForFunction((id) => globalThis.demo.model.get(id)?.unreadCount === 0, read.id);
  await page.getByLabel('Only unread').check();
  shown = await check({ conversationTypes: [1], onlyUnread: true });
  assert.ok(!shown.some((r) => r.id === read.id) && shown.every((r) => r.unread > 0));
  // A new message in it brings it in, by event alone.
  await button(page, 'Close the conversation').click();
  await currentIs(page, '');
  await incomingIn(page, read.id);
  shown = await check({ conversationTypes: [1], onlyUnread: true });
  assert.ok(shown.some((r) => r.id === read.id));
  await seg('All').click();
  shown = await check({ onlyUnread: true });
  assert.equal(shown.length, all.length);
  await page.screenshot({ path: screenshotPath('demo-filters') });
  await page.getByLabel('Only unread').uncheck();
  await check(null);
});

test('seeding 10,000 shows progress; the virtual list scrolls to the end', async (t) => {
  const page = await openDemo(t);
  await button(page, 'Receive 1').click();
  await waitTotal(page, 1);
  await button(page, 'Seed 10,000').click();
  await page.waitForSelector('#seed-progress:not([hidden])');
  assert.ok(await button(page, 'Seed 10,000').isDisabled(), 'no second seeding while one runs');
  await page.waitForFunction(() => document.body.dataset.seeding === 'done', null, { timeout: 60_000 });
  t.diagnostic(await page.textContent('#seed-text'));
  assert.match(await page.textContent('#seed-text'), /^Seeded 10,000 conversations in [\d.]+ s \([\d,]+\/s\)$/);
  assert.equal(await page.$eval('#seed-progress', (p) => p.value / p.max), 1);
  const total = await totalUnread(page);
  assert.equal(total, await page.evaluate(() => globalThis.demo.service.getTotalUnreadCount()));
  assert.ok(total > 5000, `about 60% of the seeded conversations are unread, got ${total}`);
  await settled(page);
  assert.match(await page.textContent('#list-footer'), /loaded · more below$/, 'the list holds a few pages, not 10,000');

  // End, End, End…: each press goes to the last row held, which pulls the next page.
  await page.focus('#list');
  const t0 = Date.now();
  while (!(await page.evaluate(() => globalThis.demo.model.finished))) {
    await page.keyboard.press('End');
    await page.waitForFunction(() => !globalThis.demo.model.loading);
    assert.ok(Date.now() - t0 < 40_000, 'reached the end in time');
  }
  await page.keyboard.press('End');
  await settled(page);
  t.diagnostic(`scrolled to the end in ${Date.now() - t0} ms, ${await page.evaluate(() => globalThis.demo.model.pages)} pages`);
  assert.equal(await page.textContent('#list-footer'), '10,001 conversations');

  // Every conversation exactly once, in the service's order.
  const held = await page.evaluate(() => globalThis.demo.model.items.map((c) => c.conversationId));
  const truth = (await serviceList(page)).map((c) => c.conversationId);
  assert.equal(held.length, 10_001);
  assert.equal(new Set(held).size, 10_001);
  assert.deepEqual(held, truth);

  // Only what is visible is in the DOM; the last row is on screen and active.
  const dom = await page.$$eval('#list .row:not([hidden])', (r) => r.length);
  assert.ok(dom < 40, `${dom} rows in the DOM`);
  const activeId = await page.getAttribute('#list', 'aria-activedescendant');
  assert.equal(await page.getAttribute(`#${activeId}`, 'aria-posinset'), '10001');
  assert.equal(await page.getAttribute(`#${activeId}`, 'aria-setsize'), '10001');
  const box = await page.locator(`#${activeId}`).boundingBox();
  const viewport = await page.locator('#list').boundingBox();
  assert.ok(box.y >= viewport.y - 1 && box.y + box.height <= viewport.y + viewport.height + 1, 'the last row is in view');
  await page.screenshot({ path: screenshotPath('demo-seeded-end') });

  // Deep in the list, a burst at the top does not move the rows in view.
  const inView = (await rows(page)).map((r) => r.id);
  const scrollBefore = await page.$eval('#list', (v) => v.scrollTop);
  await burst(page);
  await waitTotal(page, total + 1000);
  const added = (await page.evaluate(() => globalThis.demo.model.items.length)) - 10_001;
  assert.ok(added >= 0);
  const scrollAfter = await page.$eval('#list', (v) => v.scrollTop);
  assert.equal(scrollAfter - scrollBefore, added * 72, 'the view kept its rows');
  assert.deepEqual((await rows(page)).map((r) => r.id).slice(-10), inView.slice(-10));

  // A row in view that gets a message goes to the top; the rows below it stay put.
  const k = await page.$eval('#list', (v) => Math.ceil(v.scrollTop / 72)); // the first whole row in view
  const below = (await rows(page)).filter((r) => r.index > k).map((r) => [r.index, r.id]);
  const moved = (await rows(page)).find((r) => r.index === k).id;
  const scroll2 = await page.$eval('#list', (v) => v.scrollTop);
  await incomingIn(page, moved);
  await settled(page);
  assert.equal(await page.evaluate(() => globalThis.demo.model.items[0].conversationId), moved);
  assert.equal(await page.$eval('#list', (v) => v.scrollTop), scroll2, 'the view did not jump');
  assert.deepEqual((await rows(page)).filter((r) => r.index > k).map((r) => [r.index, r.id]), below);
});

test('a reload shows the same list (IndexedDB)', async (t) => {
  const context = await newContext(t);
  const page = await openDemo(t, { storage: null, context });
  assert.equal(await page.textContent('#fact-storage'), 'IndexedDB');
  await burst(page);
  await waitTotal(page, 1000);
  const truth = await serviceList(page);
  const pick = truth[truth.length - 1];
  await page.getByRole('option', { name: new RegExp(`^${pick.name}`) }).click();
  await button(page, 'Pin to top').click();
  await page.waitForSelector('#conv-pinned:not([hidden])');
  await page.fill('#rename-input', 'Kept across reloads');
  await button(page, 'Save name').click();
  await page.getByRole('option', { name: /^Kept across reloads/ }).waitFor();
  await button(page, 'Close the conversation').click();
  await settled(page);
  const before = await rows(page);
  const title = await page.title();

  await page.reload();
  await page.waitForFunction(() => document.title.endsWith('localconv demo'));
  await ready(page);
  assert.equal(await page.title(), title, 'the unread count survived the reload (IndexedDB)');
  const after = await rows(page);
  assert.deepEqual(after, before, 'the list survived the reload (IndexedDB)');
  assert.equal(after[0].name, 'Kept across reloads');
  assert.ok(after[0].pinned);
});

test('text from users and messages is rendered as text, never as markup', async (t) => {
  const page = await openDemo(t);
  const evil = '<img src=x onerror=alert(1)>';
  await page.selectOption('#new-type', '1');
  await page.fill('#new-target', 'mallory');
  await page.fill('#new-name', evil);
  await button(page, 'Create').click();
  await page.waitForFunction((evil) => document.getElementById('conv-name').textContent === evil, evil);
  await page.fill('#send-text', '<script>alert(2)</script><b onmouseover=alert(3)>hi</b>');
  await button(page, 'Send the message').click();
  await page.waitForFunction(() => document.getElementById('msg-body').textContent.startsWith('<script>'));
  await page.fill('#ext-input', '"><svg onload=alert(4)>');
  await button(page, 'Save extension').click();
  await page.waitForFunction(() => document.getElementById('ext-saved').textContent.startsWith('saved'));
  await settled(page);

  const [row] = await rows(page);
  assert.equal(row.name, evil);
  assert.equal(row.preview, 'You: <script>alert(2)</script><b onmouseover=alert(3)>hi</b>');
  assert.equal(await page.textContent('#conv-name'), evil);
  assert.equal(await page.locator('#ext-input').inputValue(), '"><svg onload=alert(4)>');
  assert.ok((await page.textContent('#log')).includes(evil), 'the event log shows it as text');
  const injected = await page.evaluate(() => ({
    img: document.querySelectorAll('img').length,
    script: [...document.querySelectorAll('script')].filter((s) => !s.src).length,
    b: document.querySelectorAll('main b, #log b').length,
    handlers: [...document.querySelectorAll('*')].filter((e) => [...e.attributes].some((a) => a.name.startsWith('on'))).length,
  }));
  assert.deepEqual(injected, { img: 0, script: 0, b: 0, handlers: 0 });
  await page.mouse.move(200, 200);
  await page.waitForTimeout(100);
  assert.deepEqual(page.dialogs, []);
  await page.screenshot({ path: screenshotPath('demo-xss') });
});

test('every control has a name; Tab reaches the list', async (t) => {
  const page = await openDemo(t);
  await button(page, 'Receive 1').click();
  await waitTotal(page, 1);
  await page.locator('#list .row').first().click();
  await page.waitForSelector('#conv-open:not([hidden])');
  const unnamed = await page.evaluate(() => [...document.querySelectorAll('button, input:not([type=hidden]), select, textarea, [role=listbox]')]
    .filter((e) => e.offsetParent !== null || e.getClientRects().length)
    .filter((e) => {
      const label = e.getAttribute('aria-label') || e.labels?.[0]?.textContent || (e.tagName === 'BUTTON' ? e.textContent : '');
      return !label.trim();
    })
    .map((e) => e.outerHTML.slice(0, 80)));
  assert.deepEqual(unnamed, []);

  // Keyboard only: from the header, Tab reaches the listbox.
  await page.focus('#account-input');
  let reached = false;
  for (let i = 0; i < 20 && !reached; i++) {
    await page.keyboard.press('Tab');
    reached = await page.evaluate(() => document.activeElement?.id === 'list');
  }
  assert.ok(reached, 'Tab reaches the conversation list');
  assert.equal(await page.$eval('#list', (l) => getComputedStyle(l).boxShadow !== 'none'), true, 'the focused list shows a ring');
});

test('two tabs of one account stay in step through the events', async (t) => {
  const context = await newContext(t);
  const account = uniqueName('tabs');
  const a = await openDemo(t, { account, storage: null, context });
  const b = await openDemo(t, { account, storage: null, context });
  await button(a, 'Receive 1').click();
  await waitTotal(a, 1);
  await b.waitForFunction(() => document.title === '(1) localconv demo', null, { timeout: 5000 })
    .catch(() => assert.fail('the other tab did not see the message within 5 s (multi-tab events)'));
  await burst(a);
  await waitTotal(a, 1001);
  await b.waitForFunction(() => document.title === '(1001) localconv demo', null, { timeout: 5000 });
  await settled(b);
  assert.deepEqual((await rows(b)).map((r) => [r.id, r.unread]), (await rows(a)).map((r) => [r.id, r.unread]));

  // Pin in B: A moves it to the top.
  const lastB = (await rows(b)).at(-1);
  await b.locator(`#list .row[data-index="${lastB.index}"]`).click();
  await button(b, 'Pin to top').click();
  await a.waitForFunction((id) => globalThis.demo.model.items[0]?.conversationId === id && globalThis.demo.model.items[0].stickTop, lastB.id, { timeout: 5000 });
  await settled(a);
  assert.ok((await rows(a))[0].pinned);
  assert.equal(await totalUnread(a), await totalUnread(b));
});

// layoutProblems lists the controls of the conversation panel that are not
// wholly inside the viewport's width and the panel's own box (a control
// overflowing the panel is cut off or overlaps its neighbour), and says
// whether the page scrolls sideways.
function layoutProblems(page) {
  return page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    const panel = document.getElementById('conv-panel').getBoundingClientRect();
    const left = Math.max(0, panel.left), right = Math.min(width, panel.right);
    const out = [];
    for (const el of document.querySelectorAll('#conv-panel :is(button, input, textarea, select, label)')) {
      const r = el.getBoundingClientRect();
      if (r.width === 0 && r.height === 0) continue; // not rendered (hidden)
      if (r.left < left - 0.5 || r.right > right + 0.5) out.push(`${el.id || el.textContent.trim().slice(0, 30)}: ${Math.round(r.left)}..${Math.round(r.right)}, the panel ${Math.round(left)}..${Math.round(right)}`);
    }
    return { outside: out, scrollsSideways: document.documentElement.scrollWidth > width + 1 };
  });
}

test('the layout holds from 1024 px wide up and stacks on a phone (no control outside the viewport)', async (t) => {
  const page = await openDemo(t);
  await burst(page);
  await page.locator('#list .row:not(.loader)').first().click();
  await page.waitForSelector('#conv-open:not([hidden])');
  for (const size of [{ width: 1024, height: 768 }, { width: 1280, height: 720 }, { width: 1440, height: 900 }]) {
    await page.setViewportSize(size);
    await settled(page);
    const p = await layoutProblems(page);
    assert.deepEqual(p, { outside: [], scrollsSideways: false }, `at ${size.width}×${size.height}`);
  }
  // A phone shows the conversation opened from the list, then the list again.
  await page.setViewportSize({ width: 390, height: 844 });
  await settled(page);
  assert.deepEqual(await layoutProblems(page), { outside: [], scrollsSideways: false }, 'on a phone');
  const shown = () => page.evaluate(() => Object.fromEntries(['.list-panel', '.conv-panel', '.side-panel'].map((s) => {
    const r = document.querySelector(s).getBoundingClientRect();
    return [s.slice(1), r.width > 0 ? { left: Math.round(r.left), top: Math.round(r.top), bottom: Math.round(r.bottom), width: Math.round(r.width) } : null];
  })));
  let boxes = await shown();
  assert.equal(boxes['list-panel'], null, 'the open conversation takes the list\'s place');
  assert.ok(boxes['conv-panel'].width >= 350 && boxes['side-panel'].top >= boxes['conv-panel'].bottom, JSON.stringify(boxes));
  await button(page, 'Close the conversation').click();
  await settled(page);
  boxes = await shown();
  assert.equal(boxes['conv-panel'], null, 'back to the list');
  assert.ok(boxes['list-panel'].width >= 350 && boxes['side-panel'].top >= boxes['list-panel'].bottom, JSON.stringify(boxes));
  assert.equal(boxes['list-panel'].left, boxes['side-panel'].left, 'one column');
});

test('a row\'s menu pins, mutes, marks read and deletes without opening the conversation', async (t) => {
  const page = await openDemo(t);
  await burst(page);
  const truth = await serviceList(page);
  const target = truth.find((c) => c.unreadCount > 0 && !c.stickTop && !c.mute);
  const row = () => page.locator('#list .row:not(.loader)').filter({ has: page.locator('.row-name', { hasText: new RegExp(`^${target.name}$`) }) }).first();
  const conv = () => page.evaluate((id) => globalThis.demo.service.getConversation(id), target.conversationId);
  const menu = async (item) => {
    await row().click({ button: 'right' });
    await page.getByRole('menu', { name: 'Conversation actions' }).waitFor();
    await page.getByRole('menuitem', { name: item, exact: true }).click();
  };
  await menu('Pin to top');
  await page.waitForFunction((id) => globalThis.demo.service.getConversation(id).then((c) => c.stickTop), target.conversationId);
  assert.ok(await page.locator('#conv-none').isVisible(), 'the conversation was not opened');
  await menu('Mute');
  await page.waitForFunction((id) => globalThis.demo.service.getConversation(id).then((c) => c.mute), target.conversationId);
  await menu('Mark read');
  await page.waitForFunction((id) => globalThis.demo.service.getConversation(id).then((c) => c.unreadCount === 0), target.conversationId);
  assert.equal((await conv()).stickTop, true);
  // From the keyboard: the focused row, Shift+F10, Escape closes.
  await page.locator('#list').focus();
  await page.keyboard.press('Home');
  await page.keyboard.press('Shift+F10');
  await page.getByRole('menu', { name: 'Conversation actions' }).waitFor();
  await page.keyboard.press('Escape');
  assert.equal(await page.locator('#row-menu').isHidden(), true);
  // Delete with its messages asks first.
  await row().click({ button: 'right' });
  await page.getByRole('menuitem', { name: 'Delete and clear messages', exact: true }).click();
  await page.getByRole('menuitem', { name: 'Delete it and its messages? Choose again', exact: true }).click();
  await page.waitForFunction((id) => globalThis.demo.service.getConversation(id).then(() => false, (e) => e.code === 191004), target.conversationId);
  await settled(page);
  assert.ok(!(await rows(page)).some((r) => r.id === target.conversationId));
});
