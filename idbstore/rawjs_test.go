//go:build js && wasm

package idbstore

import (
	"syscall/js"
	"testing"

	"github.com/stretchr/testify/require"
)

// Helpers that reach the database around the Store, as another program (or
// a damaged disk) would.

// rawOpen opens a plain connection at the database's current version (or
// creates it empty at version 1). It has no versionchange handler: like a tab
// that never lets go.
func rawOpen(t *testing.T, name string) js.Value {
	t.Helper()
	db, err := awaitRequest(ctx, js.Global().Get("indexedDB").Call("open", name))
	require.NoError(t, err)
	return db
}

// rawPut writes value into store (with key, if not undefined) in a
// transaction of its own and waits until it committed.
func rawPut(t *testing.T, db js.Value, store string, value, key js.Value) {
	t.Helper()
	tx := db.Call("transaction", store, "readwrite")
	if key.IsUndefined() {
		tx.Call("objectStore", store).Call("put", value)
	} else {
		tx.Call("objectStore", store).Call("put", value, key)
	}
	require.NoError(t, <-awaitTransaction(tx))
}

func rawCount(t *testing.T, db js.Value, store, index string) int {
	t.Helper()
	src := db.Call("transaction", store, "readonly").Call("objectStore", store)
	if index != "" {
		src = src.Call("index", index)
	}
	n, err := awaitRequest(ctx, src.Call("count"))
	require.NoError(t, err)
	return n.Int()
}

// jsObj makes a JS object from a Go map.
func jsObj(props map[string]any) js.Value { return js.ValueOf(props) }

// rawGet reads one value in a transaction of its own.
func rawGet(t *testing.T, db js.Value, store string, key js.Value) js.Value {
	t.Helper()
	v, err := awaitRequest(ctx, db.Call("transaction", store, "readonly").Call("objectStore", store).Call("get", key))
	require.NoError(t, err)
	return v
}
