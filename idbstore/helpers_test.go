//go:build js && wasm

package idbstore

import (
	"context"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/localconv/localconv/core"
)

var ctx = context.Background()

var dbCounter atomic.Int64

// freshName is a database name of the test's own, deleted when the test ends
// (after the stores it opened are closed: cleanups run last-in first-out).
func freshName(t *testing.T) string {
	t.Helper()
	name := fmt.Sprintf("idbstore-test-%d-%s", dbCounter.Add(1), strings.ReplaceAll(t.Name(), "/", "-"))
	t.Cleanup(func() {
		if err := Delete(context.Background(), name); err != nil {
			t.Errorf("deleting the test database: %v", err)
		}
	})
	return name
}

// open returns a Store on name that closes when the test ends.
func open(t *testing.T, name string, opts Options) *Store {
	t.Helper()
	s := New(name, opts)
	t.Cleanup(func() { _ = s.Close() })
	return s
}

func mustLoad(t *testing.T, s core.Store) []*core.ConversationRecord {
	t.Helper()
	var all []*core.ConversationRecord
	_, err := s.Load(ctx, func(b []*core.ConversationRecord) { all = append(all, b...) })
	require.NoError(t, err)
	return all
}

func liveConv(id string, sortOrder int64, seq uint64) *core.ConversationRecord {
	return &core.ConversationRecord{
		Conversation: core.Conversation{
			ConversationID: id, Type: core.TypeP2P, Name: "name of " + id,
			SortOrder: sortOrder, CreateTime: 1, UpdateTime: sortOrder,
		},
		Seq: seq,
	}
}

func putConvs(t *testing.T, s core.Store, seq uint64, recs ...*core.ConversationRecord) {
	t.Helper()
	require.NoError(t, s.Update(ctx, func(tx core.Tx) error {
		if err := tx.PutConversations(recs); err != nil {
			return err
		}
		return tx.SetSeq(seq)
	}))
}
