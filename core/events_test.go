package core

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// docs/api.md §4: created…, deleted, changed, readTimeUpdated, total, filters.
func TestEvents_OneCallsEventsComeInSpecOrder(t *testing.T) {
	f := newSpec(t)
	bob, t1, _, carol := f.seeded()
	all := Filter{ConversationTypes: []ConversationType{TypeP2P, TypeTeam, TypeSuperTeam}}
	superOnly := Filter{ConversationTypes: []ConversationType{TypeSuperTeam}}
	p2pOnly := Filter{ConversationTypes: []ConversationType{TypeP2P}}
	f.subscribe(all)
	f.subscribe(superOnly) // not affected below: no event
	f.subscribe(p2pOnly)
	dave, erin := p2p("dave"), team("erin")

	f.apply(msg(t1, "t1c", 400), msg(erin, "e1", 300, me), msg(dave, "d1", 350), msg(bob, "m3", 500), msg(carol, "c1", 50, me))
	f.requireEvents(
		wantCreated(f.conv(dave)), wantCreated(f.conv(erin)), // new ones, with their final state
		wantChanged(f.conv(bob), f.conv(carol), f.conv(t1)), // the others, in id order
		wantTotal(7),
		wantFilter(all, 7), wantFilter(p2pOnly, 4), // by subscription, only those whose count changed
	)
}

func TestEvents_ReadTimeUpdatedComesAfterChangedAndBeforeTheCounts(t *testing.T) {
	f := newSpec(t)
	bob, _, _, _ := f.seeded()
	notMuted := Filter{IgnoreMuted: true}
	f.subscribe(notMuted)
	_, err := f.MarkConversationRead(f.ctx, bob)
	require.NoError(t, err)
	f.requireEvents(wantChanged(f.conv(bob)), wantReadTime(bob, 1000), wantTotal(2), wantFilter(notMuted, 1))
}

func TestEvents_AConversationInAnEventIsItsStateAfterTheCall(t *testing.T) {
	f := newSpec(t)
	bob := p2p("bob")
	f.clock.set(3000)
	f.apply(msg(bob, "m1", 100), msg(bob, "m2", 200))
	events := f.ev.take()
	require.Len(t, events, 2)
	c := events[0].Detail.(Conversation)
	require.Equal(t, f.conv(bob), c)
	require.Equal(t, 2, c.UnreadCount)
	require.Equal(t, "m2", c.LastMessage.MessageRefer.MessageClientID)
	require.Equal(t, wantTotal(2), events[1])
}

// A call that changes nothing emits nothing, and writes nothing.
func TestEvents_ACallThatChangesNothingEmitsNothing(t *testing.T) {
	f := newSpec(t)
	bob, t1, s1, carol := f.seeded()
	f.subscribe(Filter{IgnoreMuted: true})
	require.NoError(t, f.ApplyReadTime(f.ctx, t1, 160))
	require.NoError(t, f.UpdateConversationLocalExtension(f.ctx, bob, "ext"))
	require.NoError(t, f.RevokeMessage(f.ctx, MessageKey{bob, "m1"}, RevokeInfo{RevokeAccountID: "bob"}))
	f.ev.take()
	calls := []struct {
		name string
		call func() error
	}{
		{"createConversation of an existing one", func() error { _, err := f.CreateConversation(f.ctx, bob); return err }},
		{"the same localExtension", func() error { return f.UpdateConversationLocalExtension(f.ctx, bob, "ext") }},
		{"pin a pinned one", func() error { return f.StickTopConversation(f.ctx, carol, true) }},
		{"unpin an unpinned one", func() error { return f.StickTopConversation(f.ctx, bob, false) }},
		{"delete only missing ones", func() error {
			_, err := f.DeleteConversationListByIds(f.ctx, []string{p2p("x")}, true)
			return err
		}},
		{"subscribe a subscribed filter", func() error { return f.SubscribeUnreadCountByFilter(Filter{IgnoreMuted: true}) }},
		{"unsubscribe an unknown filter", func() error {
			return f.UnsubscribeUnreadCountByFilter(Filter{ConversationTypes: []ConversationType{TypeTeam}})
		}},
		{"applyMessages of known messages", func() error {
			_, err := f.ApplyMessages(f.ctx, []Message{msg(bob, "m1", 100), msg(s1, "s1a", 120)})
			return err
		}},
		{"revoke a revoked message again", func() error {
			return f.RevokeMessage(f.ctx, MessageKey{bob, "m1"}, RevokeInfo{RevokeAccountID: "bob"})
		}},
		{"delete messages that are not stored", func() error { return f.DeleteMessages(f.ctx, []MessageKey{{bob, "zz"}}) }},
		{"updateConversationInfo with the same values", func() error {
			return f.UpdateConversationInfo(f.ctx, s1, ConversationInfo{Mute: boolp(true), Name: strp("")})
		}},
		{"setCurrentConversation(none) when there is none", func() error { return f.SetCurrentConversation(f.ctx, "") }},
		{"an older read time", func() error { return f.ApplyReadTime(f.ctx, t1, 100) }},
		{"queries", func() error {
			_, err1 := f.GetConversation(bob)
			_, err2 := f.GetConversationList(0, 10)
			_, err3 := f.GetConversationListByIds([]string{bob})
			_, err4 := f.GetStickTopConversationList()
			_, err5 := f.GetTotalUnreadCount()
			_, err6 := f.GetUnreadCountByIds([]string{bob})
			_, err7 := f.GetUnreadCountByFilter(Filter{IgnoreMuted: true})
			_, err8 := f.GetConversationReadTime(bob)
			for _, err := range []error{err1, err2, err3, err4, err5, err6, err7, err8} {
				if err != nil {
					return err
				}
			}
			return nil
		}},
	}
	for _, c := range calls {
		f.clock.set(f.clock.now() + 1000) // time passing is no change either
		before := f.snapshot()
		require.NoError(t, c.call(), c.name)
		require.Equal(t, before, f.snapshot(), c.name)
		require.Empty(t, f.ev.take(), c.name)
	}
}

// Marking read what is read changes nothing the app sees: later, only the
// read time moves (max(read time, now, newest message)); at the same time,
// nothing at all.
func TestEvents_MarkingReadWhatIsReadMovesOnlyTheReadTime(t *testing.T) {
	f := newSpec(t)
	_, t1, _, carol := f.seeded()
	f.subscribe(Filter{IgnoreMuted: true})
	_, err := f.ClearUnreadCountByIds(f.ctx, []string{t1})
	require.NoError(t, err)
	f.ev.take()
	calls := []struct {
		name string
		call func() error
	}{
		{"clear a conversation with nothing unread", func() error {
			_, err := f.ClearUnreadCountByIds(f.ctx, []string{t1, carol})
			return err
		}},
		{"clear types with nothing unread", func() error { return f.ClearUnreadCountByTypes(f.ctx, []ConversationType{TypeTeam}) }},
		{"markConversationRead on a read one", func() error { _, err := f.MarkConversationRead(f.ctx, t1); return err }},
	}
	for _, c := range calls {
		// At the same time: nothing changes.
		require.NoError(t, c.call(), c.name)
		f.ev.take()
		before := f.snapshot()
		require.NoError(t, c.call(), c.name)
		require.Equal(t, before, f.snapshot(), c.name)
		require.Empty(t, f.ev.take(), c.name)

		// Later: the read time moves to now, and only markConversationRead says so.
		f.clock.set(f.clock.now() + 1000)
		require.NoError(t, c.call(), c.name)
		require.Equal(t, f.clock.now(), f.readTime(t1), c.name)
		events := f.ev.take()
		if c.name == "markConversationRead on a read one" {
			require.Equal(t, []Event{wantReadTime(t1, f.clock.now())}, events, c.name)
		} else {
			require.Empty(t, events, c.name)
		}
	}
}

// Changes made in one tab reach the other tabs of the same account as the
// same events.
func TestEvents_AnotherTabHearsTheSameEvents(t *testing.T) {
	a := newSpec(t)
	b := a.openTab()
	notMuted := Filter{IgnoreMuted: true}
	a.subscribe(notMuted)
	b.subscribe(notMuted)
	bob, t1 := p2p("bob"), team("t1")

	steps := []struct {
		name string
		call func() error
	}{
		{"applyMessages", func() error {
			_, err := a.ApplyMessages(a.ctx, []Message{msg(bob, "m1", 100), msg(bob, "m2", 200), msg(t1, "t", 150)})
			return err
		}},
		{"markConversationRead", func() error { _, err := a.MarkConversationRead(a.ctx, bob); return err }},
		{"applyReadTime", func() error { return a.ApplyReadTime(a.ctx, t1, 120) }},
		{"stickTop", func() error { return a.StickTopConversation(a.ctx, t1, true) }},
		{"mute", func() error { return a.UpdateConversationInfo(a.ctx, t1, ConversationInfo{Mute: boolp(true)}) }},
		{"revoke", func() error { return a.RevokeMessage(a.ctx, MessageKey{t1, "t"}, RevokeInfo{RevokeAccountID: "bob"}) }},
		{"deleteConversation", func() error { return a.DeleteConversation(a.ctx, bob, false) }},
		{"createConversation", func() error { _, err := a.CreateConversation(a.ctx, bob); return err }},
	}
	for _, step := range steps {
		require.NoError(t, step.call(), step.name)
		want := a.ev.take()
		require.NotEmpty(t, want, step.name)
		var got []Event
		require.Eventually(t, func() bool {
			got = append(got, b.ev.take()...)
			return len(got) >= len(want)
		}, 5*time.Second, time.Millisecond, step.name)
		require.Equal(t, want, got, step.name)
	}
	require.Equal(t, a.snapshot().List, b.snapshot().List)
}
