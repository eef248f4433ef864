//go:build js && wasm

package idb

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"syscall/js"

	goidb "github.com/hack-pad/go-indexeddb/idb"
)

// Tx is one transaction, from Begin to its end.
//
// IndexedDB commits a transaction once it has no request pending at the end
// of a task (docs/design.md, "Transaction lifetime"). So between Begin and
// Commit, wait on nothing but the transaction's own requests: every wait of
// this package's requests returns before control goes back to JS, so the
// code after it may issue more requests.
type Tx struct {
	ctx context.Context
	t   *goidb.Transaction

	end     chan error
	endOnce sync.Once
	endErr  error
	// abortedBy is why AbortAll aborted the transaction (freeze.go), nil
	// if it did not: an abort() without a failed request may end with no
	// error of its own, and must never read as a commit.
	abortedBy atomic.Pointer[error]

	// raw is the IDBTransaction go-indexeddb wraps, found by Anchor; the raw
	// requests (batch.go) need it. rawStores are its object stores, by name.
	raw       js.Value
	rawStores map[string]js.Value
}

func begin(ctx context.Context, t *goidb.Transaction) *Tx {
	tx := &Tx{ctx: ctx, t: t, end: make(chan error, 1)}
	live.add(tx)
	// Listen for the end before anything can end it. The goroutine runs
	// before control returns to JS, so no event is missed.
	go func() {
		err := t.Await(context.Background())
		live.remove(tx)
		tx.end <- err
	}()
	return tx
}

// Anchor reads the record at key in store with a cursor and returns its
// value, missing if there is none. go-indexeddb does not give out the
// IDBTransaction it wraps, and the raw requests need it: the cursor's source
// is the store as IndexedDB's own object, and through it the transaction.
// So a transaction that makes raw requests anchors first, on a record that
// exists (the store's change sequence).
func (tx *Tx) Anchor(store string, key any) (Value, error) {
	st, err := tx.t.ObjectStore(store)
	if err != nil {
		return Value{}, err
	}
	req, err := st.OpenCursorKey(toJS(key), goidb.CursorNext)
	if err != nil {
		return Value{}, err
	}
	cursor, err := await(tx.ctx, req.Request)
	if err != nil || cursor.Type() != js.TypeObject {
		return Value{}, tx.failed(err)
	}
	tx.raw = cursor.Get("source").Get("transaction")
	tx.rawStores = map[string]js.Value{}
	return Value{cursor.Get("value")}, nil
}

// rawStore is the raw object store called name.
func (tx *Tx) rawStore(name string) (js.Value, error) {
	if tx.raw.IsUndefined() {
		return js.Value{}, errors.New("a raw request in a transaction that did not anchor (Tx.Anchor)")
	}
	st, ok := tx.rawStores[name]
	if !ok {
		if err := catch(func() { st = tx.raw.Call("objectStore", name) }); err != nil {
			return js.Value{}, err
		}
		tx.rawStores[name] = st
	}
	return st, nil
}

// Abort aborts the transaction. It fails if the transaction is over already:
// committed, or aborted by a failed request.
func (tx *Tx) Abort() error { return tx.t.Abort() }

// Commit commits now rather than at the end of the task. It fails harmlessly
// if the transaction is over; Wait tells how it ended.
func (tx *Tx) Commit() { _ = tx.t.Commit() }

// Wait waits for the transaction's end and reports it: nil once it
// committed, else why it aborted (the first failed request's error, or the
// abort's own, such as a QuotaExceededError).
func (tx *Tx) Wait() error {
	tx.endOnce.Do(func() {
		tx.endErr = <-tx.end
		if why := tx.abortedBy.Load(); why != nil {
			if tx.endErr == nil {
				tx.endErr = *why
			} else {
				tx.endErr = fmt.Errorf("%w (%v)", *why, tx.endErr)
			}
		}
	})
	return tx.endErr
}
