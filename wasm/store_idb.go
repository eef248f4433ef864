//go:build js && wasm

package main

import (
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
