//go:build js && wasm

package idb

import (
	"context"
	"sync/atomic"
	"syscall/js"

	goidb "github.com/hack-pad/go-indexeddb/idb"
)

// DB is one connection to a database (Open).
type DB struct {
	db      *goidb.Database
	raw     js.Value // the same connection's IDBDatabase, for its events
	version int
	funcs   []js.Func
	closed  atomic.Bool
}

// newDB listens for the connection's close from outside, which go-indexeddb
// does not pass on: versionchange (it closes the connection itself on one,
// and tells nobody) and close (the browser closed it).
func newDB(db *goidb.Database, raw js.Value, version int, lost func(versionChange bool)) *DB {
	d := &DB{db: db, raw: raw, version: version}
	onVersionChange := js.FuncOf(func(js.Value, []js.Value) any {
		lost(true)
		return nil
	})
	onClose := js.FuncOf(func(js.Value, []js.Value) any {
		lost(false)
		return nil
	})
	d.funcs = []js.Func{onVersionChange, onClose}
	raw.Set("onversionchange", onVersionChange)
	raw.Set("onclose", onClose)
	return d
}

// Version is the database's version, as opened.
func (d *DB) Version() int { return d.version }

// Close closes the connection; transactions under way finish first. It
// never blocks, so a JS event handler (lost) may call it.
func (d *DB) Close() {
	if d.closed.Swap(true) {
		return
	}
	_ = d.db.Close()
	_ = catch(func() {
		d.raw.Set("onversionchange", js.Null())
		d.raw.Set("onclose", js.Null())
	})
	for _, f := range d.funcs { // allowed while one of them runs
		f.Release()
	}
}

// Mode is a transaction's mode.
type Mode int

const (
	ReadOnly Mode = iota
	ReadWrite
)

// Begin starts a transaction on the stores of scope. ctx ends its waits.
func (d *DB) Begin(ctx context.Context, mode Mode, scope ...string) (*Tx, error) {
	m := goidb.TransactionReadOnly
	if mode == ReadWrite {
		m = goidb.TransactionReadWrite
	}
	t, err := d.db.Transaction(m, scope[0], scope[1:]...)
	if err != nil {
		return nil, err
	}
	return begin(ctx, t), nil
}
