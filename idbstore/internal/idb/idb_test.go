//go:build js && wasm

package idb

import (
	"context"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

var ctx = context.Background()

var dbCounter atomic.Int64

// openTest opens a database of the test's own with one store, "s" (key
// path "k", index "byV" on "v"), and deletes it when the test ends.
func openTest(t *testing.T) *DB {
	t.Helper()
	name := fmt.Sprintf("idb-test-%d-%s", dbCounter.Add(1), strings.ReplaceAll(t.Name(), "/", "-"))
	db, err := Open(ctx, name, Schema{
		Version: 1,
		Upgrade: func(u *Upgrade, _ int) error {
			u.CreateStore("s", "k")
			u.CreateIndex("s", "byV", "v")
			return u.Err()
		},
	}, 5*time.Second, func(bool) {})
	require.NoError(t, err)
	t.Cleanup(func() {
		db.Close()
		require.NoError(t, Delete(ctx, name, 5*time.Second))
	})
	return db
}

func write(t *testing.T, db *DB, values ...map[string]any) {
	t.Helper()
	tx, err := db.Begin(ctx, ReadWrite, "s")
	require.NoError(t, err)
	for _, v := range values {
		require.NoError(t, tx.Put("s", nil, v))
	}
	tx.Commit()
	require.NoError(t, tx.Wait())
}

// Requests made together may be waited for in any order: one that completed
// while an earlier wait went on is read at once, not waited for forever.
func TestPendingRequestsAreWaitedForInAnyOrder(t *testing.T) {
	db := openTest(t)
	write(t, db, map[string]any{"k": "a", "v": 1}, map[string]any{"k": "b", "v": 2})
	tx, err := db.Begin(ctx, ReadOnly, "s")
	require.NoError(t, err)
	a, err := tx.Fetch("s", "a")
	require.NoError(t, err)
	b, err := tx.Fetch("s", "b")
	require.NoError(t, err)
	vb, err := b.Value()
	require.NoError(t, err)
	va, err := a.Value()
	require.NoError(t, err)
	na, _ := va.Get("v").Number()
	nb, _ := vb.Get("v").Number()
	require.Equal(t, []float64{1, 2}, []float64{na, nb})
	missing, err := tx.Get("s", "nobody")
	require.NoError(t, err)
	require.True(t, missing.Missing())
}

// Raw requests are part of the go-indexeddb transaction, see its writes and
// are waited for through the request that follows them.
func TestRawRequestsShareTheTransaction(t *testing.T) {
	db := openTest(t)
	write(t, db, map[string]any{"k": "anchor", "v": 0})
	tx, err := db.Begin(ctx, ReadWrite, "s")
	require.NoError(t, err)
	_, err = tx.GetAll("s", "", Range{})
	require.ErrorContains(t, err, "did not anchor", "raw requests need the IDBTransaction")
	anchor, err := tx.Anchor("s", "anchor")
	require.NoError(t, err)
	require.False(t, anchor.Missing())
	require.NoError(t, tx.PutEach("s", 3, func(b []byte, i int) []byte {
		return fmt.Appendf(b, `{"k":"k%d","v":%d}`, i, 10+i)
	}))
	all, err := tx.GetAll("s", "byV", Above(10))
	require.NoError(t, err)
	text, err := jsonText(all)
	require.NoError(t, err)
	require.Equal(t, `[{"k":"k1","v":11},{"k":"k2","v":12}]`, text)
	each, err := tx.GetEach("s", 3, func(b []byte, i int) []byte { return fmt.Appendf(b, `"k%d"`, i+1) }, "v")
	require.NoError(t, err)
	text, err = jsonText(each)
	require.NoError(t, err)
	require.Equal(t, `[{"v":11},{"v":12},null]`, text, "only v read back; k3 is missing")
	require.NoError(t, tx.DeleteRange("s", Between("k1", "k2", false, false)))
	keys, err := tx.GetAllKeys("s", Range{}, 10)
	require.NoError(t, err)
	text, err = jsonText(keys)
	require.NoError(t, err)
	require.Equal(t, `["anchor","k0"]`, text)
	keys, err = tx.GetAllKeys("s", Above("anchor"), 1)
	require.NoError(t, err)
	text, err = jsonText(keys)
	require.NoError(t, err)
	require.Equal(t, `["k0"]`, text)
	tx.Commit()
	require.NoError(t, tx.Wait())
}

// jsonText is the JSON of p's results as a string, into a buffer of
// some bytes already, which it overwrites.
func jsonText(p *Pending) (string, error) {
	b, err := p.JSONInto([]byte("stale bytes that must not show"))
	return string(b), err
}

// A DOMException reads the same by name whether go-indexeddb or this
// package made it.
func TestErrorsMatchByName(t *testing.T) {
	db := openTest(t)
	write(t, db, map[string]any{"k": "a", "v": 1})
	tx, err := db.Begin(ctx, ReadWrite, "s")
	require.NoError(t, err)
	require.NoError(t, tx.Add("s", nil, map[string]any{"k": "a", "v": 2}))
	err = tx.Wait()
	require.True(t, IsName(err, "ConstraintError"), "go-indexeddb's: %v", err)

	err = catch(func() { jsJSON.Call("parse", "{") })
	require.True(t, IsName(err, "SyntaxError"), "a thrown exception: %v", err)
	require.False(t, IsName(err, "ConstraintError"))
}
