package core

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// heldSnapshots is a Store whose snapshots are due when the test says, and
// whose encoding waits until the test lets it go on: so a test can act while
// a snapshot is being encoded.
type heldSnapshots struct {
	Store
	due     atomic.Bool
	taken   chan *heldSnapshot
	release chan struct{}
	mu      sync.Mutex
	put     []*heldSnapshot
}

type heldSnapshot struct {
	s      *heldSnapshots
	seq    uint64
	n      int
	record func(int) *ConversationRecord
	// encoded are the records Encode took, paused how often it paused.
	encoded []*ConversationRecord
	paused  int
}

func newHeldSnapshots(db *MemDB) *heldSnapshots {
	return &heldSnapshots{Store: db.Connect(), taken: make(chan *heldSnapshot, 8), release: make(chan struct{})}
}

func (s *heldSnapshots) SnapshotDue(bool) bool { return s.due.Load() }

func (s *heldSnapshots) NewSnapshot(seq uint64, n int, record func(int) *ConversationRecord) Snapshot {
	return &heldSnapshot{s: s, seq: seq, n: n, record: record}
}

func (sn *heldSnapshot) Encode(pause func()) {
	if pause == nil {
		return // a close's, encoded in its transaction
	}
	sn.s.taken <- sn
	<-sn.s.release
	for i := range sn.n {
		pause()
		sn.paused++
		if r := sn.record(i); r != nil {
			sn.encoded = append(sn.encoded, r)
		}
	}
}

func (s *heldSnapshots) Update(ctx context.Context, fn func(Tx) error) error {
	return s.Store.Update(ctx, func(tx Tx) error { return fn(heldSnapshotTx{tx, s}) })
}

type heldSnapshotTx struct {
	Tx
	s *heldSnapshots
}

func (x heldSnapshotTx) PutSnapshot(snap Snapshot) error {
	x.s.mu.Lock()
	defer x.s.mu.Unlock()
	x.s.put = append(x.s.put, snap.(*heldSnapshot))
	x.s.due.Store(false)
	return nil
}

// awaitTaken is the snapshot the Service took, once it starts encoding it.
func (s *heldSnapshots) awaitTaken(t *testing.T) *heldSnapshot {
	t.Helper()
	select {
	case snap := <-s.taken:
		return snap
	case <-time.After(10 * time.Second):
		t.Fatal("no snapshot was taken")
		return nil
	}
}

func (s *heldSnapshots) puts() []*heldSnapshot {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]*heldSnapshot(nil), s.put...)
}

// within fails the test if fn does not return in time: a call that waited
// for the snapshot would hang.
func within(t *testing.T, what string, fn func()) {
	t.Helper()
	done := make(chan struct{})
	go func() { defer close(done); fn() }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatalf("%s: still waiting after 10 s", what)
	}
}

// A snapshot is of the change the cache is at when it is taken, and is
// encoded while calls go on (at 100,000 conversations encoding takes most of
// a second), each record as the cache has it when its turn comes: a record a
// call changed meanwhile is newer than the snapshot's change, so a load reads
// it as changed since and it replaces the one in the snapshot. It is put
// afterwards, once.
func TestSnapshotIsEncodedWhileCallsGoOn(t *testing.T) {
	db := NewMemDB()
	store := newHeldSnapshots(db)
	s, err := Open(context.Background(), Options{AccountID: me, Store: store})
	require.NoError(t, err)
	defer s.Close()
	ctx := context.Background()
	_, err = s.ApplyMessages(ctx, []Message{msg(p2p("bob"), "m1", 100), msg(p2p("carol"), "m2", 200)})
	require.NoError(t, err)

	store.due.Store(true)
	_, err = s.ApplyMessages(ctx, []Message{msg(p2p("bob"), "m3", 300)})
	require.NoError(t, err)
	snap := store.awaitTaken(t)
	require.EqualValues(t, 2, snap.seq, "the change the snapshot was taken at")
	require.Equal(t, 2, snap.n, "bob and carol")

	// While it encodes, calls go on, and none takes a second one.
	within(t, "a call while the snapshot encodes", func() {
		_, err := s.ApplyMessages(ctx, []Message{msg(p2p("bob"), "m4", 400), msg(p2p("dave"), "m5", 500)})
		require.NoError(t, err)
		_, err = s.MarkConversationRead(ctx, p2p("carol"))
		require.NoError(t, err)
	})
	require.Len(t, store.taken, 0, "one snapshot at a time")
	require.Empty(t, store.puts())

	close(store.release)
	require.Eventually(t, func() bool { return len(store.puts()) == 1 }, 10*time.Second, time.Millisecond)
	require.Same(t, snap, store.puts()[0])
	require.Equal(t, 2, snap.paused, "encoded in slices: it offered to pause")
	bob, carol := s.h.cache.record(p2p("bob")), s.h.cache.record(p2p("carol"))
	require.ElementsMatch(t, []*ConversationRecord{bob, carol}, snap.encoded, "the records as they were when encoded")
	require.Greater(t, bob.Seq, snap.seq, "changed since the snapshot's change: a load reads it beside")
	require.Greater(t, carol.Seq, snap.seq)
}

// A Service that closes while a snapshot encodes writes its own at the close;
// the one it was encoding is dropped, not put after the store closed.
func TestSnapshotEncodingWhenTheServiceCloses(t *testing.T) {
	store := newHeldSnapshots(NewMemDB())
	s, err := Open(context.Background(), Options{AccountID: me, Store: store})
	require.NoError(t, err)
	ctx := context.Background()
	store.due.Store(true)
	_, err = s.ApplyMessages(ctx, []Message{msg(p2p("bob"), "m1", 100)})
	require.NoError(t, err)
	snap := store.awaitTaken(t)
	within(t, "close while the snapshot encodes", func() { require.NoError(t, s.Close()) })
	puts := store.puts()
	require.Len(t, puts, 1, "the close's own")
	require.NotSame(t, snap, puts[0])
	close(store.release)
	time.Sleep(50 * time.Millisecond) // let the encoding finish and find the hub stopped
	require.Len(t, store.puts(), 1, "the one encoding is not put after the close")
}
