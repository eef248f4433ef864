//go:build js && wasm

package idbstore

import (
	"context"
	"testing"

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

type snapshotting struct {
	*Store
	updates int
}

func (s *snapshotting) Update(ctx context.Context, fn func(core.Tx) error) error {
	if err := s.Store.Update(ctx, fn); err != nil {
		return err
	}
	if s.updates++; s.updates%2 == 0 {
		return nil
	}
	return s.Store.Update(ctx, writeSnapshotFromRecords)
}

// writeSnapshotFromRecords writes a snapshot of every record, tombstones
// too, as the Service does from its cache.
func writeSnapshotFromRecords(tx core.Tx) error {
	seq, err := tx.Seq()
	if err != nil {
		return err
	}
	all, err := tx.ConversationsChangedSince(0)
	if err != nil {
		return err
	}
	return tx.(core.SnapshotTx).PutSnapshot(seq, all)
}
