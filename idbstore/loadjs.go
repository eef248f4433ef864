//go:build js && wasm

package idbstore

import (
	"sync"
	"sync/atomic"
	"syscall/js"
)

// loadJS is the body of load(db, firstCount), the bulk read path's JS half.
// In one read-only transaction it reads the change sequence, the top
// firstCount conversations by a cursor down the bySortOrder index, then the
// rest by one getAll below where the cursor stopped, so no record comes twice.
// It packs each part into one Uint8Array (see Store.unpack) and returns
// {first, rest}: two Promises of {bytes, values} (first also has seq), so Go
// can decode the top while the rest is still being read.
const loadJS = `
const tx = db.transaction(["conversations", "meta"], "readonly");
const seqReq = tx.objectStore("meta").get("seq");
const index = tx.objectStore("conversations").index("bySortOrder");
const pack = (values) => {
	let size = 0;
	for (const v of values) size += 4 + (v && v.rec instanceof Uint8Array ? v.rec.length : 0);
	const bytes = new Uint8Array(size);
	const view = new DataView(bytes.buffer);
	let at = 0;
	for (const v of values) {
		const rec = v && v.rec instanceof Uint8Array ? v.rec : null;
		view.setUint32(at, rec ? rec.length : 0xffffffff, true);
		at += 4;
		if (rec) { bytes.set(rec, at); at += rec.length; }
	}
	return {bytes, values};
};
let fail;
const failed = new Promise((_, reject) => { fail = reject; });
tx.onabort = () => fail(tx.error || new DOMException("The load transaction was aborted.", "AbortError"));
let restDone;
const rest = new Promise((resolve) => { restDone = resolve; });
const first = new Promise((resolve) => {
	const top = [];
	const cursorReq = index.openCursor(null, "prev");
	cursorReq.onsuccess = () => {
		const cursor = cursorReq.result;
		if (cursor && top.length < firstCount) {
			top.push(cursor.value);
			cursor.continue();
			return;
		}
		resolve(Object.assign(pack(top), {seq: seqReq.result}));
		if (!cursor) {
			restDone(pack([]));
			return;
		}
		const restReq = index.getAll(IDBKeyRange.upperBound(cursor.key));
		restReq.onsuccess = () => restDone(pack(restReq.result));
	};
});
const out = {first: Promise.race([first, failed]), rest: Promise.race([rest, failed])};
out.rest.catch(() => {}); // Go may stop after first fails
return out;
`

// packedLoader returns the compiled helper, or false where the page's
// Content-Security-Policy forbids compiling JS from a string.
var packedLoader = sync.OnceValues(func() (js.Value, bool) {
	var fn js.Value
	err := catchJS(func() { fn = js.Global().Get("Function").New("db", "firstCount", loadJS) })
	return fn, err == nil
})

// forceLoadEach makes Load use loadEach, for tests.
var forceLoadEach atomic.Bool
