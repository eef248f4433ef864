// One database belongs to one account, and what the database holds is
// believed only when it checks out. Two accounts opened on one dbName, one
// after the other or at once, in the page and in the SharedWorker placement:
// the second is refused with 191004 naming the option, and never sees, counts
// or changes the first's data. A snapshot with one flipped bit is ignored and
// the records are loaded instead.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useBrowser, uniqueName } from './harness.mjs';
import { openService, msg } from './client.mjs';

const env = useBrowser();
const T = 1_700_000_000_000;

// openResult opens a service in the page and reports how open() went.
const openResult = (page, name, options) => page.evaluate(async ([n, o]) => {
  try {
    await globalThis.kit.open(n, o);
    return { ok: true };
  } catch (e) {
    return { error: globalThis.kit.err(e) };
  }
}, [name, options]);

function assertRefused(r, what) {
  assert.ok(r.error, `${what}: open() resolved; it must refuse another account's database`);
  assert.equal(r.error.isLocalConvError, true, what);
  assert.equal(r.error.code, 191004, `${what}: ${r.error.message}`);
  assert.match(r.error.message, /options\.dbName/, `${what}: the message names the option`);
  assert.match(r.error.message, /another account/, what);
}

// aliceHasData opens alice on dbName, gives her two unread messages with text
// and returns her client.
async function aliceHasData(page, dbName, placement) {
  const alice = await openService(page, { accountId: uniqueName('alice'), dbName, placement }, 'alice');
  await alice.ok('applyMessages', [msg(alice.p2p('carol'), 'm1', 'carol', T + 1, { text: 'secret 1' }), msg(alice.p2p('dave'), 'm2', 'dave', T + 2, { text: 'secret 2' })]);
  return alice;
}

for (const placement of ['page', 'sharedWorker']) {
  test(`${placement}: a second account on the same dbName, one after the other, is refused and sees nothing`, async (t) => {
    const page = await env.isolatedPage(t);
    const dbName = uniqueName('shared-db');
    const alice = await aliceHasData(page, dbName, placement);
    const mallory = uniqueName('mallory');
    // While alice is open, and after she closed.
    assertRefused(await openResult(page, 'mallory', { accountId: mallory, dbName, placement }), 'while alice is open');
    await alice.ok('close');
    assertRefused(await openResult(page, 'mallory2', { accountId: mallory, dbName, placement }), 'after alice closed');
    // Alice's data is whole: mallory changed nothing.
    const again = await openService(page, { accountId: alice.accountId, dbName, placement }, 'alice2');
    const snap = await again.snapshot();
    assert.equal(snap.total, 2);
    assert.deepEqual(snap.list.map((c) => c.lastMessage.text).sort(), ['secret 1', 'secret 2']);
    // Mallory with his own database works, and sees none of alice's.
    const own = await openService(page, { accountId: mallory, placement }, 'mallory3');
    assert.deepEqual((await own.snapshot()).list, []);
    assert.equal(await own.value('getTotalUnreadCount'), 0);
  });

  test(`${placement}: two accounts opening one new dbName at once: one owns it, the other is refused`, async (t) => {
    const context = await env.context(t);
    const [p1, p2] = [await env.page(t, context), await env.page(t, context)];
    const dbName = uniqueName('race-db');
    const [a, b] = [uniqueName('alice'), uniqueName('mallory')];
    const [ra, rb] = await Promise.all([
      openResult(p1, 'a', { accountId: a, dbName, placement }),
      openResult(p2, 'b', { accountId: b, dbName, placement }),
    ]);
    assert.equal([ra, rb].filter((r) => r.ok).length, 1, `exactly one opened: ${JSON.stringify([ra, rb])}`);
    const [winner, loser, winnerPage] = ra.ok ? ['a', rb, p1] : ['b', ra, p2];
    assertRefused(loser, 'the second account');
    // The winner writes; a reload of it reads its own data only.
    const acc = winner === 'a' ? a : b;
    await winnerPage.evaluate(([n, m]) => globalThis.kit.services[n].applyMessages([m]), [winner, msg(`${acc}|1|x`, 'm1', 'x', T)]);
    assert.equal(await winnerPage.evaluate((n) => globalThis.kit.services[n].getTotalUnreadCount(), winner), 1);
  });
}

test('a snapshot with a flipped bit is not believed: the records are loaded instead', async (t) => {
  const context = await env.context(t);
  const page = await env.page(t, context);
  const acc = uniqueName('snap');
  const dbName = `localconv-${acc}`;
  const s = await openService(page, { accountId: acc });
  // Enough records written for the service to write a snapshot.
  for (let k = 0; k < 3; k++) {
    const batch = Array.from({ length: 500 }, (_, i) => msg(s.p2p(`p${k}x${i}`), `m${k}x${i}`, `p${k}x${i}`, T + 1000 * k + i, { text: `text ${k}/${i}` }));
    await s.ok('applyMessages', batch);
  }
  const before = await s.snapshot();
  await s.ok('close');
  // Flip one bit in the middle of the stored snapshot.
  const flipped = await page.evaluate((name) => new Promise((resolve, reject) => {
    const req = indexedDB.open(name);
    req.onerror = () => reject(req.error);
    req.onsuccess = () => {
      const db = req.result;
      const tx = db.transaction('meta', 'readwrite');
      const get = tx.objectStore('meta').get('snapshot');
      get.onsuccess = () => {
        const v = get.result;
        // One chunk is `bytes`; a longer list has `chunks`: damage the first.
        const stored = v?.bytes ?? v?.chunks?.[0];
        if (!stored) { resolve({ none: true }); return; }
        const bytes = new Uint8Array(stored);
        const at = bytes.length >> 1;
        bytes[at] ^= 0x04;
        const damaged = v.bytes ? { ...v, bytes } : { ...v, chunks: [bytes, ...v.chunks.slice(1)] };
        tx.objectStore('meta').put(damaged, 'snapshot');
        tx.oncomplete = () => { db.close(); resolve({ size: bytes.length, at }); };
      };
    };
  }), dbName);
  assert.ok(!flipped.none, 'the service wrote a snapshot of its 1,500 conversations');
  const again = await openService(page, { accountId: acc }, 'again');
  assert.deepEqual(await again.snapshot(), before, 'the list as it was, read from the records');
});
