//go:build js && wasm

package main

import (
	"syscall/js"

	"github.com/localconv/localconv/core"
	"github.com/localconv/localconv/idbstore"
)

// openIndexedDB returns the IndexedDB store of the account's database. It
// opens lazily: if IndexedDB is missing or refuses, the sync fails and the
// service carries on in memory.
func openIndexedDB(opts openOptions, lost func(reason string)) (core.Store, error) {
	return idbstore.New(opts.DBName, idbstore.Options{
		Account: opts.AccountID,
		OnConnectionLost: func(err error) {
			lost("the database connection was lost (" + err.Error() + ")")
		},
	}), nil
}

// jsAbortTransactions is abortTransactions() → how many IndexedDB
// transactions it aborted: every one still open, of every service of this
// module. js/bfcache.js calls it when the page goes into the back/forward
// cache (idbstore.AbortTransactions says why).
func jsAbortTransactions(js.Value, []js.Value) any { return idbstore.AbortTransactions() }
