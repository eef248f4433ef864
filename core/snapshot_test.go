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
	recs   []*ConversationRecord
	paused int
}

func newHeldSnapshots(db *MemDB) *heldSnapshots {
	return &heldSnapshots{Store: db.Connect(), taken: make(chan *heldSnapshot, 8), release: make(chan struct{})}
}

func (s *heldSnapshots) SnapshotDue(bool) bool { return s.due.Load() }

func (s *heldSnapshots) NewSnapshot(seq uint64, recs []*ConversationRecord) Snapshot {
	return &heldSnapshot{s: s, seq: seq, recs: recs}
}

func (sn *heldSnapshot) Encode(pause func()) {
	if pause == nil {
		return // a close's, encoded in its transaction
	}
	sn.s.taken <- sn
	<-sn.s.release
	pause()
	sn.paused++
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

// A snapshot is taken from the cache as of one change and encoded while
// calls go on (at 100,000 conversations encoding takes most of a second);
// it is put afterwards, as of the change it was taken at, once. The records
// it holds are those of that change, even though calls replaced some since.
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
	var snap *heldSnapshot
	select {
	case snap = <-store.taken:
	case <-time.After(10 * time.Second):
		t.Fatal("no snapshot was taken")
	}
	require.EqualValues(t, 2, snap.seq, "the change the snapshot was taken at")
	bobThen := s.h.cache.record(p2p("bob"))
	require.Contains(t, snap.recs, bobThen)
	require.Len(t, snap.recs, 2)

	// While it encodes, calls go on, and none takes a second one.
	within(t, "a call while the snapshot encodes", func() {
		_, err := s.ApplyMessages(ctx, []Message{msg(p2p("bob"), "m4", 400), msg(p2p("dave"), "m5", 500)})
		require.NoError(t, err)
		_, err = s.MarkConversationRead(ctx, p2p("carol"))
		require.NoError(t, err)
	})
	require.Len(t, store.taken, 0, "one snapshot at a time")
	require.Empty(t, store.puts())
	require.Contains(t, snap.recs, bobThen, "the snapshot keeps the records as they were")
	require.NotSame(t, bobThen, s.h.cache.record(p2p("bob")))
	require.EqualValues(t, 300, bobThen.LastMessage.MessageRefer.CreateTime, "records are replaced, never changed in place")

	close(store.release)
	require.Eventually(t, func() bool { return len(store.puts()) == 1 }, 10*time.Second, time.Millisecond)
	require.Same(t, snap, store.puts()[0])
	require.Equal(t, 1, snap.paused, "encoded in slices: it paused")
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
	var snap *heldSnapshot
	select {
	case snap = <-store.taken:
	case <-time.After(10 * time.Second):
		t.Fatal("no snapshot was taken")
	}
	within(t, "close while the snapshot encodes", func() { require.NoError(t, s.Close()) })
	puts := store.puts()
	require.Len(t, puts, 1, "the close's own")
	require.NotSame(t, snap, puts[0])
	close(store.release)
	time.Sleep(50 * time.Millisecond) // let the encoding finish and find the hub stopped
	require.Len(t, store.puts(), 1, "the one encoding is not put after the close")
}
