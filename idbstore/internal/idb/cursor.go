//go:build js && wasm

package idb

import (
	goidb "github.com/hack-pad/go-indexeddb/idb"
)

// Iterate walks store's records, through index if not "", over r, from the
// highest key down if reverse, calling fn with each one's primary key and
// value until fn returns false. fn runs inside the cursor's JS event
// handler: it must not block. A cursor costs a Go–JS round trip a record,
// so it suits reads that stop early (the newest messages).
func (tx *Tx) Iterate(store, index string, r Range, reverse bool, fn func(key, value Value) bool) error {
	st, err := tx.t.ObjectStore(store)
	if err != nil {
		return err
	}
	kr, err := r.wrapped()
	if err != nil {
		return err
	}
	dir := goidb.CursorNext
	if reverse {
		dir = goidb.CursorPrevious
	}
	var req *goidb.CursorWithValueRequest
	switch {
	case index != "":
		ix, err := st.Index(index)
		if err != nil {
			return err
		}
		if kr == nil {
			req, err = ix.OpenCursor(dir)
		} else {
			req, err = ix.OpenCursorRange(kr, dir)
		}
		if err != nil {
			return err
		}
	case kr == nil:
		req, err = st.OpenCursor(dir)
	default:
		req, err = st.OpenCursorRange(kr, dir)
	}
	if err != nil {
		return err
	}
	err = req.Iter(tx.ctx, func(c *goidb.CursorWithValue) error {
		v, err := c.Value()
		if err != nil {
			return err
		}
		key, err := c.PrimaryKey()
		if err != nil {
			return err
		}
		if !fn(Value{key}, Value{v}) {
			return goidb.ErrCursorStopIter
		}
		return nil
	})
	if err != nil {
		return tx.failed(err)
	}
	// As Await, Iter says nothing when ctx ends first.
	return tx.ctx.Err()
}
