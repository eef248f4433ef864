//go:build js && wasm

package idbstore

import (
	"context"
	"fmt"
	"math"
	"sync"
	"syscall/js"

	"github.com/hack-pad/go-indexeddb/idb"

	"github.com/localconv/localconv/core"
	"github.com/localconv/localconv/internal/jsonx"
)

// transaction is a core.Tx on one go-indexeddb transaction. Its methods issue
// requests and wait only for those, so the transaction stays alive (docs/design.md,
// "Transaction lifetime"). Writes are not awaited: requests run in order, so
// later reads see them, and a failed write aborts the transaction, which
// Update reports. Batches go through raw, the same transaction as IndexedDB's
// own object (bulk.go).
type transaction struct {
	ctx context.Context
	t   *idb.Transaction
	s   *Store
	raw js.Value
	// stores caches raw's object stores.
	stores map[string]js.Value

	seq uint64
	// wroteConversations: the commit is news for other connections.
	wroteConversations bool
	// conversationsPut and snapshotLive (-1: none written) feed SnapshotDue.
	conversationsPut int
	snapshotLive     int
}

// begin reads the change sequence with a cursor rather than a get: the
// cursor's source is the transaction's meta store as IndexedDB's own object,
// which go-indexeddb does not otherwise give out, and through it the
// transaction itself, for the batch requests. Every database has the "seq"
// record (see ensureSeq).
func (x *transaction) begin() error {
	meta, err := x.t.ObjectStore(storeMeta)
	if err != nil {
		return err
	}
	req, err := meta.OpenCursorKey(js.ValueOf(metaSeq), idb.CursorNext)
	if err != nil {
		return err
	}
	cursor, err := req.Request.Await(x.ctx)
	if err != nil {
		return err
	}
	if cursor.Type() != js.TypeObject {
		return fmt.Errorf("the database has no change sequence record (meta %q)", metaSeq)
	}
	if x.seq, err = seqFromJS(cursor.Get("value")); err != nil {
		return err
	}
	x.raw = cursor.Get("source").Get("transaction")
	x.stores = map[string]js.Value{}
	return nil
}

func (x *transaction) store(name string) js.Value {
	st, ok := x.stores[name]
	if !ok {
		st = x.raw.Call("objectStore", name)
		x.stores[name] = st
	}
	return st
}

func (x *transaction) Seq() (uint64, error) { return x.seq, nil }

func (x *transaction) SetSeq(seq uint64) error {
	if !seqInJS(seq) {
		return fmt.Errorf("change sequence %d is beyond what a JS number holds exactly", seq)
	}
	// A change makes the first page stale (the wrapper serves it only at its
	// seq), and it may hold what the change took away, a revoked text: it
	// goes with every change, until a close or a snapshot writes it again.
	if err := catchJS(func() {
		meta := x.store(storeMeta)
		meta.Call("put", float64(seq), metaSeq)
		meta.Call("delete", metaFirstPage)
	}); err != nil {
		return err
	}
	x.seq = seq
	x.wroteConversations = true
	return nil
}

func (x *transaction) ConversationsChangedSince(seq uint64) ([]*core.ConversationRecord, error) {
	var req js.Value
	if err := catchJS(func() {
		req = x.store(storeConversations).Call("index", indexChange).Call("getAll",
			js.Global().Get("IDBKeyRange").Call("lowerBound", float64(seq), true))
	}); err != nil {
		return nil, err
	}
	values, err := resultJSON(x.ctx, req)
	if err != nil {
		return nil, err
	}
	return dropNil(x.s.conversationsFromJSON(values, nil)), nil
}

func (x *transaction) GetConversations(ids []string) ([]*core.ConversationRecord, error) {
	values, err := x.getEach(storeConversations, len(ids), func(b []byte, i int) []byte {
		return jsonx.AppendString(b, ids[i])
	})
	if err != nil || values == nil {
		return nil, err
	}
	return x.s.conversationsFromJSON(values, ids), nil
}

// getEach gets n values from a store, the key of each written by key, in
// one batch (bulk.go).
func (x *transaction) getEach(store string, n int, key func(b []byte, i int) []byte) ([]any, error) {
	if n == 0 {
		return nil, nil
	}
	reqs, err := issueEach(x.store(store), "get", n, key)
	if err != nil {
		return nil, err
	}
	return resultsJSON(x.ctx, reqs)
}

func (x *transaction) PutConversations(recs []*core.ConversationRecord) error {
	if len(recs) == 0 {
		return nil
	}
	for _, r := range recs {
		if !exactInJS(r.SortOrder) || !seqInJS(r.Seq) {
			return fmt.Errorf("conversation %q: sortOrder %d or seq %d is beyond what a JS number holds exactly", r.ConversationID, r.SortOrder, r.Seq)
		}
	}
	if _, err := issueEach(x.store(storeConversations), "put", len(recs), func(b []byte, i int) []byte {
		return conversationValueJSON(b, recs[i])
	}); err != nil {
		return fmt.Errorf("storing conversations: %w", err)
	}
	x.wroteConversations = true
	x.conversationsPut += len(recs)
	return nil
}

func (x *transaction) GetMessages(keys []core.MessageKey) ([]*core.MessageRecord, error) {
	values, err := x.getEach(storeMessages, len(keys), func(b []byte, i int) []byte {
		return appendMessageKey(b, keys[i])
	})
	if err != nil || values == nil {
		return nil, err
	}
	return x.s.messagesFromJSON(values, keys), nil
}

// AddMessages issues one add per message: a key that is stored already
// fails its add with a ConstraintError, which ignoreDuplicate cancels, so the
// transaction goes on and the stored message stays as it was. The requests
// complete in order, so when a last request issued after them (a count)
// succeeds, each add's error tells whether it stored its message.
func (x *transaction) AddMessages(recs []*core.MessageRecord) ([]bool, error) {
	if len(recs) == 0 {
		return nil, nil
	}
	st := x.store(storeMessages)
	reqs, err := issueEach(st, "add", len(recs), func(b []byte, i int) []byte {
		return messageValueJSON(b, recs[i])
	})
	if err != nil {
		return nil, fmt.Errorf("storing messages: %w", err)
	}
	var last js.Value
	var errorsText string
	err = catchJS(func() {
		for i := range recs {
			reqs.Index(i).Set("onerror", ignoreDuplicate())
		}
		last = st.Call("count", js.Global().Get("IDBKeyRange").Call("only", keyArray(recs[0].ConversationID, recs[0].MessageClientID)))
	})
	if err != nil {
		return nil, fmt.Errorf("storing messages: %w", err)
	}
	if _, err := awaitRequest(x.ctx, last); err != nil {
		return nil, fmt.Errorf("storing messages: %w", err)
	}
	// A DOMException is "{}" in JSON, no error null.
	if err := catchJS(func() {
		errorsText = jsJSON.Call("stringify", arrayMap.Call("call", reqs, fnCall, requestError())).String()
	}); err != nil {
		return nil, err
	}
	errs, err := parseArray(errorsText)
	if err != nil {
		return nil, err
	}
	added := make([]bool, len(recs))
	for i, e := range errs {
		added[i] = e == nil
	}
	return added, nil
}

// ignoreDuplicate is an add request's error handler: a ConstraintError (the
// key is stored) neither aborts the transaction nor reaches its error
// listeners; any other error does both, as always.
var ignoreDuplicate = sync.OnceValue(func() js.Value {
	return js.FuncOf(func(_ js.Value, args []js.Value) any {
		e := args[0]
		if err := e.Get("target").Get("error"); err.Truthy() && err.Get("name").String() == "ConstraintError" {
			e.Call("preventDefault")
			e.Call("stopPropagation")
		}
		return nil
	}).Value
})

func appendMessageKey(b []byte, k core.MessageKey) []byte {
	b = append(b, '[')
	b = jsonx.AppendString(b, k.ConversationID)
	b = append(b, ',')
	b = jsonx.AppendString(b, k.MessageClientID)
	return append(b, ']')
}

func (x *transaction) PutMessages(recs []*core.MessageRecord) error {
	if len(recs) == 0 {
		return nil
	}
	if _, err := issueEach(x.store(storeMessages), "put", len(recs), func(b []byte, i int) []byte {
		return messageValueJSON(b, recs[i])
	}); err != nil {
		return fmt.Errorf("storing messages: %w", err)
	}
	return nil
}

func (x *transaction) MessagesAfter(conversationID string, t int64) ([]*core.MessageRecord, error) {
	lower := []any{conversationID, float64(t)}
	if t == -1 {
		lower = []any{conversationID, math.Inf(-1)}
	}
	var req js.Value
	if err := catchJS(func() {
		r := js.Global().Get("IDBKeyRange").Call("bound", lower, []any{conversationID, []any{}}, t != -1, true)
		req = x.store(storeMessages).Call("index", indexTime).Call("getAll", r)
	}); err != nil {
		return nil, err
	}
	values, err := resultJSON(x.ctx, req)
	if err != nil {
		return nil, err
	}
	return dropNil(x.s.messagesFromJSON(values, nil)), nil
}

// conversationEnd is above every [conversationID, createTime] key of the
// conversation and below the next conversation's: arrays sort above numbers.
func conversationEnd(conversationID string) js.Value {
	return keyArray(conversationID, []any{})
}

func (x *transaction) NewestMessages(conversationID string, fn func(*core.MessageRecord) bool) error {
	msgs, err := x.t.ObjectStore(storeMessages)
	if err != nil {
		return err
	}
	index, err := msgs.Index(indexTime)
	if err != nil {
		return err
	}
	r, err := idb.NewKeyRangeBound(keyArray(conversationID, math.Inf(-1)), conversationEnd(conversationID), false, true)
	if err != nil {
		return err
	}
	req, err := index.OpenCursorRange(r, idb.CursorPrevious)
	if err != nil {
		return err
	}
	// The cursor calls back from a JS event handler, where nothing may block:
	// corrupt records are reported after it.
	type corrupt struct {
		key string
		err error
	}
	var bad []corrupt
	err = req.Iter(x.ctx, func(c *idb.CursorWithValue) error {
		v, err := c.Value()
		if err != nil {
			return err
		}
		m, err := messageFromValue(v)
		if err != nil {
			key, _ := c.PrimaryKey()
			bad = append(bad, corrupt{keyName(storeMessages, key), err})
			return nil
		}
		if !fn(m) {
			return idb.ErrCursorStopIter
		}
		return nil
	})
	for _, b := range bad {
		x.s.reportCorrupt(b.key, b.err)
	}
	return err
}
