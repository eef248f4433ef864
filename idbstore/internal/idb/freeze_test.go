//go:build js && wasm

package idb

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/require"
)

// AbortAll aborts an open transaction, whose requests and end then tell why
// and whose writes are not stored, and leaves one already committing to
// commit.
func TestAbortAllAbortsOpenTransactionsOnly(t *testing.T) {
	db := openTest(t)
	write(t, db, map[string]any{"k": "a", "v": 1})
	why := errors.New("the page is frozen")

	open, err := db.Begin(ctx, ReadWrite, "s")
	require.NoError(t, err)
	require.NoError(t, open.Put("s", nil, map[string]any{"k": "c", "v": 3}))
	pending, err := open.Fetch("s", "a")
	require.NoError(t, err)

	committing, err := db.Begin(ctx, ReadWrite, "s")
	require.NoError(t, err)
	require.NoError(t, committing.Put("s", nil, map[string]any{"k": "d", "v": 4}))
	committing.Commit()

	require.GreaterOrEqual(t, AbortAll(why), 1)
	_, err = pending.Value()
	require.ErrorIs(t, err, why)
	require.ErrorIs(t, open.Wait(), why)
	require.NoError(t, committing.Wait())

	read, err := db.Begin(ctx, ReadOnly, "s")
	require.NoError(t, err)
	c, err := read.Get("s", "c")
	require.NoError(t, err)
	require.True(t, c.Missing(), "the aborted transaction's write is not stored")
	d, err := read.Get("s", "d")
	require.NoError(t, err)
	require.False(t, d.Missing(), "the committing transaction's write is stored")
	require.NoError(t, read.Wait())
}
