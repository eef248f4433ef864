//go:build js && wasm

package idbstore

import (
	"context"
	"fmt"
	"strings"
	"sync/atomic"
	"syscall/js"
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
		if err := tx.PutConversations(recs, emptyTails(len(recs))); err != nil {
			return err
		}
		return tx.SetSeq(seq)
	}))
}

// emptyTails is n empty tails, one for each record put.
func emptyTails(n int) []*core.Tail {
	out := make([]*core.Tail, n)
	for i := range out {
		out[i] = &core.Tail{}
	}
	return out
}

// putLegacyMessages writes messages into the messages store as version 2
// did, one value each, for a conversation whose value has no tail.
func putLegacyMessages(t *testing.T, name string, msgs ...*core.MessageRecord) {
	t.Helper()
	db := rawOpen(t, name)
	for _, m := range msgs {
		rawPut(t, db, storeMessages, jsObj(map[string]any{
			"conversationId": m.ConversationID, "messageClientId": m.MessageClientID, "createTime": m.CreateTime,
			"rec": recString(encodeMessage(m)),
		}), js.Undefined())
	}
	require.NoError(t, db.Close())
}

// recString is b as the store keeps record bytes: a string of one character
// per byte (rectext.go).
func recString(b []byte) string {
	r := make([]rune, len(b))
	for i, c := range b {
		r[i] = rune(c)
	}
	return string(r)
}
