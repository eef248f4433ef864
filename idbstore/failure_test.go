//go:build js && wasm

package idbstore

import (
	"context"
	"errors"
	"syscall/js"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/localconv/localconv/core"
	"github.com/localconv/localconv/idbstore/internal/idb"
)

// requireOnly checks that the database holds exactly recs at seq.
func requireOnly(t *testing.T, s *Store, seq uint64, recs ...*core.ConversationRecord) {
	t.Helper()
	require.ElementsMatch(t, recs, mustLoad(t, s))
	require.NoError(t, s.View(ctx, func(tx core.Tx) error {
		got, err := tx.Seq()
		require.Equal(t, seq, got)
		return err
	}))
}

func TestFailedCommitLeavesDatabaseUnchanged(t *testing.T) {
	s := open(t, freshName(t), Options{})
	a := liveConv("me|1|a", 100, 1)
	putConvs(t, s, 1, a)

	// A write that fails after the closure returned (as a full disk would):
	// adding a key that exists fails in the database, not in the call.
	testHookBeforeCommit = func(tx *idb.Tx) { _ = tx.Add(storeMeta, metaSeq, 0) }
	defer func() { testHookBeforeCommit = nil }()
	err := s.Update(ctx, func(tx core.Tx) error {
		if err := tx.PutConversations([]*core.ConversationRecord{liveConv("me|1|a", 999, 2), liveConv("me|1|b", 200, 2)},
			[]*core.Tail{{}, {Messages: []*core.MessageRecord{storedMessage("me|1|b", "m1", 0, "")}}}); err != nil {
			return err
		}
		return tx.SetSeq(2)
	})
	require.ErrorContains(t, err, "the transaction did not commit, nothing of it was stored")
	require.ErrorContains(t, err, "ConstraintError")
	testHookBeforeCommit = nil

	requireOnly(t, s, 1, a)
	require.NoError(t, s.View(ctx, func(tx core.Tx) error {
		tails, err := tx.Tails([]string{"me|1|b"})
		require.Equal(t, []*core.Tail{{}}, tails)
		return err
	}))
}

func TestFailedRequestFailsTheClosure(t *testing.T) {
	s := open(t, freshName(t), Options{})
	a := liveConv("me|1|a", 100, 1)
	putConvs(t, s, 1, a)

	err := s.Update(ctx, func(tx core.Tx) error {
		x := tx.(*transaction)
		if err := x.PutConversations([]*core.ConversationRecord{liveConv("me|1|b", 200, 2)}, emptyTails(1)); err != nil {
			return err
		}
		_ = x.tx.Add(storeMeta, metaSeq, 0) // fails: the key exists
		_, err := x.GetConversations([]string{"me|1|a"})
		return err
	})
	require.Error(t, err)
	requireOnly(t, s, 1, a)
}

func TestClosureThatWaitsOnSomethingElseIsCaught(t *testing.T) {
	s := open(t, freshName(t), Options{})
	err := s.Update(ctx, func(tx core.Tx) error {
		if err := tx.PutConversations([]*core.ConversationRecord{liveConv("me|1|a", 100, 1)}, emptyTails(1)); err != nil {
			return err
		}
		time.Sleep(100 * time.Millisecond) // breaks the rule: IndexedDB commits meanwhile
		return tx.PutConversations([]*core.ConversationRecord{liveConv("me|1|b", 100, 1)}, emptyTails(1))
	})
	require.ErrorContains(t, err, "had already committed")
}

func TestCanceledContextStartsNothing(t *testing.T) {
	s := open(t, freshName(t), Options{})
	canceled, cancel := context.WithCancel(ctx)
	cancel()
	called := false
	err := s.Update(canceled, func(core.Tx) error { called = true; return nil })
	require.ErrorIs(t, err, context.Canceled)
	require.False(t, called)
}

// withoutIndexedDB hides globalThis.indexedDB for the rest of the test.
func withoutIndexedDB(t *testing.T) {
	reflect := js.Global().Get("Reflect")
	desc := reflect.Call("getOwnPropertyDescriptor", js.Global(), "indexedDB")
	reflect.Call("defineProperty", js.Global(), "indexedDB", jsObj(map[string]any{"value": js.Undefined(), "configurable": true}))
	t.Cleanup(func() {
		reflect.Call("deleteProperty", js.Global(), "indexedDB")
		if !desc.IsUndefined() {
			reflect.Call("defineProperty", js.Global(), "indexedDB", desc)
		}
		require.Equal(t, js.TypeObject, js.Global().Get("indexedDB").Type())
	})
	require.True(t, js.Global().Get("indexedDB").IsUndefined())
}

func TestNoIndexedDBFailsLoadClearly(t *testing.T) {
	withoutIndexedDB(t)
	s := New("idbstore-test-unavailable", Options{})
	defer s.Close()
	_, err := s.Load(ctx, func([]*core.ConversationRecord) {})
	require.ErrorIs(t, err, ErrUnavailable)
	require.ErrorContains(t, err, `idbstore "idbstore-test-unavailable": opening: IndexedDB is not available in this context (globalThis.indexedDB is undefined)`)
	require.ErrorIs(t, s.Update(ctx, func(core.Tx) error { return nil }), ErrUnavailable)

	// The core tells the app and carries on in memory.
	var events []core.Event
	svc, err := core.Open(ctx, core.Options{AccountID: "me", Store: New("idbstore-test-unavailable", Options{}), Listener: func(e []core.Event) { events = append(events, e...) }})
	require.NoError(t, err)
	defer svc.Close()
	require.Equal(t, core.EventSyncFailed, events[len(events)-1].Type)
	require.Contains(t, events[len(events)-1].Detail.(*core.Error).Message, "IndexedDB is not available")
	_, err = svc.CreateConversation(ctx, "me|1|bob")
	require.NoError(t, err)
}

func TestBlockedUpgradeGivesUp(t *testing.T) {
	name := freshName(t)
	v1 := New(name, Options{})
	putConvs(t, v1, 1, liveConv("me|1|a", 100, 1))
	require.NoError(t, v1.Close())
	stuck := jsOpen(t, name, 0, nil) // an old tab that never lets go
	defer stuck.Call("close")

	start := time.Now()
	v2 := newWithSchema(name, Options{OpenTimeout: 300 * time.Millisecond}, schemaNext())
	_, err := v2.Load(ctx, func([]*core.ConversationRecord) {})
	require.ErrorIs(t, err, ErrBlocked)
	require.ErrorContains(t, err, "gave up after 300ms")
	require.Less(t, time.Since(start), 3*time.Second)

	// Once the old tab lets go, the upgrade goes through, data and all.
	stuck.Call("close")
	again := newWithSchema(name, Options{}, schemaNext())
	t.Cleanup(func() { _ = again.Close() })
	require.Len(t, mustLoad(t, again), 1)
	require.Equal(t, currentSchema.version()+1, again.db.Version())
}

func TestNewerVersionElsewhereClosesThisConnection(t *testing.T) {
	name := freshName(t)
	lost := make(chan error, 2)
	old := open(t, name, Options{OnConnectionLost: func(err error) { lost <- err }})
	putConvs(t, old, 1, liveConv("me|1|a", 100, 1))

	// The newer tab is not blocked: the old connection lets go at once.
	newer := newWithSchema(name, Options{OpenTimeout: 2 * time.Second}, schemaNext())
	t.Cleanup(func() { _ = newer.Close() })
	require.Len(t, mustLoad(t, newer), 1)

	select {
	case err := <-lost:
		require.ErrorIs(t, err, ErrVersionChange)
	case <-time.After(5 * time.Second):
		t.Fatal("OnConnectionLost was not called")
	}
	err := old.Update(ctx, func(core.Tx) error { return nil })
	require.ErrorIs(t, err, ErrVersionChange)
	_, err = old.Load(ctx, func([]*core.ConversationRecord) {})
	require.ErrorIs(t, err, ErrVersionChange)
	require.Empty(t, lost, "reported more than once")
}

func TestDatabasesOfTwoAccountsAreApart(t *testing.T) {
	aliceName, bobName := freshName(t), freshName(t)
	alice, aliceWitness := open(t, aliceName, Options{}), open(t, aliceName, Options{})
	bob := open(t, bobName, Options{})
	mustLoad(t, alice)
	mustLoad(t, bob)
	heard := make(chan string, 10)
	aliceWitness.Watch(func() { heard <- "alice" })
	bob.Watch(func() { heard <- "bob" })

	putConvs(t, alice, 1, liveConv("alice|1|x", 100, 1))
	select {
	case who := <-heard:
		require.Equal(t, "alice", who)
	case <-time.After(5 * time.Second):
		t.Fatal("the other connection to alice's database was not told")
	}
	time.Sleep(50 * time.Millisecond)
	require.Empty(t, heard, "bob's store was told of alice's commit")

	require.Empty(t, mustLoad(t, bob))
	require.NoError(t, bob.View(ctx, func(tx core.Tx) error {
		got, err := tx.GetConversations([]string{"alice|1|x"})
		require.Equal(t, []*core.ConversationRecord{nil}, got)
		seq, _ := tx.Seq()
		require.Zero(t, seq)
		return err
	}))
}

func TestDeleteClosesOpenStores(t *testing.T) {
	name := freshName(t)
	lost := make(chan error, 1)
	s := open(t, name, Options{OnConnectionLost: func(err error) { lost <- err }})
	putConvs(t, s, 1, liveConv("me|1|a", 100, 1))
	require.NoError(t, Delete(ctx, name))
	require.ErrorIs(t, <-lost, ErrVersionChange)
	require.True(t, errors.Is(s.View(ctx, func(core.Tx) error { return nil }), ErrVersionChange))
	require.Empty(t, mustLoad(t, open(t, name, Options{})))
}
