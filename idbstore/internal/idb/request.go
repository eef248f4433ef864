//go:build js && wasm

package idb

import (
	"context"
	"syscall/js"

	goidb "github.com/hack-pad/go-indexeddb/idb"
)

// await waits for a go-indexeddb request and returns its result: the one way
// this package waits for a request. A raw request is waited for through the
// go-indexeddb request made right after it (batch.go): requests complete in
// the order they were made.
//
// A request's success event fires once, and go-indexeddb's Await listens for
// it: begun after it, Await would never end. So a request found done (it
// completed during the wait for a later one) is read at once. And Await
// returns no error when ctx ends first (it gives what it has: nothing), so
// ctx is asked after.
func await(ctx context.Context, r *goidb.Request) (js.Value, error) {
	if state, err := r.ReadyState(); err == nil && state == "done" {
		if err := r.Err(); err != nil {
			return js.Undefined(), err
		}
		return r.Result()
	}
	v, err := r.Await(ctx)
	if err != nil {
		return js.Undefined(), err
	}
	if err := ctx.Err(); err != nil {
		return js.Undefined(), err
	}
	return v, nil
}

// Pending is a request made and not yet waited for: several can be made
// before the first is waited for, so that the database works on them all,
// and waited for in any order.
type Pending struct {
	tx  *Tx
	req *goidb.Request // the request, or the one that follows raw ones
	// text and why read raw requests' results and error (batch.go: follow).
	text func() js.Value
	why  func() error
}

// Value waits for a go-indexeddb request (Fetch) and returns its result.
func (p *Pending) Value() (Value, error) {
	v, err := await(p.tx.ctx, p.req)
	return Value{v}, p.tx.failed(err)
}

// Fetch makes a get of the value at key in store.
func (tx *Tx) Fetch(store string, key any) (*Pending, error) {
	st, err := tx.t.ObjectStore(store)
	if err != nil {
		return nil, err
	}
	req, err := st.Get(toJS(key))
	if err != nil {
		return nil, err
	}
	return &Pending{tx: tx, req: req}, nil
}

// Get gets the value at key in store, missing if there is none.
func (tx *Tx) Get(store string, key any) (Value, error) {
	p, err := tx.Fetch(store, key)
	if err != nil {
		return Value{}, err
	}
	return p.Value()
}

// Put writes value at key in store (key nil: the store's key path names
// it). Writes are not waited for: later requests see them, and one that
// fails aborts the transaction, which Wait reports.
func (tx *Tx) Put(store string, key, value any) error {
	st, err := tx.t.ObjectStore(store)
	if err != nil {
		return err
	}
	if key == nil {
		_, err = st.Put(toJS(value))
	} else {
		_, err = st.PutKey(toJS(key), toJS(value))
	}
	return err
}

// Add is Put for a key that holds nothing yet: one that does fails the
// transaction (with a ConstraintError).
func (tx *Tx) Add(store string, key, value any) error {
	st, err := tx.t.ObjectStore(store)
	if err != nil {
		return err
	}
	if key == nil {
		_, err = st.Add(toJS(value))
	} else {
		_, err = st.AddKey(toJS(key), toJS(value))
	}
	return err
}

// Delete deletes the value at key in store, not waited for (as Put).
func (tx *Tx) Delete(store string, key any) error {
	st, err := tx.t.ObjectStore(store)
	if err != nil {
		return err
	}
	_, err = st.Delete(toJS(key))
	return err
}
