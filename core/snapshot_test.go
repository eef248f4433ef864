package core

import (
	"context"
	"fmt"
	"iter"
	"slices"
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
	// midway, if set, is told once stopAt records are encoded; the
	// encoding then waits for resume.
	midway, resume chan struct{}
	stopAt         int
	mu             sync.Mutex
	put            []*heldSnapshot
}

type heldSnapshot struct {
	s       *heldSnapshots
	seq     uint64
	n       int
	records iter.Seq[*ConversationRecord]
	// encoded are the records Encode took, paused how often it paused.
	encoded []*ConversationRecord
	paused  int
}

func newHeldSnapshots(db *MemDB) *heldSnapshots {
	return &heldSnapshots{Store: db.Connect(), taken: make(chan *heldSnapshot, 8), release: make(chan struct{})}
}

func (s *heldSnapshots) SnapshotDue(bool) bool { return s.due.Load() }

func (s *heldSnapshots) NewSnapshot(seq uint64, n int, records iter.Seq[*ConversationRecord]) Snapshot {
	return &heldSnapshot{s: s, seq: seq, n: n, records: records}
}

func (sn *heldSnapshot) Encode(pause func()) {
	if pause == nil {
		return // a close's, encoded in its transaction
	}
	sn.s.taken <- sn
	<-sn.s.release
	for r := range sn.records {
		sn.encoded = append(sn.encoded, r)
		if sn.s.midway != nil && len(sn.encoded) == sn.s.stopAt {
			sn.s.midway <- struct{}{}
			<-sn.s.resume
		}
		pause()
		sn.paused++
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
	require.Equal(t, len(snap.encoded), snap.paused, "encoded in slices: it offered to pause")
	// It walked the cache when it encoded, after the calls: dave, created
	// since, may come or not; whatever came is the cache's record, and
	// whatever changed since the snapshot's change a load reads beside it.
	var want []*ConversationRecord
	for _, id := range []string{p2p("bob"), p2p("carol"), p2p("dave")} {
		r := s.h.cache.record(id)
		require.Greater(t, r.Seq, snap.seq, "%s changed since the snapshot's change", id)
		if id != p2p("dave") || slices.Contains(snap.encoded, r) {
			want = append(want, r)
		}
	}
	require.ElementsMatch(t, want, snap.encoded, "the records as they were when encoded")
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

// Calls that move conversations in the list, create and delete some while
// the snapshot walks the cache leave it whole: every conversation a load
// would take from the snapshot (not changed since its change) is in it as
// the cache has it, whatever the walk gave twice or missed.
func TestSnapshotWalkedWhileCallsChangeTheList(t *testing.T) {
	store := newHeldSnapshots(NewMemDB())
	store.midway, store.resume, store.stopAt = make(chan struct{}), make(chan struct{}), 100
	s, err := Open(context.Background(), Options{AccountID: me, Store: store})
	require.NoError(t, err)
	defer s.Close()
	ctx := context.Background()
	id := func(i int) string { return p2p(fmt.Sprintf("u%03d", i)) }
	var first []Message
	for i := range 300 {
		first = append(first, msg(id(i), fmt.Sprintf("a%d", i), int64(100+i)))
	}
	_, err = s.ApplyMessages(ctx, first)
	require.NoError(t, err)
	store.due.Store(true)
	_, err = s.ApplyMessages(ctx, []Message{msg(id(0), "b0", 1000)})
	require.NoError(t, err)
	snap := store.awaitTaken(t)
	close(store.release)
	select {
	case <-store.midway:
	case <-time.After(10 * time.Second):
		t.Fatal("the encoding did not reach its midway")
	}
	within(t, "calls while the walk is midway", func() {
		var moved []Message
		for i := 0; i < 300; i += 3 {
			moved = append(moved, msg(id(i), fmt.Sprintf("c%d", i), int64(2000+i)))
		}
		for i := 300; i < 340; i++ {
			moved = append(moved, msg(id(i), fmt.Sprintf("c%d", i), int64(2000+i)))
		}
		_, err := s.ApplyMessages(ctx, moved)
		require.NoError(t, err)
		for i := 1; i < 300; i += 7 {
			require.NoError(t, s.DeleteConversation(ctx, id(i), false))
		}
	})
	close(store.resume)
	require.Eventually(t, func() bool { return len(store.puts()) == 1 }, 10*time.Second, time.Millisecond)

	inSnapshot := map[string][]*ConversationRecord{}
	for _, r := range snap.encoded {
		inSnapshot[r.ConversationID] = append(inSnapshot[r.ConversationID], r)
	}
	unchanged := 0
	for r := range s.h.cache.all {
		if r.Seq > snap.seq {
			continue // the load reads it beside the snapshot
		}
		unchanged++
		require.Equal(t, []*ConversationRecord{r}, inSnapshot[r.ConversationID], "%s, unchanged since the snapshot", r.ConversationID)
	}
	require.Greater(t, unchanged, 100)
}
