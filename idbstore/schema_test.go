//go:build js && wasm

package idbstore

import (
	"slices"
	"syscall/js"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/localconv/localconv/core"
	"github.com/localconv/localconv/idbstore/internal/idb"
)

// schemaNext is what a later version may look like: this one plus an index.
func schemaNext() schema {
	return append(slices.Clip(currentSchema), func(u *idb.Upgrade) {
		u.CreateIndex(storeConversations, "byCreateTime", "createTime")
	})
}

func TestUpgradeKeepsData(t *testing.T) {
	name := freshName(t)
	v1 := New(name, Options{})
	convs := []*core.ConversationRecord{liveConv("me|1|a", 300, 1), liveConv("me|1|b", 200, 1)}
	dead := &core.ConversationRecord{Conversation: core.Conversation{ConversationID: "me|1|c"}, Deleted: true, Seq: 1}
	msgs := []*core.MessageRecord{
		storedMessage("me|1|a", "m1", 10, "one"),
		storedMessage("me|1|a", "m2", 20, "two"),
	}
	require.NoError(t, v1.Update(ctx, func(tx core.Tx) error {
		if err := tx.PutConversations(append(convs, dead), []*core.Tail{{Messages: msgs}, {}, {}}); err != nil {
			return err
		}
		return tx.SetSeq(1)
	}))
	require.NoError(t, v1.Close())

	v2 := newWithSchema(name, Options{}, schemaNext())
	t.Cleanup(func() { _ = v2.Close() })
	var loaded []*core.ConversationRecord
	seq, err := v2.Load(ctx, func(b []*core.ConversationRecord) { loaded = append(loaded, b...) })
	require.NoError(t, err)
	require.EqualValues(t, 1, seq)
	require.ElementsMatch(t, append(convs, dead), loaded)
	require.NoError(t, v2.View(ctx, func(tx core.Tx) error {
		got, err := tx.GetConversations([]string{"me|1|a", "me|1|b", "me|1|c"})
		require.NoError(t, err)
		require.Equal(t, append(convs, dead), got)
		tails, err := tx.Tails([]string{"me|1|a"})
		require.NoError(t, err)
		require.Equal(t, msgs, tails[0].Messages)
		changed, err := tx.ConversationsChangedSince(0)
		require.NoError(t, err)
		require.Len(t, changed, 3)
		return nil
	}))

	// The new index holds the old data, and the version moved.
	require.Equal(t, currentSchema.version()+1, v2.db.Version())
	require.Equal(t, 0, rawCount(t, rawOpen(t, name), storeConversations, "byCreateTime"), "no value has a createTime property")

	// This code still opens it, a version ahead: a newer schema only adds
	// stores and indexes, and this one has everything this code needs.
	require.NoError(t, v2.Close())
	v1again := open(t, name, Options{})
	require.ElementsMatch(t, append(convs, dead), mustLoad(t, v1again))
	require.Equal(t, currentSchema.version()+1, v1again.db.Version())
	putConvs(t, v1again, 2, liveConv("me|1|d", 400, 2))
	v2again := newWithSchema(name, Options{}, schemaNext())
	t.Cleanup(func() { _ = v2again.Close() })
	require.Len(t, mustLoad(t, v2again), 4, "a, b, the tombstone and what the old code wrote, d")
}

func TestOldCodeOpensNewerSchemaWhileNewerTabHoldsIt(t *testing.T) {
	name := freshName(t)
	lost := make(chan error, 1)
	old := open(t, name, Options{OnConnectionLost: func(err error) { lost <- err }})
	putConvs(t, old, 1, liveConv("me|1|a", 100, 1))

	// A newer tab upgrades: the old connection lets go and says why.
	v3 := append(schemaNext(), func(u *idb.Upgrade) { u.CreateStore("drafts", nil) })
	newer := newWithSchema(name, Options{OpenTimeout: 2 * time.Second}, v3)
	t.Cleanup(func() { _ = newer.Close() })
	require.Len(t, mustLoad(t, newer), 1)
	require.ErrorIs(t, <-lost, ErrVersionChange)

	// The old code, reloaded, opens the database beside the newer one, and
	// they see each other's commits.
	again := open(t, name, Options{})
	require.Len(t, mustLoad(t, again), 1)
	heard := make(chan struct{}, 1)
	stop := newer.Watch(func() { heard <- struct{}{} })
	defer stop()
	putConvs(t, again, 2, liveConv("me|1|b", 200, 2))
	select {
	case <-heard:
	case <-time.After(5 * time.Second):
		t.Fatal("the newer connection was not told of the old code's commit")
	}
	require.Len(t, mustLoad(t, newer), 2)
}

func TestOldCodeRefusesNewerSchemaThatLacksWhatItNeeds(t *testing.T) {
	name := freshName(t)
	v1 := New(name, Options{})
	putConvs(t, v1, 1, liveConv("me|1|a", 100, 1))
	require.NoError(t, v1.Close())
	breaking := append(slices.Clip(currentSchema), func(u *idb.Upgrade) {
		u.DeleteIndex(storeConversations, indexChange)
		u.CreateIndex(storeConversations, indexChange, "otherSeq")
	})
	b := newWithSchema(name, Options{}, breaking)
	require.Len(t, mustLoad(t, b), 1)
	require.NoError(t, b.Close())

	_, err := New(name, Options{}).Load(ctx, func([]*core.ConversationRecord) {})
	require.ErrorContains(t, err, "newer schema (version 4) than this code's (version 3)")
	require.ErrorContains(t, err, "index conversations.byChange with key path seq")
	require.ErrorContains(t, err, "reload to get the new code")
}

func TestFailedUpgradeLeavesDatabaseAsItWas(t *testing.T) {
	name := freshName(t)
	v1 := New(name, Options{})
	putConvs(t, v1, 1, liveConv("me|1|a", 1, 1))
	require.NoError(t, v1.Close())

	broken := append(slices.Clip(currentSchema), func(u *idb.Upgrade) {
		u.CreateIndex(storeConversations, indexChange, "seq") // exists: throws
	})
	_, err := newWithSchema(name, Options{}, broken).Load(ctx, func([]*core.ConversationRecord) {})
	require.ErrorContains(t, err, "upgrading the schema from version 3 to 4")

	again := open(t, name, Options{})
	require.Len(t, mustLoad(t, again), 1)
	require.Equal(t, currentSchema.version(), again.db.Version())
}

// A database written by version 1 (the first release's layout: the change
// index named bySeq, no read marks) opens at the current version with
// everything in it,
// and version 1's code, meeting it, refuses it for what it lacks rather than
// reading records without their read marks.
func TestAVersion1DatabaseMigrates(t *testing.T) {
	name := freshName(t)
	v1 := newWithSchema(name, Options{}, schema{createV1})
	convs := []*core.ConversationRecord{liveConv("me|1|a", 300, 1), liveConv("me|1|b", 200, 2)}
	dead := &core.ConversationRecord{Conversation: core.Conversation{ConversationID: "me|1|c"}, Deleted: true, Seq: 2}
	msgs := []*core.MessageRecord{storedMessage("me|1|a", "m1", 10, "one")}
	require.NoError(t, v1.Open(ctx)) // creates version 1's stores and claims the database
	require.Equal(t, 1, v1.db.Version())
	require.NoError(t, v1.Close())
	// Version 1 kept its messages as version 2 did, one value each, and its
	// conversation values had no tail.
	raw := rawOpen(t, name)
	rawPut(t, raw, storeMeta, js.ValueOf(2), js.ValueOf(metaSeq))
	for _, r := range append(convs, dead) {
		v := map[string]any{"id": r.ConversationID, "seq": r.Seq, "rec": recString(encodeConversation(r))}
		if !r.Deleted {
			v["sortOrder"] = r.SortOrder
		}
		rawPut(t, raw, storeConversations, jsObj(v), js.Undefined())
	}
	require.NoError(t, raw.Close())
	putLegacyMessages(t, name, msgs...)

	cur := open(t, name, Options{})
	require.ElementsMatch(t, append(convs, dead), mustLoad(t, cur))
	require.Equal(t, currentSchema.version(), cur.db.Version())
	require.NoError(t, cur.View(ctx, func(tx core.Tx) error {
		changed, err := tx.ConversationsChangedSince(1)
		require.NoError(t, err)
		require.ElementsMatch(t, []*core.ConversationRecord{convs[1], dead}, changed, "the renamed index holds the old records")
		marks, err := tx.ReadMarks()
		require.NoError(t, err)
		require.Equal(t, core.ReadMarks{}, marks)
		tails, err := tx.Tails([]string{"me|1|a"})
		require.NoError(t, err)
		require.Equal(t, msgs, tails[0].Messages, "read from the messages store")
		return nil
	}))
	require.NoError(t, cur.Close())

	saved := needs
	t.Cleanup(func() { needs = saved })
	needs = slices.Clone(saved) // what version 1's code needs: bySeq
	needs[0].Indexes = []idb.IndexSpec{{Name: "bySeq", KeyPath: "seq"}, {Name: indexSortOrder, KeyPath: []any{"sortOrder", "id"}}}
	_, err := newWithSchema(name, Options{}, schema{createV1}).Load(ctx, func([]*core.ConversationRecord) {})
	require.ErrorContains(t, err, "index conversations.bySeq")
}
