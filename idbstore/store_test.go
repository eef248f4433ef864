//go:build js && wasm

package idbstore

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/localconv/localconv/core"
	"github.com/localconv/localconv/core/storetest"
)

func TestStoreContract(t *testing.T) {
	storetest.Run(t, func(t *testing.T) func() core.Store {
		name := freshName(t)
		return func() core.Store { return New(name, Options{}) }
	})
}

// The same contract when Load reads a snapshot and the records written
// since: a snapshot is written after every other Update.
func TestStoreContractWithSnapshots(t *testing.T) {
	storetest.Run(t, func(t *testing.T) func() core.Store {
		name := freshName(t)
		return func() core.Store { return &snapshotting{Store: New(name, Options{})} }
	})
}

// snapshotting is a core.Store but not a core.SnapshotStore: its snapshots
// are its own, so the contract's snapshot part (which asks SnapshotDue) is
// not run on it; TestStoreContract runs it.
type snapshotting struct {
	core.Store
	updates int
}

func (s *snapshotting) Update(ctx context.Context, fn func(core.Tx) error) error {
	if err := s.Store.Update(ctx, fn); err != nil {
		return err
	}
	if s.updates++; s.updates%2 == 0 {
		return nil
	}
	return s.Store.Update(ctx, writeSnapshotFromRecords(s.Store))
}

// writeSnapshotFromRecords writes a snapshot of every record, tombstones
// too, as the Service does from its cache.
var writeSnapshotFromRecords = storetest.PutSnapshotOfRecords

// A database belongs to the first account that opens it; another account's
// Store is refused, whether it opens after or while the owner's is open.
func TestADatabaseBelongsToOneAccount(t *testing.T) {
	name := freshName(t)
	alice := open(t, name, Options{Account: "alice"})
	require.NoError(t, alice.Open(ctx))
	putConvs(t, alice, 1, liveConv("alice|1|bob", 100, 1))

	mallory := open(t, name, Options{Account: "mallory"})
	err := mallory.Open(ctx)
	require.ErrorIs(t, err, core.ErrOtherAccount)
	require.ErrorContains(t, err, "alice")
	_, err = mallory.Load(ctx, func([]*core.ConversationRecord) { t.Fatal("mallory loaded alice's records") })
	require.ErrorIs(t, err, core.ErrOtherAccount)

	// After alice closed, still hers.
	require.NoError(t, alice.Close())
	later := open(t, name, Options{Account: "mallory"})
	require.ErrorIs(t, later.Open(ctx), core.ErrOtherAccount)
	again := open(t, name, Options{Account: "alice"})
	require.Len(t, mustLoad(t, again), 1)
}

// Two accounts opening a new database at the same moment: one owns it, the
// other is refused (the claim is a read-write transaction).
func TestTwoAccountsOpeningANewDatabaseAtOnce(t *testing.T) {
	name := freshName(t)
	a, b := open(t, name, Options{Account: "alice"}), open(t, name, Options{Account: "bob"})
	errs := make(chan error, 2)
	go func() { errs <- a.Open(ctx) }()
	go func() { errs <- b.Open(ctx) }()
	e1, e2 := <-errs, <-errs
	require.True(t, (e1 == nil) != (e2 == nil), "exactly one is refused: %v, %v", e1, e2)
	if e1 != nil {
		require.ErrorIs(t, e1, core.ErrOtherAccount)
	} else {
		require.ErrorIs(t, e2, core.ErrOtherAccount)
	}
}
