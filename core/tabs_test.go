package core

import (
	"context"
	"iter"
	"testing"

	"github.com/stretchr/testify/require"
)

// Races between tabs that the random model test reaches only by luck, set up
// step by step on a MemDB shared by two Services.

// afterLoad is a Store whose Load runs hook once the records are read, before
// it returns: another tab's commit there comes after the read and before the
// Service watches.
type afterLoad struct {
	Store
	hook func()
}

func (s *afterLoad) Load(ctx context.Context, batch func([]*ConversationRecord)) (uint64, error) {
	seq, err := s.Store.Load(ctx, batch)
	s.hook()
	return seq, err
}

func TestSyncCatchesUpWithCommitsMadeBeforeItWatched(t *testing.T) {
	db := NewMemDB()
	writer := newFixtureOn(t, db)
	bob := p2p("bob")
	ev := &recorder{}
	store := &afterLoad{Store: db.Connect(), hook: func() { writer.apply(msg(bob, "m1", 10)) }}
	reader, err := Open(context.Background(), Options{AccountID: me, Store: store, Listener: ev.listen})
	require.NoError(t, err)
	defer reader.Close()

	c, err := reader.GetConversation(bob)
	require.NoError(t, err, "the commit between the load and the watch was lost")
	require.Equal(t, 1, c.UnreadCount)
	require.Equal(t, []string{EventSyncStarted, EventSyncFinished, EventConversationCreated, EventTotalUnreadCountChanged}, ev.types())
}

// manualWatch is a Store whose watch function the test calls itself, and
// whose transactions take snapshots (and drop them), so that the Service's
// snapshot writer runs on it.
type manualWatch struct {
	Store
	fn func()
}

func (s *manualWatch) Watch(fn func()) func() { s.fn = fn; return func() {} }
func (s *manualWatch) SnapshotDue(bool) bool  { return false }
func (s *manualWatch) NewSnapshot(uint64, int, iter.Seq[*ConversationRecord]) Snapshot {
	return droppedSnapshot{}
}
func (s *manualWatch) Update(ctx context.Context, fn func(Tx) error) error {
	return s.Store.Update(ctx, func(tx Tx) error { return fn(snapshotTx{tx}) })
}

type snapshotTx struct{ Tx }

func (snapshotTx) PutSnapshot(Snapshot) error { return nil }

type droppedSnapshot struct{}

func (droppedSnapshot) Encode(func()) {}

func TestTabFollowsItsCurrentConversationWhenAnotherCatchUpTookTheMessage(t *testing.T) {
	db := NewMemDB()
	writer := newFixtureOn(t, db)
	bob := p2p("bob")
	store := &manualWatch{Store: db.Connect()}
	ev := &recorder{}
	reader, err := Open(context.Background(), Options{AccountID: me, Store: store, Listener: ev.listen})
	require.NoError(t, err)
	defer reader.Close()
	require.NoError(t, reader.SetCurrentConversation(context.Background(), bob))

	writer.apply(msg(bob, "m1", 10)) // the writer does not show bob: it counts
	// The reader's snapshot writer catches up first, taking the message...
	reader.h.writeSnapshot(context.Background(), droppedSnapshot{})
	c, err := reader.GetConversation(bob)
	require.NoError(t, err)
	require.Equal(t, 1, c.UnreadCount)
	// ...so the catch-up the commit's news starts finds nothing new, and must
	// still clear the conversation on screen.
	store.fn()
	c, err = reader.GetConversation(bob)
	require.NoError(t, err)
	require.Zero(t, c.UnreadCount)
	require.GreaterOrEqual(t, db.Conversations()[bob].ReadTime, int64(10), "marked read: at least its message's time")
	require.Zero(t, db.Conversations()[bob].UnreadCount)
}
