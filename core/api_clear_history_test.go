package core

import (
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// docs/api.md "Clear history": applyClearHistory(conversationId, deleteTime).

func (f *specFixture) clearHistory(id string, deleteTime int64) {
	f.t.Helper()
	require.NoError(f.t, f.ApplyClearHistory(f.ctx, id, deleteTime))
}

// ---- what a clear does to a conversation ----

func TestClearHistory_MessagesAtOrBeforeTheTimeAreGoneAndOnlyLaterOnesCount(t *testing.T) {
	f := newSpec(t)
	bob, _, _, _ := f.seeded() // bob: m1 at 100, m2 at 200, both unread
	f.apply(msg(bob, "m3", 300))
	p2pOnly := Filter{ConversationTypes: []ConversationType{TypeP2P}}
	f.subscribe(p2pOnly)
	f.clock.set(5000)

	f.clearHistory(bob, 200)

	c := f.conv(bob)
	require.Equal(t, 1, c.UnreadCount, "only m3, after the clear, counts")
	require.Equal(t, "m3", f.lastID(bob), "a lastMessage after the clear stays")
	require.EqualValues(t, 300, c.SortOrder)
	require.EqualValues(t, 5000, c.UpdateTime, "the unread count moved")
	require.EqualValues(t, 200, f.readTime(bob), "the read time moved up to the clear")
	require.True(t, f.stored(bob, "m1").Deleted)
	require.True(t, f.stored(bob, "m2").Deleted, "at the time is at or before it")
	require.False(t, f.stored(bob, "m3").Deleted)
	f.requireEvents(wantChanged(c), wantReadTime(bob, 200), wantTotal(3), wantFilter(p2pOnly, 1))
	f.requireUnreadInvariant()
}

func TestClearHistory_ALastMessageAtOrBeforeTheTimeGoesAndNothingOlderTakesItsPlace(t *testing.T) {
	f := newSpec(t)
	bob := p2p("bob")
	f.apply(msg(bob, "m1", 100), msg(bob, "m2", 200),
		msgWith(msg(bob, "quiet", 300), func(m *Message) { m.LastMessageUpdateEnabled = false }))
	require.Equal(t, "m2", f.lastID(bob))
	f.ev.take()
	f.clock.set(5000)

	f.clearHistory(bob, 250)

	c := f.conv(bob)
	require.Nil(t, c.LastMessage, "m2 is gone, m1 too, and quiet may not be last")
	require.Equal(t, 1, c.UnreadCount, "quiet, after the clear, counts")
	require.EqualValues(t, 250, c.SortOrder, "the conversation moves up to the clear")
	f.requireEvents(wantChanged(c), wantReadTime(bob, 250), wantTotal(1))

	// Deleting a later message never falls back to one the clear took.
	f.apply(msg(bob, "m4", 400))
	require.NoError(t, f.DeleteMessages(f.ctx, []MessageKey{{bob, "m4"}}))
	require.Empty(t, f.lastID(bob))
	f.requireUnreadInvariant()
}

func TestClearHistory_ClearingEverythingKeepsTheConversationWithNothingUnread(t *testing.T) {
	f := newSpec(t)
	bob, t1, s1, carol := f.seeded()
	before := f.snapshot()
	f.clock.set(5000)

	f.clearHistory(bob, 4000)

	c := f.conv(bob)
	require.Zero(t, c.UnreadCount)
	require.Nil(t, c.LastMessage)
	require.EqualValues(t, 4000, c.SortOrder)
	require.EqualValues(t, 5000, c.UpdateTime)
	require.EqualValues(t, 4000, f.readTime(bob))
	f.requireEvents(wantChanged(c), wantReadTime(bob, 4000), wantTotal(2))
	for _, id := range []string{t1, s1, carol} {
		require.Equal(t, before.List[indexOf(before.List, id)], f.conv(id), "%s is untouched", id)
	}
	f.requireUnreadInvariant()
}

func indexOf(cs []Conversation, id string) int {
	for i, c := range cs {
		if c.ConversationID == id {
			return i
		}
	}
	return -1
}

func TestClearHistory_SortOrderAndUpdateTimeMoveToTheTimeIfLater(t *testing.T) {
	f := newSpec(t)
	_, _, _, carol := f.seeded() // carol: empty, created at 1000, pinned
	f.clock.set(5000)

	f.clearHistory(carol, 3000)
	c := f.conv(carol)
	require.EqualValues(t, 3000+1e15, c.SortOrder, "a pinned conversation keeps its offset")
	require.EqualValues(t, 5000, c.UpdateTime, "now, later than the clear")
	f.requireEvents(wantChanged(c), wantReadTime(carol, 3000))

	// A clear later than now (the server's clock ahead of this one).
	f.clearHistory(carol, 7000)
	c = f.conv(carol)
	require.EqualValues(t, 7000+1e15, c.SortOrder)
	require.EqualValues(t, 7000, c.UpdateTime, "the clear's time, later than now")
	f.requireEvents(wantChanged(c), wantReadTime(carol, 7000))

	// Unpinned, it sorts at the clear's time without the offset.
	require.NoError(t, f.StickTopConversation(f.ctx, carol, false))
	f.clearHistory(carol, 8000)
	require.EqualValues(t, 8000, f.conv(carol).SortOrder)
	f.requireUnreadInvariant()
}

func TestClearHistory_AReadTimeAlreadyLaterStaysAndIsNotAnnounced(t *testing.T) {
	f := newSpec(t)
	bob, _, _, _ := f.seeded()
	f.apply(msg(bob, "m3", 300))
	require.NoError(t, f.ApplyReadTime(f.ctx, bob, 250))
	f.ev.take()
	f.clock.set(5000)

	f.clearHistory(bob, 150)

	require.EqualValues(t, 250, f.readTime(bob), "a read time only moves forward")
	require.True(t, f.stored(bob, "m1").Deleted)
	require.False(t, f.stored(bob, "m2").Deleted)
	// m1 did not count (it is before the read time) and m3 stays
	// lastMessage: nothing the app sees moved.
	f.requireNoEvents()
	require.Equal(t, 1, f.unread(bob))
	f.requireUnreadInvariant()
}

func TestClearHistory_ACallThatChangesNothingEmitsNothing(t *testing.T) {
	f := newSpec(t)
	bob, _, _, _ := f.seeded()
	f.clearHistory(bob, 150)
	f.ev.take()
	before := f.snapshot()

	f.clearHistory(bob, 150) // the same clear again
	f.clearHistory(bob, 120) // an older one
	require.Equal(t, before, f.snapshot(), "the database is as before too")
	f.requireNoEvents()
}

func TestClearHistory_TheCurrentConversation(t *testing.T) {
	f := newSpec(t)
	bob, _, _, _ := f.seeded()
	require.NoError(t, f.SetCurrentConversation(f.ctx, bob))
	f.apply(msg(bob, "m3", 1500))
	f.ev.take()
	f.clock.set(5000)

	f.clearHistory(bob, 1200)
	require.Equal(t, "m3", f.lastID(bob))
	require.Zero(t, f.unread(bob))
	require.EqualValues(t, 1500, f.readTime(bob), "already past the clear")
	f.requireNoEvents()

	f.clearHistory(bob, 2000)
	require.Nil(t, f.conv(bob).LastMessage)
	require.EqualValues(t, 2000, f.readTime(bob))
	f.requireEvents(wantChanged(f.conv(bob)), wantReadTime(bob, 2000))
	f.requireUnreadInvariant()
}

// ---- messages applied after the clear ----

func TestClearHistory_AMessageAtOrBeforeTheTimeAppliedLaterIsADuplicate(t *testing.T) {
	f := newSpec(t)
	bob, _, _, _ := f.seeded()
	f.clearHistory(bob, 200)
	f.ev.take()
	before := f.snapshot()

	// The login sync's roaming brings the cleared messages again, and one
	// this module never saw, at the clear's time: none counts, none shows,
	// none is stored.
	res := f.apply(msg(bob, "m1", 100), msg(bob, "m2", 200), msg(bob, "never-seen", 200))
	require.Equal(t, ApplyResult{Duplicates: 3}, res)
	require.Equal(t, before, f.snapshot())
	require.Nil(t, f.stored(bob, "never-seen"))
	f.requireNoEvents()

	// A message after the clear counts and becomes lastMessage.
	require.Equal(t, ApplyResult{Applied: 1}, f.apply(msg(bob, "m3", 201)))
	require.Equal(t, 1, f.unread(bob))
	require.Equal(t, "m3", f.lastID(bob))
	f.requireUnreadInvariant()
}

func TestClearHistory_EvenWhenTheReadTimeMovedOnAfterwards(t *testing.T) {
	f := newSpec(t)
	bob, _, _, _ := f.seeded()
	f.clearHistory(bob, 200)
	require.NoError(t, f.ApplyReadTime(f.ctx, bob, 900))
	f.ev.take()

	// 150 is before the read time and before the clear: gone. 500 is
	// before the read time only: stored, not unread, and the newest.
	res := f.apply(msg(bob, "old", 150), msg(bob, "read", 500))
	require.Equal(t, ApplyResult{Applied: 1, Duplicates: 1}, res)
	require.Nil(t, f.stored(bob, "old"))
	require.Equal(t, "read", f.lastID(bob))
	require.Zero(t, f.unread(bob))
	f.requireUnreadInvariant()
}

func TestClearHistory_ACopyAfterTheClearOfTheSameMessageInOneCallIsApplied(t *testing.T) {
	f := newSpec(t)
	bob := p2p("bob")
	f.create(bob)
	f.clearHistory(bob, 200)
	// One call, as applying them one after the other: the first is gone with
	// the history, so the second is new to the module.
	res := f.apply(msg(bob, "x", 150), msg(bob, "x", 250))
	require.Equal(t, ApplyResult{Applied: 1, Duplicates: 1}, res)
	require.EqualValues(t, 250, f.stored(bob, "x").CreateTime)
	require.Equal(t, 1, f.unread(bob))
	f.requireUnreadInvariant()
}

func TestClearHistory_AClearedMessageCannotBeRevoked(t *testing.T) {
	f := newSpec(t)
	bob, _, _, _ := f.seeded()
	f.clearHistory(bob, 100)
	f.requireRejected(CodeInvalidParam, "refer", func() error {
		return f.RevokeMessage(f.ctx, MessageKey{bob, "m1"}, RevokeInfo{RevokeAccountID: "bob"})
	})
}

// ---- conversations not in the list ----

func TestClearHistory_AnUnknownConversationChangesNothingVisible(t *testing.T) {
	f := newSpec(t)
	f.seeded()
	nobody := p2p("nobody")
	before := f.snapshot()

	f.clearHistory(nobody, 500)

	after := f.snapshot()
	require.Equal(t, before.List, after.List)
	require.Equal(t, before.Total, after.Total)
	f.requireNoEvents()
	_, err := f.GetConversation(nobody)
	requireCode(t, CodeInvalidParam, err)

	// What the clear took never comes: a message at or before it creates nothing.
	require.Equal(t, ApplyResult{Duplicates: 1}, f.apply(msg(nobody, "n1", 500)))
	f.requireNoEvents()
	_, err = f.GetConversation(nobody)
	requireCode(t, CodeInvalidParam, err)

	// A later one creates it, with only itself unread.
	require.Equal(t, ApplyResult{Applied: 1}, f.apply(msg(nobody, "n2", 501)))
	c := f.conv(nobody)
	require.Equal(t, 1, c.UnreadCount)
	require.EqualValues(t, 500, f.readTime(nobody))
	f.requireUnreadInvariant()
}

func TestClearHistory_ADeletedConversationsKeptMessagesNeverCountIfItComesBack(t *testing.T) {
	f := newSpec(t)
	gone := team("gone")
	f.clock.set(50) // deleted "now" = 50: its read time stays below its messages'
	f.apply(msg(gone, "g1", 100), msg(gone, "g2", 200), msg(gone, "g3", 300))
	require.NoError(t, f.DeleteConversation(f.ctx, gone, false)) // keeps the messages
	f.ev.take()
	before := f.snapshot()

	f.clearHistory(gone, 250)

	after := f.snapshot()
	require.Equal(t, before.List, after.List, "nothing visible changes")
	require.Equal(t, before.Total, after.Total)
	f.requireNoEvents()
	require.True(t, f.stored(gone, "g1").Deleted)
	require.True(t, f.stored(gone, "g2").Deleted)
	require.False(t, f.stored(gone, "g3").Deleted)

	// It comes back through a message after the clear: g3, kept, stays read
	// (a deletion marks read), and what the clear took never comes back.
	f.clock.set(5000)
	require.Equal(t, ApplyResult{Applied: 1, Duplicates: 1}, f.apply(msg(gone, "g0", 240), msg(gone, "g4", 400)))
	c := f.conv(gone)
	require.Equal(t, "g4", f.lastID(gone))
	require.GreaterOrEqual(t, f.readTime(gone), int64(300), "deleted: marked read past its messages")
	require.Equal(t, 1, c.UnreadCount, "g4 only")
	f.requireUnreadInvariant()
}

func TestClearHistory_ADeletedConversationComesBackWithTheClearsReadTime(t *testing.T) {
	f := newSpec(t)
	gone := team("gone")
	f.clock.set(50)
	f.apply(msg(gone, "g1", 40))
	require.NoError(t, f.DeleteConversation(f.ctx, gone, false)) // read time: 50
	f.clearHistory(gone, 700)
	f.ev.take()

	f.create(gone)
	require.EqualValues(t, 700, f.readTime(gone))
	// Roaming brings a message between the old read time and the clear.
	require.Equal(t, ApplyResult{Duplicates: 1}, f.apply(msg(gone, "g2", 600)))
	require.Zero(t, f.unread(gone))
	require.Nil(t, f.conv(gone).LastMessage)
	f.requireUnreadInvariant()
}

// ---- arguments ----

func TestClearHistory_BadArgumentsAre191004AndChangeNothing(t *testing.T) {
	for _, bad := range badConversationIDs {
		t.Run("conversationId: "+bad.name, func(t *testing.T) {
			f := newSpec(t)
			f.seeded()
			f.requireRejected(CodeInvalidParam, "conversationId", func() error {
				return f.ApplyClearHistory(f.ctx, bad.id, 150)
			})
		})
	}
	for _, dt := range []int64{-1, 1e15, 1 << 62} {
		f := newSpec(t)
		bob, _, _, _ := f.seeded()
		f.requireRejected(CodeInvalidParam, "deleteTime", func() error { return f.ApplyClearHistory(f.ctx, bob, dt) })
	}
}

func TestClearHistory_TheEdgesOfTimeAreAccepted(t *testing.T) {
	f := newSpec(t)
	bob := p2p("bob")
	f.apply(msg(bob, "zero", 0), msg(bob, "m1", 1))
	f.clearHistory(bob, 0)
	require.True(t, f.stored(bob, "zero").Deleted)
	require.Equal(t, 1, f.unread(bob))
	f.clearHistory(bob, MaxTime-1)
	require.Zero(t, f.unread(bob))
	require.EqualValues(t, MaxTime-1, f.conv(bob).SortOrder)
	f.requireUnreadInvariant()
}

// ---- durability, storage failure, several tabs ----

func TestClearHistory_IsKeptForTheNextOpen(t *testing.T) {
	f := newSpec(t)
	bob, _, _, _ := f.seeded()
	f.clearHistory(bob, 200)
	before := f.snapshot()
	require.NoError(t, f.Close())

	g := &specFixture{newFixtureOn(t, f.db)}
	require.Equal(t, before, g.snapshot())
	require.Equal(t, ApplyResult{Duplicates: 2}, g.apply(msg(bob, "m1", 100), msg(bob, "new-old", 199)))
	require.Zero(t, g.unread(bob))
	g.requireUnreadInvariant()
}

func TestClearHistory_AFailedCommitChangesNothing(t *testing.T) {
	f := newSpec(t)
	bob, _, _, _ := f.seeded()
	f.clock.set(5000)
	before := f.snapshot()

	f.db.failNextUpdate(errors.New("QuotaExceededError"))
	requireCode(t, CodeInternal, f.ApplyClearHistory(f.ctx, bob, 200))
	require.Equal(t, before, f.snapshot(), "messages, marker, record and cache as before")
	f.requireNoEvents()

	// The clear never happened: a message before its time still counts.
	require.Equal(t, ApplyResult{Applied: 1}, f.apply(msg(bob, "m0", 50)))
	require.Equal(t, 3, f.unread(bob))
	f.requireUnreadInvariant()
}

func TestClearHistory_AnotherTabHearsTheSameEventsAndObeysTheClear(t *testing.T) {
	a := newSpec(t)
	b := a.openTab()
	bob := p2p("bob")
	a.apply(msg(bob, "m1", 100), msg(bob, "m2", 200), msg(bob, "m3", 300))
	waitFor(t, b, len(a.ev.take()))

	a.clearHistory(bob, 250)
	want := a.ev.take()
	require.Equal(t, []string{EventConversationChanged, EventConversationReadTimeUpdated, EventTotalUnreadCountChanged}, typesOf(want))
	require.Equal(t, want, waitFor(t, b, len(want)))

	// b never saw the clear's messages arrive, but knows they are gone.
	res, err := b.ApplyMessages(b.ctx, []Message{msg(bob, "m2", 200), msg(bob, "b-old", 240)})
	require.NoError(t, err)
	require.Equal(t, ApplyResult{Duplicates: 2}, res)
	require.Equal(t, 1, b.unread(bob))
	require.Equal(t, a.snapshot().List, b.snapshot().List)
	b.requireUnreadInvariant()
}

// waitFor takes n events from tab f, which hears of other tabs' changes from
// another goroutine.
func waitFor(t *testing.T, f *specFixture, n int) []Event {
	t.Helper()
	var got []Event
	require.Eventually(t, func() bool {
		got = append(got, f.ev.take()...)
		return len(got) >= n
	}, 5*time.Second, time.Millisecond)
	return got
}

func typesOf(events []Event) []string {
	var out []string
	for _, e := range events {
		out = append(out, e.Type)
	}
	return out
}
