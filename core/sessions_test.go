package core

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// Where one module serves several tabs (a SharedWorker), each tab is a session
// on one hub: one cache, one store, its own listener, filters, cursors and
// current conversation.

func attach(t *testing.T, f *fixture) (*Service, *recorder) {
	t.Helper()
	ev := &recorder{}
	s, err := f.Attach(ev.listen)
	require.NoError(t, err)
	return s, ev
}

func TestAttachedSessionHearsTheSyncAndSharesTheCache(t *testing.T) {
	f := newFixture(t)
	f.apply(msg(p2p("bob"), "m1", 100))
	f.ev.take()
	b, ev := attach(t, f)
	require.Equal(t, []string{EventSyncStarted, EventSyncFinished}, ev.types())
	require.Empty(t, f.ev.take(), "attaching tells the new session only")

	// What one session changes, the other reads at once: there is one cache.
	f.apply(msg(p2p("bob"), "m2", 200))
	c, err := b.GetConversation(p2p("bob"))
	require.NoError(t, err)
	require.Equal(t, 2, c.UnreadCount)
	require.Equal(t, []string{EventConversationChanged, EventTotalUnreadCountChanged}, ev.types())
	require.Equal(t, []string{EventConversationChanged, EventTotalUnreadCountChanged}, f.ev.types())

	// And the other way round, with the same events for both.
	require.NoError(t, b.StickTopConversation(f.ctx, p2p("bob"), true))
	mine, theirs := ev.take(), f.ev.take()
	require.Equal(t, mine, theirs)
	require.Len(t, mine, 1)
	require.True(t, mine[0].Detail.([]Conversation)[0].StickTop)
}

func TestFilterCountsGoOnlyToTheSessionThatSubscribed(t *testing.T) {
	f := newFixture(t)
	b, ev := attach(t, f)
	ev.take()
	filter := Filter{ConversationTypes: []ConversationType{TypeP2P}}
	require.NoError(t, b.SubscribeUnreadCountByFilter(filter))
	require.Equal(t, []Event{{EventUnreadCountChangedByFilter, FilterCount{filter, 0}}}, ev.take())
	require.Empty(t, f.ev.take(), "subscribing tells the subscriber only")

	f.apply(msg(p2p("bob"), "m1", 100))
	require.Equal(t, []string{EventConversationCreated, EventTotalUnreadCountChanged}, f.ev.types())
	require.Equal(t, []string{EventConversationCreated, EventTotalUnreadCountChanged, EventUnreadCountChangedByFilter}, ev.types())
}

func TestAConversationOnScreenInAnySessionTakesNoUnread(t *testing.T) {
	f := newFixture(t)
	b, _ := attach(t, f)
	require.NoError(t, b.SetCurrentConversation(f.ctx, p2p("bob")))
	f.apply(msg(p2p("bob"), "m1", 100), msg(p2p("carol"), "m2", 100))
	require.Equal(t, 0, f.conv(p2p("bob")).UnreadCount)
	require.Equal(t, 1, f.conv(p2p("carol")).UnreadCount)
	require.Empty(t, f.current, "the first session has nothing on screen")

	require.NoError(t, b.SetCurrentConversation(f.ctx, ""))
	f.apply(msg(p2p("bob"), "m3", 300))
	require.Equal(t, 1, f.conv(p2p("bob")).UnreadCount)
}

func TestPagingCursorsAreEachSessionsOwn(t *testing.T) {
	f := newFixture(t)
	f.clock.set(500)
	for _, id := range []string{"a", "b", "c", "d"} {
		_, err := f.CreateConversation(f.ctx, p2p(id)) // all at sortOrder 500
		require.NoError(t, err)
	}
	b, _ := attach(t, f)
	pa, err := f.GetConversationList(0, 2)
	require.NoError(t, err)
	pb, err := b.GetConversationList(0, 1)
	require.NoError(t, err)
	require.EqualValues(t, 500, pa.Offset)
	require.EqualValues(t, 500, pb.Offset)
	// Each resumes after its own last item, though both were handed offset 500.
	next, err := f.GetConversationList(500, 2)
	require.NoError(t, err)
	require.Equal(t, p2p("c"), next.ConversationList[0].ConversationID)
	next, err = b.GetConversationList(500, 1)
	require.NoError(t, err)
	require.Equal(t, p2p("b"), next.ConversationList[0].ConversationID)
}

func TestClosingASessionLeavesTheOthersAndTheLastClosesTheStore(t *testing.T) {
	f := newFixture(t)
	b, ev := attach(t, f)
	require.NoError(t, f.Close())
	requireCode(t, CodeClosed, f.Close())
	_, err := f.GetTotalUnreadCount()
	requireCode(t, CodeClosed, err)
	_, err = f.ApplyMessages(f.ctx, []Message{msg(p2p("bob"), "m1", 100)})
	requireCode(t, CodeClosed, err)

	ev.take()
	_, err = b.ApplyMessages(f.ctx, []Message{msg(p2p("bob"), "m1", 100)})
	require.NoError(t, err)
	require.Equal(t, []string{EventConversationCreated, EventTotalUnreadCountChanged}, ev.types())
	require.Empty(t, f.ev.take(), "a closed session hears nothing")

	require.NoError(t, b.Close())
	_, err = b.Attach(nil)
	requireCode(t, CodeClosed, err)
	// The store is closed: a new service on the database finds what was written.
	again := newFixtureOn(t, f.db)
	require.Equal(t, 1, again.conv(p2p("bob")).UnreadCount)
}

func TestAServiceThatLostItsStoreSaysSo(t *testing.T) {
	f := newFixture(t)
	require.False(t, f.FellBackToMemory())
	f.StorageLost("the database was deleted")
	require.True(t, f.FellBackToMemory())
	require.Equal(t, []string{EventSyncFailed}, f.ev.types())

	db := NewMemDB()
	db.failNextLoad(errors.New("quota"))
	ev := &recorder{}
	g, err := Open(f.ctx, Options{AccountID: me, Store: db.Connect(), Listener: ev.listen})
	require.NoError(t, err)
	require.Equal(t, []string{EventSyncStarted, EventSyncFailed}, ev.types())
	require.True(t, g.FellBackToMemory())
}

// gatedStore holds the first Update after arm until the test lets it go: a
// call that is running when the test closes its session.
type gatedStore struct {
	Store
	armed   atomic.Bool
	entered chan struct{}
	proceed chan struct{}
}

func (g *gatedStore) arm() {
	g.entered, g.proceed = make(chan struct{}), make(chan struct{})
	g.armed.Store(true)
}

func (g *gatedStore) Update(ctx context.Context, fn func(Tx) error) error {
	if g.armed.CompareAndSwap(true, false) {
		close(g.entered)
		<-g.proceed
	}
	return g.Store.Update(ctx, fn)
}

// A tab that goes away closes its session while a call of the tab runs, and
// another is queued (docs/design.md, "A tab that goes away mid-call"). The
// running call is applied whole: the other session hears it and reads it.
// The queued one is applied whole too, or not at all, and then nobody hears
// of it.
func TestClosingASessionWhileItsCallRunsLeavesEachCallWholeOrAbsent(t *testing.T) {
	ctx := context.Background()
	db := NewMemDB()
	g := &gatedStore{Store: db.Connect()}
	aev, bev := &recorder{}, &recorder{}
	a, err := Open(ctx, Options{AccountID: me, Store: g, Listener: aev.listen})
	require.NoError(t, err)
	b, err := a.Attach(bev.listen)
	require.NoError(t, err)
	bev.take()

	g.arm()
	running := make(chan error, 1)
	go func() {
		_, err := a.ApplyMessages(ctx, []Message{msg(team("t1"), "m1", 100), msg(team("t2"), "m2", 200)})
		running <- err
	}()
	<-g.entered
	queued := make(chan error, 1)
	go func() {
		_, err := a.ApplyMessages(ctx, []Message{msg(p2p("q"), "q1", 300)})
		queued <- err
	}()
	closed := make(chan error, 1)
	go func() { closed <- a.Close() }()
	select {
	case err := <-closed:
		t.Fatalf("Close returned (%v) while the call ran", err)
	case <-time.After(20 * time.Millisecond):
	}
	close(g.proceed)
	require.NoError(t, <-running, "the running call is applied")
	require.NoError(t, <-closed)
	queuedErr := <-queued

	got, err := b.GetConversationListByIds([]string{team("t1"), team("t2"), p2p("q")})
	require.NoError(t, err)
	total, err := b.GetTotalUnreadCount()
	require.NoError(t, err)
	heard := map[string]bool{}
	for _, e := range bev.take() {
		if e.Type == EventConversationCreated {
			heard[e.Detail.(Conversation).ConversationID] = true
		}
	}
	if queuedErr == nil {
		require.Len(t, got, 3)
		require.Equal(t, int64(3), total)
		require.Equal(t, map[string]bool{team("t1"): true, team("t2"): true, p2p("q"): true}, heard)
	} else {
		requireCode(t, CodeClosed, queuedErr)
		require.Len(t, got, 2)
		require.Equal(t, int64(2), total)
		require.Equal(t, map[string]bool{team("t1"): true, team("t2"): true}, heard, "nobody hears of the refused call")
	}
	// And the database holds what b reads.
	require.NoError(t, b.Close())
	again := newFixtureOn(t, db)
	stored, err := again.GetConversationListByIds([]string{team("t1"), team("t2"), p2p("q")})
	require.NoError(t, err)
	require.Equal(t, len(got), len(stored))
	storedTotal, err := again.GetTotalUnreadCount()
	require.NoError(t, err)
	require.Equal(t, total, storedTotal)
}
