package core

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"
)

// requireUnreadInvariant checks docs/api.md §3's invariant against the database:
// every conversation's unreadCount is the number of its stored messages that
// count, the total is their sum, and every filter's count is the sum over the
// conversations it matches. It also checks that cache and database agree.
func (f *specFixture) requireUnreadInvariant() {
	f.t.Helper()
	recs := f.db.Conversations()
	list := f.walk(0, Option{})
	var total int64
	byFilter := make([]int64, len(probeFilters))
	live := 0
	for _, rec := range recs {
		if rec.live() {
			live++
		}
	}
	require.Len(f.t, list, live, "the cache holds every live stored conversation")
	for _, c := range list {
		rec := recs[c.ConversationID]
		require.NotNil(f.t, rec)
		require.Equal(f.t, rec.Conversation, c, "cache and database agree")
		n := 0
		for _, m := range f.db.Messages(c.ConversationID) {
			if !m.Deleted && !m.Revoked && m.SenderID != me && m.UnreadEnabled && m.CreateTime > rec.ReadTime {
				n++
			}
		}
		require.Equal(f.t, n, c.UnreadCount, "unreadCount of %s", c.ConversationID)
		total += int64(n)
		for i, flt := range probeFilters {
			if typeSelected(flt.ConversationTypes, c.Type) && !(flt.IgnoreMuted && c.Mute) {
				byFilter[i] += int64(n)
			}
		}
	}
	require.Equal(f.t, total, f.total(), "total")
	for i, flt := range probeFilters {
		require.Equal(f.t, byFilter[i], f.filterCount(flt), "filter %+v", flt)
	}
}

// ---- docs/api.md §3: which messages count ----

func TestUnread_WhichMessagesCount(t *testing.T) {
	bob := p2p("bob")
	cases := []struct {
		name   string
		before func(f *specFixture)
		m      Message
		after  func(f *specFixture)
		counts bool
	}{
		{name: "a message from the peer counts", m: msg(bob, "x", 100), counts: true},
		{name: "a team message from another member counts", m: msg(team("t1"), "x", 100), counts: true},
		{name: "mine does not count", m: msg(bob, "x", 100, me)},
		{name: "unreadEnabled=false does not count", m: msgWith(msg(bob, "x", 100), func(m *Message) { m.UnreadEnabled = false })},
		{name: "a revoked message does not count", m: msg(bob, "x", 100), after: func(f *specFixture) {
			require.NoError(t, f.RevokeMessage(f.ctx, MessageKey{bob, "x"}, RevokeInfo{RevokeAccountID: "bob"}))
		}},
		{name: "a deleted message does not count", m: msg(bob, "x", 100), after: func(f *specFixture) {
			require.NoError(t, f.DeleteMessages(f.ctx, []MessageKey{{bob, "x"}}))
		}},
		{name: "older than the read time does not count", before: readAt(bob, 500), m: msg(bob, "x", 400)},
		{name: "at the read time does not count", before: readAt(bob, 500), m: msg(bob, "x", 500)},
		{name: "newer than the read time counts", before: readAt(bob, 500), m: msg(bob, "x", 501), counts: true},
		{name: "the current conversation takes none", before: func(f *specFixture) {
			require.NoError(t, f.SetCurrentConversation(f.ctx, bob))
		}, m: msg(bob, "x", 100)},
		{name: "a muted conversation counts", before: func(f *specFixture) {
			f.create(bob)
			require.NoError(t, f.UpdateConversationInfo(f.ctx, bob, ConversationInfo{Mute: boolp(true)}))
		}, m: msg(bob, "x", 100), counts: true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f := newSpec(t)
			if tc.before != nil {
				tc.before(f)
			}
			f.apply(tc.m)
			if tc.after != nil {
				tc.after(f)
			}
			want := 0
			if tc.counts {
				want = 1
			}
			require.Equal(t, want, f.unread(tc.m.ConversationID))
			require.EqualValues(t, want, f.total())
			f.requireUnreadInvariant()
		})
	}
}

// readAt creates the conversation and gives it a read time.
func readAt(id string, rt int64) func(f *specFixture) {
	return func(f *specFixture) {
		f.create(id)
		require.NoError(f.t, f.ApplyReadTime(f.ctx, id, rt))
	}
}

// ---- getTotalUnreadCount ----

func TestGetTotalUnreadCount_SumsEveryConversationMutedOnesToo(t *testing.T) {
	f := newSpec(t)
	require.Zero(t, f.total())
	f.seeded()
	require.EqualValues(t, 4, f.total())
	f.requireUnreadInvariant()
	f.requireNoEvents()
}

// ---- getUnreadCountByIds ----

func TestGetUnreadCountByIds_SumsTheExistingOnes(t *testing.T) {
	f := newSpec(t)
	bob, t1, s1, carol := f.seeded()
	f.create(team("gone"))
	f.apply(msg(team("gone"), "g1", 100))
	require.NoError(t, f.DeleteConversation(f.ctx, team("gone"), false))
	for _, tc := range []struct {
		ids  []string
		want int64
	}{
		{[]string{bob}, 2},
		{[]string{bob, t1, s1, carol}, 4},
		{[]string{bob, bob}, 2},                    // each conversation once
		{[]string{p2p("nobody"), t1}, 1},           // unknown ids are skipped
		{[]string{team("gone"), s1}, 1},            // deleted ones too
		{[]string{p2p("nobody"), team("gone")}, 0}, // none exists
	} {
		n, err := f.GetUnreadCountByIds(tc.ids)
		require.NoError(t, err)
		require.Equal(t, tc.want, n, "%v", tc.ids)
	}
}

func TestGetUnreadCountByIds_Rejects(t *testing.T) {
	requireRejectsBadIDLists(t, 0, nil, func(f *specFixture, ids []string) error {
		_, err := f.GetUnreadCountByIds(ids)
		return err
	})
}

// ---- getUnreadCountByFilter ----

func TestGetUnreadCountByFilter_AndsTypesAndIgnoreMuted(t *testing.T) {
	f := newSpec(t)
	f.seeded() // bob 2 (p2p), t1 1 (team), s1 1 (super team, muted)
	types := func(ts ...ConversationType) []ConversationType { return ts }
	for _, tc := range []struct {
		flt  Filter
		want int64
	}{
		{Filter{ConversationTypes: types(TypeP2P)}, 2},
		{Filter{ConversationTypes: types(TypeTeam)}, 1},
		{Filter{ConversationTypes: types(TypeSuperTeam)}, 1},
		{Filter{ConversationTypes: types(TypeSuperTeam, TypeP2P)}, 3},
		{Filter{ConversationTypes: types(TypeP2P, TypeTeam, TypeSuperTeam)}, 4},
		{Filter{ConversationTypes: types(TypeTeam, TypeTeam)}, 1},
		{Filter{IgnoreMuted: true}, 3},
		{Filter{ConversationTypes: types(TypeSuperTeam), IgnoreMuted: true}, 0},
		{Filter{ConversationTypes: types(TypeP2P, TypeSuperTeam), IgnoreMuted: true}, 2},
	} {
		require.Equal(t, tc.want, f.filterCount(tc.flt), "%+v", tc.flt)
	}
	f.requireNoEvents()
}

// badFilters are filters docs/api.md §1 rejects, with the parameter the message names.
var badFilters = []struct {
	name, param string
	flt         Filter
}{
	{"no types and ignoreMuted not true", "filter", Filter{}},
	{"an empty type list", "filter", Filter{ConversationTypes: []ConversationType{}}},
	{"type 0", "filter.conversationTypes[0]", Filter{ConversationTypes: []ConversationType{0}}},
	{"type 4", "filter.conversationTypes[1]", Filter{ConversationTypes: []ConversationType{1, 4}, IgnoreMuted: true}},
	{"a negative type", "filter.conversationTypes[0]", Filter{ConversationTypes: []ConversationType{-1}}},
}

func TestGetUnreadCountByFilter_Rejects(t *testing.T) {
	for _, tc := range badFilters {
		t.Run(tc.name, func(t *testing.T) {
			f := newSpec(t)
			f.seeded()
			f.requireRejected(CodeInvalidParam, tc.param, func() error {
				_, err := f.GetUnreadCountByFilter(tc.flt)
				return err
			})
		})
	}
}

// ---- clearTotalUnreadCount ----

func TestClearTotalUnreadCount_EveryConversationTo0AndItsReadTimeToItsNewestMessage(t *testing.T) {
	f := newSpec(t)
	bob, t1, s1, carol := f.seeded()
	dave := p2p("dave")
	f.apply(msg(dave, "d1", 300, me)) // only mine: nothing unread, read time 0
	notMuted := Filter{IgnoreMuted: true}
	teams := Filter{ConversationTypes: []ConversationType{TypeTeam, TypeSuperTeam}}
	f.subscribe(notMuted)
	f.subscribe(teams)
	f.ev.take()
	require.Zero(t, f.readTime(dave))

	require.NoError(t, f.ClearTotalUnreadCount(f.ctx))
	for _, id := range []string{bob, t1, s1, carol, dave} {
		require.Zero(t, f.unread(id), id)
	}
	f.requireEvents(wantChanged(f.conv(bob), f.conv(t1), f.conv(s1)), wantTotal(0), wantFilter(notMuted, 0), wantFilter(teams, 0))
	// Every conversation is marked read, those with nothing unread too:
	// max(its read time, now, its newest message).
	for _, id := range []string{bob, t1, s1, carol, dave} {
		require.EqualValues(t, 1000, f.readTime(id), id)
	}
	f.requireUnreadInvariant()

	// Nothing left to clear: nothing changes, nothing is emitted.
	before := f.snapshot()
	require.NoError(t, f.ClearTotalUnreadCount(f.ctx))
	require.Equal(t, before, f.snapshot())
	f.requireNoEvents()

	// The messages stay read: applying them again changes nothing.
	require.Equal(t, ApplyResult{Duplicates: 2}, f.apply(msg(bob, "m1", 100), msg(bob, "m2", 200)))
	require.Zero(t, f.total())
}

func TestClearTotalUnreadCount_ClearsMessagesThatDidNotUpdateTheLastMessage(t *testing.T) {
	f := newSpec(t)
	bob := p2p("bob")
	// m2 is newer than now (1000) and did not become the last message.
	f.apply(msg(bob, "m1", 100), msgWith(msg(bob, "m2", 2000), func(m *Message) { m.LastMessageUpdateEnabled = false }))
	require.Equal(t, 2, f.unread(bob))
	require.NoError(t, f.ClearTotalUnreadCount(f.ctx))
	require.Zero(t, f.unread(bob))
	require.EqualValues(t, 2000, f.readTime(bob))
	f.requireUnreadInvariant()
}

// ---- clearUnreadCountByIds ----

func TestClearUnreadCountByIds_OneResultPerIdAMissingOneGetsItsOwnError(t *testing.T) {
	f := newSpec(t)
	bob, t1, s1, carol := f.seeded()
	p2pOnly := Filter{ConversationTypes: []ConversationType{TypeP2P}}
	f.subscribe(p2pOnly)
	nobody := p2p("nobody")

	res, err := f.ClearUnreadCountByIds(f.ctx, []string{t1, nobody, bob, carol})
	require.NoError(t, err)
	require.Len(t, res, 4)
	require.Equal(t, OperationResult{ConversationID: t1}, res[0])
	require.Equal(t, nobody, res[1].ConversationID)
	require.NotNil(t, res[1].Error)
	require.Equal(t, CodeInvalidParam, res[1].Error.Code)
	require.Contains(t, res[1].Error.Message, nobody)
	require.Equal(t, OperationResult{ConversationID: bob}, res[2])
	require.Equal(t, OperationResult{ConversationID: carol}, res[3], "nothing to clear is no error")

	f.requireEvents(wantChanged(f.conv(bob), f.conv(t1)), wantTotal(1), wantFilter(p2pOnly, 0))
	require.Equal(t, 1, f.unread(s1))
	require.EqualValues(t, 1000, f.readTime(bob), "max(read time, now, newest message)")
	require.EqualValues(t, 1000, f.readTime(t1))
	require.EqualValues(t, 1000, f.readTime(carol), "marked read too, though nothing was unread")
	f.requireUnreadInvariant()

	// Again: nothing to clear.
	_, err = f.ClearUnreadCountByIds(f.ctx, []string{bob, t1})
	require.NoError(t, err)
	f.requireNoEvents()
}

func TestClearUnreadCountByIds_TakesUpTo10Ids(t *testing.T) {
	f := newSpec(t)
	var ten []string
	for i := range 10 {
		id := p2p(fmt.Sprintf("u%d", i))
		ten = append(ten, id)
		f.apply(msg(id, "m", 100))
	}
	f.ev.take()
	res, err := f.ClearUnreadCountByIds(f.ctx, ten)
	require.NoError(t, err)
	require.Len(t, res, 10)
	for _, r := range res {
		require.Nil(t, r.Error)
	}
	require.Zero(t, f.total())
}

func TestClearUnreadCountByIds_Rejects(t *testing.T) {
	requireRejectsBadIDLists(t, MaxClearIDs, func(f *specFixture, ids []string) {
		for _, id := range ids {
			f.apply(msg(id, "m", 100))
		}
	}, func(f *specFixture, ids []string) error {
		_, err := f.ClearUnreadCountByIds(f.ctx, ids)
		return err
	})
}

// ---- clearUnreadCountByTypes ----

func TestClearUnreadCountByTypes_ClearsOnlyThoseTypes(t *testing.T) {
	f := newSpec(t)
	bob, t1, s1, _ := f.seeded()
	notMuted := Filter{IgnoreMuted: true}
	f.subscribe(notMuted)

	require.NoError(t, f.ClearUnreadCountByTypes(f.ctx, []ConversationType{TypeSuperTeam, TypeTeam, TypeTeam}))
	require.Equal(t, 2, f.unread(bob))
	require.Zero(t, f.unread(t1))
	require.Zero(t, f.unread(s1))
	f.requireEvents(wantChanged(f.conv(t1), f.conv(s1)), wantTotal(2), wantFilter(notMuted, 2))

	require.NoError(t, f.ClearUnreadCountByTypes(f.ctx, []ConversationType{TypeTeam}))
	f.requireNoEvents()

	require.NoError(t, f.ClearUnreadCountByTypes(f.ctx, []ConversationType{TypeP2P}))
	f.requireEvents(wantChanged(f.conv(bob)), wantTotal(0), wantFilter(notMuted, 0))
	f.requireUnreadInvariant()
}

func TestClearUnreadCountByTypes_Rejects(t *testing.T) {
	for _, tc := range []struct {
		name, param string
		types       []ConversationType
	}{
		{"no types", "conversationTypes", nil},
		{"an empty list", "conversationTypes", []ConversationType{}},
		{"type 0", "conversationTypes[0]", []ConversationType{0}},
		{"type 4", "conversationTypes[1]", []ConversationType{1, 4}},
		{"a negative type", "conversationTypes[0]", []ConversationType{-2, 1}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newSpec(t)
			f.seeded()
			f.requireRejected(CodeInvalidParam, tc.param, func() error {
				return f.ClearUnreadCountByTypes(f.ctx, tc.types)
			})
		})
	}
}

// ---- subscribeUnreadCountByFilter / unsubscribeUnreadCountByFilter ----

func TestSubscribeUnreadCountByFilter_EmitsTheCurrentCountAtOnce(t *testing.T) {
	f := newSpec(t)
	f.seeded()
	teams := Filter{ConversationTypes: []ConversationType{TypeTeam, TypeSuperTeam}}

	require.NoError(t, f.SubscribeUnreadCountByFilter(Filter{ConversationTypes: []ConversationType{TypeSuperTeam, TypeTeam}}))
	f.requireEvents(wantFilter(teams, 2))

	// Even when the count is 0.
	superNotMuted := Filter{ConversationTypes: []ConversationType{TypeSuperTeam}, IgnoreMuted: true}
	require.NoError(t, f.SubscribeUnreadCountByFilter(superNotMuted))
	f.requireEvents(wantFilter(superNotMuted, 0))
}

func TestSubscribeUnreadCountByFilter_TheSameFilterTwiceHasNoFurtherEffect(t *testing.T) {
	f := newSpec(t)
	bob, _, _, _ := f.seeded()
	teams := Filter{ConversationTypes: []ConversationType{TypeTeam, TypeP2P}}
	f.subscribe(teams)
	for _, same := range []Filter{
		teams,
		{ConversationTypes: []ConversationType{TypeP2P, TypeTeam}},
		{ConversationTypes: []ConversationType{TypeTeam, TypeP2P, TypeP2P}},
	} {
		require.NoError(t, f.SubscribeUnreadCountByFilter(same))
		f.requireNoEvents()
	}
	// A change is told once, not once per subscribe call.
	f.apply(msg(bob, "m3", 300))
	f.requireEvents(wantChanged(f.conv(bob)), wantTotal(5), wantFilter(Filter{ConversationTypes: []ConversationType{TypeP2P, TypeTeam}}, 4))

	// ignoreMuted makes another filter.
	require.NoError(t, f.SubscribeUnreadCountByFilter(Filter{ConversationTypes: []ConversationType{TypeP2P, TypeTeam}, IgnoreMuted: true}))
	f.requireEvents(wantFilter(Filter{ConversationTypes: []ConversationType{TypeP2P, TypeTeam}, IgnoreMuted: true}, 4))
}

func TestSubscribeUnreadCountByFilter_ASubscribedFilterHearsOfEveryChangeOfItsCount(t *testing.T) {
	f := newSpec(t)
	bob, t1, s1, _ := f.seeded()
	p2pOnly := Filter{ConversationTypes: []ConversationType{TypeP2P}}
	f.subscribe(p2pOnly)

	f.apply(msg(t1, "t1c", 300)) // not a P2P conversation: no filter event
	f.requireEvents(wantChanged(f.conv(t1)), wantTotal(5))
	f.apply(msg(bob, "m3", 300))
	f.requireEvents(wantChanged(f.conv(bob)), wantTotal(6), wantFilter(p2pOnly, 3))
	require.NoError(t, f.UpdateConversationInfo(f.ctx, s1, ConversationInfo{Mute: boolp(false)}))
	f.requireEvents(wantChanged(f.conv(s1)))
}

func TestSubscribeUnreadCountByFilter_Rejects(t *testing.T) {
	for _, tc := range badFilters {
		t.Run(tc.name, func(t *testing.T) {
			f := newSpec(t)
			f.seeded()
			f.requireRejected(CodeInvalidParam, tc.param, func() error {
				return f.SubscribeUnreadCountByFilter(tc.flt)
			})
		})
	}
}

func TestUnsubscribeUnreadCountByFilter_EndsTheEvents(t *testing.T) {
	f := newSpec(t)
	bob, _, _, _ := f.seeded()
	p2pOnly := Filter{ConversationTypes: []ConversationType{TypeP2P}}
	notMuted := Filter{IgnoreMuted: true}
	f.subscribe(Filter{ConversationTypes: []ConversationType{TypeP2P, TypeP2P}})
	f.subscribe(notMuted)

	require.NoError(t, f.UnsubscribeUnreadCountByFilter(p2pOnly))
	f.requireNoEvents()
	f.apply(msg(bob, "m3", 300))
	f.requireEvents(wantChanged(f.conv(bob)), wantTotal(5), wantFilter(notMuted, 4))

	// Subscribing again starts over with the current count.
	require.NoError(t, f.SubscribeUnreadCountByFilter(p2pOnly))
	f.requireEvents(wantFilter(p2pOnly, 3))
}

func TestUnsubscribeUnreadCountByFilter_AnUnknownFilterHasNoEffect(t *testing.T) {
	f := newSpec(t)
	f.seeded()
	f.subscribe(Filter{IgnoreMuted: true})
	before := f.snapshot()
	for _, flt := range []Filter{
		{ConversationTypes: []ConversationType{TypeP2P}},
		{ConversationTypes: []ConversationType{TypeP2P}, IgnoreMuted: true},
	} {
		require.NoError(t, f.UnsubscribeUnreadCountByFilter(flt))
	}
	require.Equal(t, before, f.snapshot())
	f.requireNoEvents()
}

func TestUnsubscribeUnreadCountByFilter_Rejects(t *testing.T) {
	for _, tc := range badFilters {
		t.Run(tc.name, func(t *testing.T) {
			f := newSpec(t)
			f.seeded()
			f.subscribe(Filter{IgnoreMuted: true})
			f.requireRejected(CodeInvalidParam, tc.param, func() error {
				return f.UnsubscribeUnreadCountByFilter(tc.flt)
			})
		})
	}
}

// ---- markConversationRead ----

func TestMarkConversationRead_MovesTheReadTimeToNow(t *testing.T) {
	f := newSpec(t)
	bob, _, _, _ := f.seeded()
	p2pOnly := Filter{ConversationTypes: []ConversationType{TypeP2P}}
	f.subscribe(p2pOnly)
	f.clock.set(5000)

	rt, err := f.MarkConversationRead(f.ctx, bob)
	require.NoError(t, err)
	require.EqualValues(t, 5000, rt, "max(read time, now, newest message)")
	require.EqualValues(t, 5000, f.readTime(bob))
	require.Zero(t, f.unread(bob))
	f.requireEvents(wantChanged(f.conv(bob)), wantReadTime(bob, 5000), wantTotal(2), wantFilter(p2pOnly, 0))
	f.requireUnreadInvariant()

	// Again at the same time: the same read time, nothing emitted.
	rt, err = f.MarkConversationRead(f.ctx, bob)
	require.NoError(t, err)
	require.EqualValues(t, 5000, rt)
	f.requireNoEvents()
}

func TestMarkConversationRead_MovesTheReadTimeToANewerMessage(t *testing.T) {
	f := newSpec(t)
	bob := p2p("bob")
	f.apply(msg(bob, "m1", 100), msg(bob, "m2", 7000)) // a clock behind the server's
	f.ev.take()
	rt, err := f.MarkConversationRead(f.ctx, bob)
	require.NoError(t, err)
	require.EqualValues(t, 7000, rt)
	require.Zero(t, f.unread(bob))
	f.requireEvents(wantChanged(f.conv(bob)), wantReadTime(bob, 7000), wantTotal(0))
}

func TestMarkConversationRead_WithoutMessagesMarksNow(t *testing.T) {
	f := newSpec(t)
	_, _, _, carol := f.seeded()
	f.clock.set(5000)
	rt, err := f.MarkConversationRead(f.ctx, carol)
	require.NoError(t, err)
	require.EqualValues(t, 5000, rt)
	require.EqualValues(t, 5000, f.readTime(carol))
	f.requireEvents(wantReadTime(carol, 5000)) // nothing the list shows changed
}

func TestMarkConversationRead_NeverMovesTheReadTimeBack(t *testing.T) {
	f := newSpec(t)
	bob, _, _, _ := f.seeded()
	require.NoError(t, f.ApplyReadTime(f.ctx, bob, 5000))
	f.ev.take()
	rt, err := f.MarkConversationRead(f.ctx, bob)
	require.NoError(t, err)
	require.EqualValues(t, 5000, rt, "max(stored, now, newest message)")
	f.requireNoEvents()
}

// docs/api.md: read time := max(stored, now, the createTime of its newest stored
// message, whether or not it became lastMessage); afterwards unread is 0. A
// newer message applied with lastMessageUpdateEnabled false (here newer than
// now too) is read as well.
func TestMarkConversationRead_ClearsMessagesThatDidNotUpdateTheLastMessage(t *testing.T) {
	f := newSpec(t)
	bob := p2p("bob")
	f.apply(msg(bob, "m1", 100), msg(bob, "m2", 1200),
		msgWith(msg(bob, "m3", 1300), func(m *Message) { m.LastMessageUpdateEnabled = false }))
	require.Equal(t, 3, f.unread(bob))
	require.Equal(t, "m2", f.conv(bob).LastMessage.MessageRefer.MessageClientID)
	f.ev.take()
	rt, err := f.MarkConversationRead(f.ctx, bob)
	require.NoError(t, err)
	require.EqualValues(t, 1300, rt, "the newest message's time, not the last message's")
	require.Zero(t, f.unread(bob))
	f.requireEvents(wantChanged(f.conv(bob)), wantReadTime(bob, 1300), wantTotal(0))
	f.requireUnreadInvariant()
}

func TestMarkConversationRead_Rejects(t *testing.T) {
	cases := map[string]string{"unknown": p2p("nobody"), "deleted": team("gone")}
	for _, bad := range badConversationIDs {
		cases["id: "+bad.name] = bad.id
	}
	for name, id := range cases {
		t.Run(name, func(t *testing.T) {
			f := newSpec(t)
			f.seeded()
			f.apply(msg(team("gone"), "g", 100))
			require.NoError(t, f.DeleteConversation(f.ctx, team("gone"), false))
			f.requireRejected(CodeInvalidParam, "conversationId", func() error {
				_, err := f.MarkConversationRead(f.ctx, id)
				return err
			})
		})
	}
}

// ---- getConversationReadTime ----

func TestGetConversationReadTime_ZeroWhenNeverMarked(t *testing.T) {
	f := newSpec(t)
	bob, t1, s1, carol := f.seeded()
	for _, id := range []string{bob, t1, s1, carol} {
		require.Zero(t, f.readTime(id), id)
	}
	_, err := f.MarkConversationRead(f.ctx, bob)
	require.NoError(t, err)
	require.EqualValues(t, 1000, f.readTime(bob))
	require.NoError(t, f.ApplyReadTime(f.ctx, t1, 155))
	require.EqualValues(t, 155, f.readTime(t1))
	_, err = f.ClearUnreadCountByIds(f.ctx, []string{s1})
	require.NoError(t, err)
	require.EqualValues(t, 1000, f.readTime(s1))
}

func TestGetConversationReadTime_Rejects(t *testing.T) {
	cases := map[string]string{"unknown": p2p("nobody"), "deleted": team("gone")}
	for _, bad := range badConversationIDs {
		cases["id: "+bad.name] = bad.id
	}
	for name, id := range cases {
		t.Run(name, func(t *testing.T) {
			f := newSpec(t)
			f.seeded()
			f.apply(msg(team("gone"), "g", 100))
			require.NoError(t, f.DeleteConversation(f.ctx, team("gone"), false))
			f.requireRejected(CodeInvalidParam, "conversationId", func() error {
				_, err := f.GetConversationReadTime(id)
				return err
			})
		})
	}
}

// ---- applyReadTime ----

func TestApplyReadTime_RecomputesUnreadAndEmitsReadTimeUpdated(t *testing.T) {
	f := newSpec(t)
	bob, _, _, _ := f.seeded()
	p2pOnly := Filter{ConversationTypes: []ConversationType{TypeP2P}}
	f.subscribe(p2pOnly)

	require.NoError(t, f.ApplyReadTime(f.ctx, bob, 100))
	require.Equal(t, 1, f.unread(bob), "m2 at 200 is still unread")
	require.EqualValues(t, 100, f.readTime(bob))
	f.requireEvents(wantChanged(f.conv(bob)), wantReadTime(bob, 100), wantTotal(3), wantFilter(p2pOnly, 1))

	// A newer read time that leaves unread alone only says so.
	require.NoError(t, f.ApplyReadTime(f.ctx, bob, 150))
	f.requireEvents(wantReadTime(bob, 150))

	require.NoError(t, f.ApplyReadTime(f.ctx, bob, 9000))
	require.Zero(t, f.unread(bob))
	f.requireEvents(wantChanged(f.conv(bob)), wantReadTime(bob, 9000), wantTotal(2), wantFilter(p2pOnly, 0))
	f.requireUnreadInvariant()
}

func TestApplyReadTime_AnOlderOrEqualReadTimeChangesNothing(t *testing.T) {
	f := newSpec(t)
	bob, _, _, carol := f.seeded()
	require.NoError(t, f.ApplyReadTime(f.ctx, bob, 150))
	f.ev.take()
	before := f.snapshot()
	for _, tc := range []struct {
		id string
		rt int64
	}{{bob, 150}, {bob, 149}, {bob, 0}, {carol, 0}} {
		require.NoError(t, f.ApplyReadTime(f.ctx, tc.id, tc.rt))
	}
	require.Equal(t, before, f.snapshot())
	f.requireNoEvents()
}

func TestApplyReadTime_Rejects(t *testing.T) {
	cases := []struct {
		name, param, id string
		rt              int64
	}{
		{"unknown conversation", "conversationId", p2p("nobody"), 100},
		{"deleted conversation", "conversationId", team("gone"), 100},
		{"negative read time", "readTime", p2p("bob"), -1},
		{"read time at 1e15", "readTime", p2p("bob"), 1e15},
	}
	for _, bad := range badConversationIDs {
		cases = append(cases, struct {
			name, param, id string
			rt              int64
		}{"id: " + bad.name, "conversationId", bad.id, 100})
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f := newSpec(t)
			f.seeded()
			f.apply(msg(team("gone"), "g", 100))
			require.NoError(t, f.DeleteConversation(f.ctx, team("gone"), false))
			f.requireRejected(CodeInvalidParam, tc.param, func() error {
				return f.ApplyReadTime(f.ctx, tc.id, tc.rt)
			})
		})
	}
}

// ---- setCurrentConversation ----

func TestSetCurrentConversation_MarksItReadWithoutReadTimeEvent(t *testing.T) {
	f := newSpec(t)
	bob, _, _, _ := f.seeded()
	p2pOnly := Filter{ConversationTypes: []ConversationType{TypeP2P}}
	f.subscribe(p2pOnly)
	f.clock.set(5000)

	require.NoError(t, f.SetCurrentConversation(f.ctx, bob))
	require.Zero(t, f.unread(bob))
	require.EqualValues(t, 5000, f.readTime(bob), "max(read time, now, newest message)")
	// Clearing unread shows as conversationChanged.
	f.requireEvents(wantChanged(f.conv(bob)), wantTotal(2), wantFilter(p2pOnly, 0))
	f.requireUnreadInvariant()

	// The same one again: nothing to do.
	require.NoError(t, f.SetCurrentConversation(f.ctx, bob))
	f.requireNoEvents()
}

func TestSetCurrentConversation_ItTakesNoUnreadAndItsReadTimeFollows(t *testing.T) {
	f := newSpec(t)
	bob, t1, _, _ := f.seeded()
	require.NoError(t, f.SetCurrentConversation(f.ctx, bob))
	f.ev.take()

	require.EqualValues(t, 1000, f.readTime(bob), "marked read at now")
	f.apply(msg(bob, "m3", 1300), msg(t1, "t1c", 1310))
	require.Zero(t, f.unread(bob))
	require.EqualValues(t, 1300, f.readTime(bob))
	require.Equal(t, "m3", f.conv(bob).LastMessage.MessageRefer.MessageClientID)
	require.Equal(t, 2, f.unread(t1))
	f.requireEvents(wantChanged(f.conv(bob), f.conv(t1)), wantTotal(3))

	// An older message for it does not count either, nor move the read time back.
	f.apply(msg(bob, "m0", 50))
	require.Zero(t, f.unread(bob))
	require.EqualValues(t, 1300, f.readTime(bob))
	f.requireUnreadInvariant()

	// Switching away: new messages count again; the new current one is cleared.
	require.NoError(t, f.SetCurrentConversation(f.ctx, t1))
	f.requireEvents(wantChanged(f.conv(t1)), wantTotal(1))
	f.apply(msg(bob, "m4", 1400))
	require.Equal(t, 1, f.unread(bob))

	// None current.
	require.NoError(t, f.SetCurrentConversation(f.ctx, ""))
	f.requireEvents(wantChanged(f.conv(bob)), wantTotal(2))
	f.apply(msg(t1, "t1d", 1500))
	require.Equal(t, 1, f.unread(t1))
	f.requireUnreadInvariant()
}

func TestSetCurrentConversation_AConversationThatDoesNotExistYet(t *testing.T) {
	f := newSpec(t)
	dave := p2p("dave")
	require.NoError(t, f.SetCurrentConversation(f.ctx, dave))
	f.requireNoEvents()
	_, err := f.GetConversation(dave)
	requireCode(t, CodeInvalidParam, err)

	f.apply(msg(dave, "d1", 100), msg(dave, "d2", 200))
	c := f.conv(dave)
	require.Zero(t, c.UnreadCount)
	require.EqualValues(t, 200, f.readTime(dave))
	f.requireEvents(wantCreated(c)) // no unread: no total event
}

func TestSetCurrentConversation_Rejects(t *testing.T) {
	for _, bad := range badConversationIDs {
		if bad.id == "" {
			continue // "" is "none" in the Go API
		}
		t.Run(bad.name, func(t *testing.T) {
			f := newSpec(t)
			f.seeded()
			require.NoError(t, f.SetCurrentConversation(f.ctx, p2p("bob")))
			f.requireRejected(CodeInvalidParam, "conversationId", func() error {
				return f.SetCurrentConversation(f.ctx, bad.id)
			})
			// The current conversation is still the one it was.
			f.apply(msg(p2p("bob"), "m3", 300))
			require.Zero(t, f.unread(p2p("bob")))
		})
	}
}
