package core

import (
	"context"
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"
)

// unreadList fills f with n P2P and m team conversations, each with one
// unread message created before now.
func unreadList(f *fixture, n, m int) {
	var msgs []Message
	for i := range n {
		msgs = append(msgs, msg(p2p(fmt.Sprintf("u%05d", i)), fmt.Sprintf("p%d", i), 500+int64(i%300)))
	}
	for i := range m {
		msgs = append(msgs, msg(team(fmt.Sprintf("t%03d", i)), fmt.Sprintf("t%d", i), 600))
	}
	for len(msgs) > 0 {
		k := min(len(msgs), MaxListLength)
		f.apply(msgs[:k]...)
		msgs = msgs[k:]
	}
	f.ev.take()
}

// writtenBy counts the raw records (as written, without the read marks) that
// the change seq wrote.
func writtenBy(db *MemDB, seq uint64) int {
	db.mu.Lock()
	defer db.mu.Unlock()
	return len(db.bySeq[seq])
}

// listOf is every conversation in list order, as the service shows them.
func listOf(t *testing.T, s *Service) []Conversation {
	t.Helper()
	res, err := s.GetConversationList(0, MaxListLength)
	require.NoError(t, err)
	all := res.ConversationList
	for !res.Finished {
		res, err = s.GetConversationList(res.Offset, MaxListLength)
		require.NoError(t, err)
		all = append(all, res.ConversationList...)
	}
	return all
}

func TestClearWritesOneReadMarkInsteadOfEveryConversation(t *testing.T) {
	f := newFixture(t)
	unreadList(f, 2500, 10)
	future := p2p("future")
	f.apply(msg(future, "f1", 5000)) // newer than the clear: no mark can describe it
	f.ev.take()
	f.clock.set(2000)

	require.NoError(t, f.ClearTotalUnreadCount(f.ctx))

	seq := f.db.Seq()
	require.Equal(t, 1, writtenBy(f.db, seq), "only the conversation with a message after now is written")
	require.Equal(t, ReadMarks{{{seq, 2000}}, {{seq, 2000}}, nil}, f.db.marks)
	require.EqualValues(t, 0, f.total())
	seen := map[string]int{}
	events := f.ev.take()
	for _, e := range events[:len(events)-1] {
		require.Equal(t, EventConversationChanged, e.Type)
		cs := e.Detail.([]Conversation)
		require.LessOrEqual(t, len(cs), maxEventConversations, "one event holds at most 1,000 conversations")
		for _, c := range cs {
			seen[c.ConversationID]++
			require.Zero(t, c.UnreadCount)
			require.EqualValues(t, 2000, c.UpdateTime, "updateTime of %s", c.ConversationID)
		}
	}
	require.Len(t, seen, 2511, "every cleared conversation is told of once")
	for id, n := range seen {
		require.Equal(t, 1, n, id)
	}
	require.Equal(t, wantTotal(0), events[len(events)-1])
	rt, err := f.GetConversationReadTime(p2p("u00007"))
	require.NoError(t, err)
	require.EqualValues(t, 2000, rt)
	rt, err = f.GetConversationReadTime(future)
	require.NoError(t, err)
	require.EqualValues(t, 5000, rt, "marked read up to its newest message")

	// The marks hold after a reload, and for what comes after.
	before := listOf(t, f.Service)
	g := newFixtureOn(t, f.db)
	require.Equal(t, before, listOf(t, g.Service))
	require.EqualValues(t, 0, g.total())
	g.clock.set(2100)
	g.apply(msg(p2p("u00001"), "old", 1999), msg(p2p("u00002"), "new", 2001))
	require.Zero(t, g.conv(p2p("u00001")).UnreadCount, "a message older than the clear was read by it")
	require.Equal(t, 1, g.conv(p2p("u00002")).UnreadCount)
	require.EqualValues(t, 1, g.total())
	h := newFixtureOn(t, f.db)
	require.Equal(t, listOf(t, g.Service), listOf(t, h.Service))
}

func TestAnotherTabCatchesUpWithAReadMark(t *testing.T) {
	f := newFixture(t)
	unreadList(f, 1500, 0)
	other := newFixtureOn(t, f.db)
	f.clock.set(2000)
	require.NoError(t, f.ClearTotalUnreadCount(f.ctx))
	mine := f.ev.take()

	other.h.catchUp(context.Background())
	require.Equal(t, normalizeEvents(mine), normalizeEvents(other.ev.take()), "both tabs tell the same story")
	require.Equal(t, listOf(t, f.Service), listOf(t, other.Service))
	require.EqualValues(t, 0, other.total())
}

func TestClearsPastTheMarkLimitRewriteTheType(t *testing.T) {
	f := newFixture(t)
	unreadList(f, 30, 2)
	for i := range maxReadMarks {
		f.clock.set(2000 + int64(i)*10)
		f.apply(msg(p2p("u00003"), fmt.Sprintf("again%d", i), 2000+int64(i)*10-5))
		require.NoError(t, f.ClearUnreadCountByTypes(f.ctx, []ConversationType{TypeP2P}))
	}
	require.Len(t, f.db.marks[TypeP2P-1], maxReadMarks)
	f.clock.set(3000)
	f.apply(msg(p2p("u00004"), "last", 2995))
	require.NoError(t, f.ClearUnreadCountByTypes(f.ctx, []ConversationType{TypeP2P}))

	require.Empty(t, f.db.marks[TypeP2P-1], "the type's marks are gone")
	require.Equal(t, 30, writtenBy(f.db, f.db.Seq()), "every P2P conversation is written as the marks made it")
	require.EqualValues(t, 2, f.total(), "the teams' unread stays")
	g := newFixtureOn(t, f.db)
	require.Equal(t, listOf(t, f.Service), listOf(t, g.Service))
	for _, c := range listOf(t, g.Service) {
		if c.Type == TypeP2P {
			rt, err := g.GetConversationReadTime(c.ConversationID)
			require.NoError(t, err)
			require.EqualValues(t, 3000, rt, c.ConversationID)
		}
	}
}

func TestAClearWithTheClockSetBackIsExact(t *testing.T) {
	f := newFixture(t)
	unreadList(f, 20, 0)
	f.clock.set(2000)
	require.NoError(t, f.ClearTotalUnreadCount(f.ctx))
	f.clock.set(1500) // set back
	f.apply(msg(p2p("u00001"), "late", 2500), msg(p2p("fresh"), "n1", 1400))
	require.NoError(t, f.ClearTotalUnreadCount(f.ctx))

	require.Empty(t, f.db.marks[TypeP2P-1], "no mark may claim a time before the last one")
	require.EqualValues(t, 0, f.total())
	for id, want := range map[string]int64{p2p("u00002"): 2000, p2p("u00001"): 2500, p2p("fresh"): 1500} {
		rt, err := f.GetConversationReadTime(id)
		require.NoError(t, err)
		require.Equal(t, want, rt, id)
	}
	g := newFixtureOn(t, f.db)
	require.Equal(t, listOf(t, f.Service), listOf(t, g.Service))
}

func TestAFailedClearLeavesNoMark(t *testing.T) {
	f := newFixture(t)
	unreadList(f, 20, 0)
	f.db.failNextUpdate(errInjected)
	requireCode(t, CodeInternal, f.ClearTotalUnreadCount(f.ctx))
	require.Equal(t, ReadMarks{}, f.db.marks)
	require.EqualValues(t, 20, f.total())
	g := newFixtureOn(t, f.db)
	require.EqualValues(t, 20, g.total())
}
