//go:build js && wasm

package idbstore

import (
	"context"
	"errors"
	"syscall/js"
	"testing"

	goidb "github.com/hack-pad/go-indexeddb/idb"
	"github.com/stretchr/testify/require"
)

// Helpers that reach the database around the Store, as another program (or
// a damaged disk) would: through go-indexeddb's own API, and raw JS where it
// cannot (a connection that never lets go, a Promise).

// rawOpen opens a go-indexeddb connection at the database's current version;
// like every go-indexeddb connection, it closes when another asks for a newer
// version or a deletion.
func rawOpen(t *testing.T, name string) *goidb.Database {
	t.Helper()
	f, err := goidb.WrapFactory(js.Global().Get("indexedDB"))
	require.NoError(t, err)
	req, err := f.Open(ctx, name, 0, func(*goidb.Database, uint, uint) error { return nil })
	require.NoError(t, err)
	db, err := req.Await(ctx)
	require.NoError(t, err)
	t.Cleanup(func() { _ = db.Close() })
	return db
}

// rawPut writes value into store (with key, if not undefined) in a
// transaction of its own and waits until it committed.
func rawPut(t *testing.T, db *goidb.Database, store string, value, key js.Value) {
	t.Helper()
	tx, err := db.Transaction(goidb.TransactionReadWrite, store)
	require.NoError(t, err)
	st, err := tx.ObjectStore(store)
	require.NoError(t, err)
	if key.IsUndefined() {
		_, err = st.Put(value)
	} else {
		_, err = st.PutKey(key, value)
	}
	require.NoError(t, err)
	require.NoError(t, tx.Await(ctx))
}

// rawCount counts the values of store, or of its index if index is not "".
func rawCount(t *testing.T, db *goidb.Database, store, index string) int {
	t.Helper()
	tx, err := db.Transaction(goidb.TransactionReadOnly, store)
	require.NoError(t, err)
	st, err := tx.ObjectStore(store)
	require.NoError(t, err)
	var req *goidb.UintRequest
	if index == "" {
		req, err = st.Count()
	} else {
		ix, ierr := st.Index(index)
		require.NoError(t, ierr)
		req, err = ix.Count()
	}
	require.NoError(t, err)
	n, err := req.Await(ctx)
	require.NoError(t, err)
	return int(n)
}

// rawGet reads one value in a transaction of its own.
func rawGet(t *testing.T, db *goidb.Database, store string, key js.Value) js.Value {
	t.Helper()
	tx, err := db.Transaction(goidb.TransactionReadOnly, store)
	require.NoError(t, err)
	st, err := tx.ObjectStore(store)
	require.NoError(t, err)
	req, err := st.Get(key)
	require.NoError(t, err)
	v, err := req.Await(ctx)
	require.NoError(t, err)
	return v
}

// jsObj makes a JS object from a Go map.
func jsObj(props map[string]any) js.Value { return js.ValueOf(props) }

// bytesToJS copies b into a new Uint8Array.
func bytesToJS(b []byte) js.Value {
	a := js.Global().Get("Uint8Array").New(len(b))
	js.CopyBytesToJS(a, b)
	return a
}

// jsOpen opens the database raw at version (0: as it is), calling upgrade
// in its upgradeneeded event: a connection with no versionchange handler,
// like a tab that never lets go.
func jsOpen(t *testing.T, name string, version int, upgrade func(db js.Value)) js.Value {
	t.Helper()
	var req js.Value
	if version == 0 {
		req = js.Global().Get("indexedDB").Call("open", name)
	} else {
		req = js.Global().Get("indexedDB").Call("open", name, version)
	}
	done := make(chan error, 1)
	onUpgrade := js.FuncOf(func(js.Value, []js.Value) any {
		if upgrade != nil {
			upgrade(req.Get("result"))
		}
		return nil
	})
	onSuccess := js.FuncOf(func(js.Value, []js.Value) any { done <- nil; return nil })
	onError := js.FuncOf(func(js.Value, []js.Value) any {
		done <- errors.New(req.Get("error").Get("name").String())
		return nil
	})
	defer func() { onUpgrade.Release(); onSuccess.Release(); onError.Release() }()
	req.Set("onupgradeneeded", onUpgrade)
	req.Set("onsuccess", onSuccess)
	req.Set("onerror", onError)
	require.NoError(t, <-done)
	return req.Get("result")
}

// awaitPromise waits for a JS Promise.
func awaitPromise(ctx context.Context, p js.Value) (js.Value, error) {
	type outcome struct {
		v   js.Value
		err error
	}
	done := make(chan outcome, 1)
	onResolve := js.FuncOf(func(_ js.Value, args []js.Value) any {
		done <- outcome{v: args[0]}
		return nil
	})
	onReject := js.FuncOf(func(_ js.Value, args []js.Value) any {
		done <- outcome{err: errors.New(js.Global().Call("String", args[0]).String())}
		return nil
	})
	p.Call("then", onResolve, onReject)
	select {
	case o := <-done:
		onResolve.Release()
		onReject.Release()
		return o.v, o.err
	case <-ctx.Done():
		return js.Undefined(), ctx.Err()
	}
}
