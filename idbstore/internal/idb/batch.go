//go:build js && wasm

package idb

import (
	"sync"
	"syscall/js"
	"unsafe"

	"github.com/localconv/localconv/internal/bufpool"
	"github.com/localconv/localconv/internal/jstext"
)

// The raw requests: what go-indexeddb has no API for, or costs a record too
// much through. It has no getAll (only getAllKeys), no getAllRecords, and
// makes each request with several syscall/js calls: about 60 µs a request,
// and building a value from Go some 50 µs more, most of a batch's time (see
// bench/README.md). So a batch costs a few JS calls however many records it
// holds, made with JS built-ins only (no JS of our own, so that a strict
// Content-Security-Policy is fine):
//
//	values  = JSON.parse(text)                        one call: every value
//	reqs    = values.map(Reflect.apply.bind(null, store.put, store))
//	                                                  one call: every put
//	results = reqs.map(Function.prototype.call, resultGetter)
//	text    = JSON.stringify(results)                 one call: every result
//
// where each element of values is an argument list ([value] for put, [key]
// for get) and resultGetter is IDBRequest.prototype's result getter. Raw
// requests are made on the IDBTransaction that Anchor found, so they are
// part of the transaction go-indexeddb runs.
var (
	jsJSON       = js.Global().Get("JSON")
	jsBoolean    = js.Global().Get("Boolean")
	arrayMap     = jsArray.Get("prototype").Get("map")
	arrayFind    = jsArray.Get("prototype").Get("find")
	fnCall       = js.Global().Get("Function").Get("prototype").Get("call")
	fnBind       = js.Global().Get("Function").Get("prototype").Get("bind")
	reflectApply = js.Global().Get("Reflect").Get("apply")
	// Looked up on first use: where there is no IndexedDB there are no
	// IDBRequest or IDBRecord either, and the module must still start.
	requestResult = sync.OnceValue(func() js.Value { return getter("IDBRequest", "result") })
	requestError  = sync.OnceValue(func() js.Value { return getter("IDBRequest", "error") })
	recordValue   = sync.OnceValue(func() js.Value { return getter("IDBRecord", "value") })
)

// getter is the getter of a property of a class's prototype.
func getter(class, property string) js.Value {
	return jsObject.Call("getOwnPropertyDescriptor", js.Global().Get(class).Get("prototype"), property).Get("get")
}

// issueBytes bounds the JSON text of one piece of a batch.
const issueBytes = 256 << 10

// issueEach calls target[method](...args) for n argument lists, list i
// written by item as the JSON of its arguments (without brackets), and
// returns the JS array of what each call returned. The lists reach JS as
// JSON texts of about issueBytes, built one after the other in one buffer, so
// that a batch of any size holds no more than that in Go at once.
func issueEach(target js.Value, method string, n int, item func(b []byte, i int) []byte) (reqs js.Value, err error) {
	buf := bufpool.Get() // a fresh one per batch grew by doubling each time
	b := *buf
	defer func() { *buf = b; bufpool.Put(buf) }()
	err = catch(func() {
		bound := fnBind.Call("call", reflectApply, js.Null(), target.Get(method), target)
		reqs = jsArray.New()
		for i := 0; i < n; {
			b = append(b[:0], '[')
			for first := i; i < n && (i == first || len(b) < issueBytes); i++ {
				if i > first {
					b = append(b, ',')
				}
				b = append(b, '[')
				b = item(b, i)
				b = append(b, ']')
			}
			b = append(b, ']')
			// JSON.parse copies the text into JS before b is written again.
			lists := jsJSON.Call("parse", unsafe.String(unsafe.SliceData(b), len(b)))
			reqs = reqs.Call("concat", arrayMap.Call("call", lists, bound))
		}
	})
	return reqs, err
}

// follow makes the go-indexeddb request that raw requests are waited for
// through: a count of a key no store holds, on the same store. It completes
// after them, so when it succeeded they did. text reads their results as
// JSON; why, if not nil, finds the error of the one that failed (and so
// aborted the transaction), which says more than the count's AbortError.
func (tx *Tx) follow(store string, text func() js.Value, why func() error) (*Pending, error) {
	st, err := tx.t.ObjectStore(store)
	if err != nil {
		return nil, err
	}
	marker, err := st.CountKey(js.ValueOf(-1))
	if err != nil {
		return nil, err
	}
	return &Pending{tx: tx, req: marker.Request, text: text, why: why}, nil
}

// JSONInto waits for raw requests (GetAll, GetLast, GetEach) and returns
// their results as one JSON array, in buf as UTF-8, grown if too small: a
// caller reuses its buffer (internal/bufpool).
func (p *Pending) JSONInto(buf []byte) ([]byte, error) {
	err := p.wait(func(v js.Value) { buf = jstext.Into(v, buf) })
	return buf, err
}

// wait waits for the raw requests and hands their results' JSON text, a JS
// string, to read.
func (p *Pending) wait(read func(js.Value)) error {
	if _, err := await(p.tx.ctx, p.req); err != nil {
		if p.why != nil && p.tx.ctx.Err() == nil {
			var why error
			if catch(func() { why = p.why() }) == nil && why != nil {
				return p.tx.failed(why)
			}
		}
		return p.tx.failed(err)
	}
	return catch(func() { read(p.text()) })
}

// firstError is the error of the first of reqs that failed, nil if none.
func firstError(reqs js.Value) error {
	return errorOf(arrayFind.Call("call", arrayMap.Call("call", reqs, fnCall, requestError()), jsBoolean))
}

// stringify is v's JSON. With only, the objects in it keep only those
// properties (JSON.stringify's replacer list, a built-in): a value's large
// properties that the reader does not need never become text.
func stringify(v js.Value, only []string) js.Value {
	if len(only) == 0 {
		return jsJSON.Call("stringify", v)
	}
	list := make([]any, len(only))
	for i, p := range only {
		list[i] = p
	}
	return jsJSON.Call("stringify", v, list)
}

// GetAll makes a getAll of store's values, through index if not "", over r;
// only, if given, names the properties read back (stringify).
func (tx *Tx) GetAll(store, index string, r Range, only ...string) (*Pending, error) {
	src, err := tx.rawStore(store)
	if err != nil {
		return nil, err
	}
	var req js.Value
	err = catch(func() {
		if index != "" {
			src = src.Call("index", index)
		}
		if kr := r.raw(); kr.IsUndefined() {
			req = src.Call("getAll")
		} else {
			req = src.Call("getAll", kr)
		}
	})
	if err != nil {
		return nil, err
	}
	return tx.followOne(store, req, only)
}

// followOne is follow for one raw request: its result as JSON (only as
// stringify's), its error if it failed.
func (tx *Tx) followOne(store string, req js.Value, only []string) (*Pending, error) {
	return tx.follow(store,
		func() js.Value { return stringify(req.Get("result"), only) },
		func() error { return errorOf(req.Get("error")) })
}

// GetAllKeys makes a getAllKeys of store's first n primary keys over r.
func (tx *Tx) GetAllKeys(store string, r Range, n int) (*Pending, error) {
	src, err := tx.rawStore(store)
	if err != nil {
		return nil, err
	}
	var req js.Value
	err = catch(func() { req = src.Call("getAllKeys", r.raw(), n) })
	if err != nil {
		return nil, err
	}
	return tx.followOne(store, req, nil)
}

// DeleteEach makes n deletes in store, the key of delete i written by key
// as JSON, not waited for (as Put).
func (tx *Tx) DeleteEach(store string, n int, key func(b []byte, i int) []byte) error {
	return tx.writeEach(store, "delete", n, key)
}

// writeEach makes n calls of method (put, delete) on store, the arguments
// of call i written by item as JSON, not waited for.
func (tx *Tx) writeEach(store, method string, n int, item func(b []byte, i int) []byte) error {
	st, err := tx.rawStore(store)
	if err != nil {
		return err
	}
	_, err = issueEach(st, method, n, item)
	return err
}

// DeleteRange deletes every value of store whose key is in r, not waited
// for (as Put).
func (tx *Tx) DeleteRange(store string, r Range) error {
	src, err := tx.rawStore(store)
	if err != nil {
		return err
	}
	return catch(func() { src.Call("delete", r.raw()) })
}

// GetLast makes a read of the n values of the index with the highest keys,
// highest first, with getAllRecords (IndexedDB 3.0). ok is false where the
// browser has none: then there is no fast way, and the caller reads them
// with the rest.
func (tx *Tx) GetLast(store, index string, n int, only ...string) (p *Pending, ok bool, err error) {
	src, err := tx.rawStore(store)
	if err != nil {
		return nil, false, err
	}
	var req js.Value
	err = catch(func() {
		ix := src.Call("index", index)
		if ix.Get("getAllRecords").Type() == js.TypeFunction {
			req = ix.Call("getAllRecords", map[string]any{"direction": "prev", "count": n})
		}
	})
	if err != nil || req.IsUndefined() {
		return nil, false, err
	}
	// An IDBRecord keeps its value behind a getter, which JSON.stringify does
	// not see: the values are taken out first.
	p, err = tx.follow(store,
		func() js.Value {
			return stringify(arrayMap.Call("call", req.Get("result"), fnCall, recordValue()), only)
		},
		func() error { return errorOf(req.Get("error")) })
	return p, err == nil, err
}

// GetEach makes n gets in store, the key of get i written by key as JSON;
// only as GetAll's.
func (tx *Tx) GetEach(store string, n int, key func(b []byte, i int) []byte, only ...string) (*Pending, error) {
	st, err := tx.rawStore(store)
	if err != nil {
		return nil, err
	}
	reqs, err := issueEach(st, "get", n, key)
	if err != nil {
		return nil, err
	}
	return tx.follow(store,
		func() js.Value { return stringify(arrayMap.Call("call", reqs, fnCall, requestResult()), only) },
		func() error { return firstError(reqs) })
}

// PutEach makes n puts in store, value i written by value as JSON. They are
// not waited for, as Put.
func (tx *Tx) PutEach(store string, n int, value func(b []byte, i int) []byte) error {
	return tx.writeEach(store, "put", n, value)
}
