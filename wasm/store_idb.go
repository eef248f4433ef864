//go:build js && wasm

package main

import "github.com/localconv/localconv/core"

// openIndexedDB is replaced by the idbstore wiring.
func openIndexedDB(opts openOptions) (core.Store, error) {
	return core.NewMemStore(), nil
}
