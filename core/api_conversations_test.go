package core

import (
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// ---- createConversation ----

func TestCreateConversation_CreatesAnEmptyConversationOfTheIdsType(t *testing.T) {
	for _, tc := range []struct {
		id  string
		typ ConversationType
	}{
		{p2p("bob"), TypeP2P},
		{team("t1"), TypeTeam},
		{superTeam("s1"), TypeSuperTeam},
		{p2p("a|b"), TypeP2P}, // the targetId is everything after the second '|'
	} {
		t.Run(tc.id, func(t *testing.T) {
			f := newSpec(t)
			f.clock.set(5000)
			c, err := f.CreateConversation(f.ctx, tc.id)
			require.NoError(t, err)
			want := Conversation{ConversationID: tc.id, Type: tc.typ, SortOrder: 5000, CreateTime: 5000, UpdateTime: 5000}
			require.Equal(t, want, c)
			require.Equal(t, want, f.conv(tc.id))
			f.requireEvents(wantCreated(want))
			require.True(t, f.db.Conversations()[tc.id].live(), "stored")
		})
	}
}

func TestCreateConversation_AnExistingIdIsReturnedAsItIsAndEmitsNothing(t *testing.T) {
	f := newSpec(t)
	bob, _, _, carol := f.seeded()
	for _, id := range []string{bob, carol} {
		before := f.snapshot()
		f.clock.set(9000)
		c, err := f.CreateConversation(f.ctx, id)
		require.NoError(t, err)
		require.Equal(t, f.conv(id), c)
		require.Equal(t, before, f.snapshot())
		f.requireNoEvents()
	}
}

func TestCreateConversation_RejectsMalformedIdsAndIdsOfAnotherAccount(t *testing.T) {
	for _, tc := range badConversationIDs {
		t.Run(tc.name, func(t *testing.T) {
			f := newSpec(t)
			f.seeded()
			f.requireRejected(CodeInvalidParam, "conversationId", func() error {
				_, err := f.CreateConversation(f.ctx, tc.id)
				return err
			})
		})
	}
}

func TestCreateConversation_AfterDeleteStartsFreshButKeepsTheReadTime(t *testing.T) {
	f := newSpec(t)
	bob := p2p("bob")
	f.apply(msg(bob, "m1", 100), msg(bob, "m2", 200))
	require.NoError(t, f.DeleteConversation(f.ctx, bob, false))
	f.ev.take()

	f.clock.set(7000)
	c, err := f.CreateConversation(f.ctx, bob)
	require.NoError(t, err)
	want := Conversation{ConversationID: bob, Type: TypeP2P, SortOrder: 7000, CreateTime: 7000, UpdateTime: 7000}
	require.Equal(t, want, c)
	require.EqualValues(t, 1000, f.readTime(bob), "marked read when it was deleted, at 1000")
	f.requireEvents(wantCreated(want))
}

// ---- updateConversationLocalExtension ----

func TestUpdateConversationLocalExtension_SetsItAndEmitsConversationChanged(t *testing.T) {
	f := newSpec(t)
	bob, _, _, _ := f.seeded()
	before := f.conv(bob)
	f.clock.set(3000)

	require.NoError(t, f.UpdateConversationLocalExtension(f.ctx, bob, `{"draft":"hi"}`))
	c := f.conv(bob)
	require.Equal(t, `{"draft":"hi"}`, c.LocalExtension)
	require.EqualValues(t, 3000, c.UpdateTime)
	require.Equal(t, before.SortOrder, c.SortOrder, "the extension does not move the conversation")
	require.Equal(t, before.UnreadCount, c.UnreadCount)
	f.requireEvents(wantChanged(c))

	// Clearing it is a change too.
	require.NoError(t, f.UpdateConversationLocalExtension(f.ctx, bob, ""))
	require.Equal(t, "", f.conv(bob).LocalExtension)
	f.requireEvents(wantChanged(f.conv(bob)))
}

func TestUpdateConversationLocalExtension_TheSameValueEmitsNothing(t *testing.T) {
	f := newSpec(t)
	bob, _, _, _ := f.seeded()
	require.NoError(t, f.UpdateConversationLocalExtension(f.ctx, bob, "x"))
	f.ev.take()
	before := f.snapshot()
	f.clock.set(9000)
	require.NoError(t, f.UpdateConversationLocalExtension(f.ctx, bob, "x"))
	require.Equal(t, before, f.snapshot(), "updateTime does not move either")
	f.requireNoEvents()
}

func TestUpdateConversationLocalExtension_AllowsUpTo64KiBOfUTF8(t *testing.T) {
	f := newSpec(t)
	bob, _, _, _ := f.seeded()
	for _, ext := range []string{
		strings.Repeat("a", 64<<10),
		strings.Repeat("中", 21845) + "a", // 3 bytes a rune: 65535 + 1
	} {
		require.NoError(t, f.UpdateConversationLocalExtension(f.ctx, bob, ext))
		require.Equal(t, ext, f.conv(bob).LocalExtension)
	}
}

func TestUpdateConversationLocalExtension_Rejects(t *testing.T) {
	cases := []struct {
		name, param string
		id          func(bob string) string
		ext         string
	}{
		{"one byte over 64 KiB", "localExtension", nil, strings.Repeat("a", 64<<10+1)},
		{"64 KiB counted in UTF-8 bytes, not characters", "localExtension", nil, strings.Repeat("中", 21846)},
		{"an unknown conversation", "conversationId", func(string) string { return p2p("nobody") }, "x"},
		{"a deleted conversation", "conversationId", func(string) string { return team("gone") }, "x"},
	}
	for _, bad := range badConversationIDs {
		id := bad.id
		cases = append(cases, struct {
			name, param string
			id          func(bob string) string
			ext         string
		}{"id: " + bad.name, "conversationId", func(string) string { return id }, "x"})
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f := newSpec(t)
			bob, _, _, _ := f.seeded()
			f.create(team("gone"))
			require.NoError(t, f.DeleteConversation(f.ctx, team("gone"), false))
			id := bob
			if tc.id != nil {
				id = tc.id(bob)
			}
			f.requireRejected(CodeInvalidParam, tc.param, func() error {
				return f.UpdateConversationLocalExtension(f.ctx, id, tc.ext)
			})
		})
	}
}

// ---- deleteConversation ----

func TestDeleteConversation_EmitsConversationDeletedAndRemovesIt(t *testing.T) {
	f := newSpec(t)
	_, _, _, carol := f.seeded()
	total := f.total()

	require.NoError(t, f.DeleteConversation(f.ctx, carol, false))
	f.requireEvents(wantDeleted(carol)) // no unread: no count events
	_, err := f.GetConversation(carol)
	requireCode(t, CodeInvalidParam, err)
	require.NotContains(t, idsOf(f.walk(0, Option{})), carol)
	pinned, err := f.GetStickTopConversationList()
	require.NoError(t, err)
	require.Empty(t, pinned)
	require.Equal(t, total, f.total())
	rec := f.db.Conversations()[carol]
	require.NotNil(t, rec)
	require.True(t, rec.Deleted, "the database keeps a tombstone")
}

func TestDeleteConversation_WithUnreadEmitsTotalAndFilterEvents(t *testing.T) {
	f := newSpec(t)
	bob, _, s1, _ := f.seeded()
	p2pOnly := Filter{ConversationTypes: []ConversationType{TypeP2P}}
	notMuted := Filter{IgnoreMuted: true}
	teams := Filter{ConversationTypes: []ConversationType{TypeTeam}}
	f.subscribe(p2pOnly)
	f.subscribe(notMuted)
	f.subscribe(teams)
	require.EqualValues(t, 4, f.total())

	require.NoError(t, f.DeleteConversation(f.ctx, bob, false))
	f.requireEvents(wantDeleted(bob), wantTotal(2), wantFilter(p2pOnly, 0), wantFilter(notMuted, 1))

	// A muted conversation's unread leaves the total too.
	require.NoError(t, f.DeleteConversation(f.ctx, s1, false))
	f.requireEvents(wantDeleted(s1), wantTotal(1))
}

func TestDeleteConversation_MarksItsReadTimeFirstSoItsMessagesNeverCountAgain(t *testing.T) {
	f := newSpec(t)
	bob := p2p("bob")
	f.apply(msg(bob, "m1", 100), msg(bob, "m2", 200))
	require.NoError(t, f.DeleteConversation(f.ctx, bob, false))
	require.Zero(t, f.total())

	// Back by createConversation: the stored messages do not count.
	f.create(bob)
	require.Zero(t, f.unread(bob))
	require.EqualValues(t, 1000, f.readTime(bob), "marked read when it was deleted: max(read time, now, newest message)")
	require.Zero(t, f.total())

	// Back by a message: only what is newer than the marked read time counts.
	require.NoError(t, f.DeleteConversation(f.ctx, bob, false))
	res := f.apply(msg(bob, "m1", 100), msg(bob, "old", 150), msg(bob, "new", 1300))
	require.Equal(t, ApplyResult{Applied: 2, Duplicates: 1}, res)
	require.Equal(t, 1, f.unread(bob))
	require.EqualValues(t, 1, f.total())
}

func TestDeleteConversation_ClearMessageDeletesItsStoredMessages(t *testing.T) {
	for _, clear := range []bool{false, true} {
		t.Run(fmt.Sprintf("clearMessage=%v", clear), func(t *testing.T) {
			f := newSpec(t)
			bob, t1, _, _ := f.seeded()
			require.NoError(t, f.DeleteConversation(f.ctx, bob, clear))
			for _, id := range []string{"m1", "m2"} {
				m := f.stored(bob, id)
				require.NotNil(t, m, "a message stays known")
				require.Equal(t, clear, m.Deleted)
			}
			require.False(t, f.stored(t1, "t1a").Deleted, "other conversations keep theirs")
			// Either way the messages are known: applying them again is a duplicate.
			require.Equal(t, ApplyResult{Duplicates: 2}, f.apply(msg(bob, "m1", 100), msg(bob, "m2", 200)))
			_, err := f.GetConversation(bob)
			requireCode(t, CodeInvalidParam, err)
		})
	}
}

func TestDeleteConversation_Rejects(t *testing.T) {
	cases := map[string]string{"unknown": p2p("nobody"), "deleted already": team("gone")}
	for _, bad := range badConversationIDs {
		cases["id: "+bad.name] = bad.id
	}
	for name, id := range cases {
		t.Run(name, func(t *testing.T) {
			f := newSpec(t)
			f.seeded()
			f.create(team("gone"))
			require.NoError(t, f.DeleteConversation(f.ctx, team("gone"), true))
			f.requireRejected(CodeInvalidParam, "conversationId", func() error {
				return f.DeleteConversation(f.ctx, id, true)
			})
		})
	}
}

// ---- deleteConversationListByIds ----

func TestDeleteConversationListByIds_OneResultPerIdAndTheOthersAreDeleted(t *testing.T) {
	f := newSpec(t)
	bob, t1, s1, carol := f.seeded()
	notMuted := Filter{IgnoreMuted: true}
	f.subscribe(notMuted)
	nobody := p2p("nobody")

	res, err := f.DeleteConversationListByIds(f.ctx, []string{t1, nobody, bob}, false)
	require.NoError(t, err)
	require.Len(t, res, 3)
	require.Equal(t, OperationResult{ConversationID: t1}, res[0])
	require.Equal(t, nobody, res[1].ConversationID)
	require.NotNil(t, res[1].Error)
	require.Equal(t, CodeInvalidParam, res[1].Error.Code)
	require.Contains(t, res[1].Error.Message, nobody)
	require.Equal(t, OperationResult{ConversationID: bob}, res[2])

	// One call's conversations come in id order, as every tab tells them.
	f.requireEvents(wantDeleted(bob, t1), wantTotal(1), wantFilter(notMuted, 0))
	require.Equal(t, []string{carol, s1}, idsOf(f.walk(0, Option{})))
}

func TestDeleteConversationListByIds_OnlyMissingIdsChangesNothing(t *testing.T) {
	f := newSpec(t)
	f.seeded()
	before := f.snapshot()
	res, err := f.DeleteConversationListByIds(f.ctx, []string{p2p("x"), team("y")}, true)
	require.NoError(t, err)
	require.Len(t, res, 2)
	for _, r := range res {
		require.NotNil(t, r.Error)
		require.Equal(t, CodeInvalidParam, r.Error.Code)
	}
	require.Equal(t, before, f.snapshot())
	f.requireNoEvents()
}

func TestDeleteConversationListByIds_ARepeatedIdIsDeletedOnce(t *testing.T) {
	f := newSpec(t)
	bob, _, _, _ := f.seeded()
	res, err := f.DeleteConversationListByIds(f.ctx, []string{bob, bob}, false)
	require.NoError(t, err)
	require.Equal(t, []OperationResult{{ConversationID: bob}, {ConversationID: bob}}, res)
	f.requireEvents(wantDeleted(bob), wantTotal(2))
}

func TestDeleteConversationListByIds_ClearMessageAppliesToEach(t *testing.T) {
	f := newSpec(t)
	bob, t1, _, _ := f.seeded()
	_, err := f.DeleteConversationListByIds(f.ctx, []string{bob, t1}, true)
	require.NoError(t, err)
	for _, k := range []MessageKey{{bob, "m1"}, {bob, "m2"}, {t1, "t1a"}, {t1, "t1b"}} {
		require.True(t, f.stored(k.ConversationID, k.MessageClientID).Deleted, k)
	}
}

func TestDeleteConversationListByIds_TakesUpTo100Ids(t *testing.T) {
	f := newSpec(t)
	var all []string
	for i := range 100 {
		all = append(all, p2p(fmt.Sprintf("u%03d", i)))
	}
	f.create(all...)
	f.ev.take()
	res, err := f.DeleteConversationListByIds(f.ctx, all, false)
	require.NoError(t, err)
	require.Len(t, res, 100)
	for i, r := range res {
		require.Equal(t, OperationResult{ConversationID: all[i]}, r)
	}
	f.requireEvents(wantDeleted(all...))
	require.Empty(t, f.walk(0, Option{}))
}

func TestDeleteConversationListByIds_Rejects(t *testing.T) {
	requireRejectsBadIDLists(t, MaxDeleteIDs, func(f *specFixture, ids []string) { f.create(ids...) },
		func(f *specFixture, ids []string) error {
			_, err := f.DeleteConversationListByIds(f.ctx, ids, false)
			return err
		})
}

// ---- stickTopConversation ----

func TestStickTopConversation_PinAndUnpinSetSortOrderFromTheTimeOfTheCall(t *testing.T) {
	f := newSpec(t)
	bob, t1, _, _ := f.seeded()
	require.EqualValues(t, 200, f.conv(bob).SortOrder)

	f.clock.set(2000)
	require.NoError(t, f.StickTopConversation(f.ctx, bob, true))
	c := f.conv(bob)
	require.True(t, c.StickTop)
	require.EqualValues(t, 2000+1e15, c.SortOrder)
	require.EqualValues(t, 2000, c.UpdateTime)
	f.requireEvents(wantChanged(c))
	pinned, err := f.GetStickTopConversationList()
	require.NoError(t, err)
	require.Contains(t, idsOf(pinned), bob)

	f.clock.set(3000)
	require.NoError(t, f.StickTopConversation(f.ctx, bob, false))
	c = f.conv(bob)
	require.False(t, c.StickTop)
	require.EqualValues(t, 3000, c.SortOrder, "unpinning moves the conversation to now")
	f.requireEvents(wantChanged(c))
	require.Equal(t, bob, f.walk(0, Option{})[1].ConversationID, "first after the pinned one")

	require.Equal(t, 1, f.unread(t1), "pinning leaves unread alone")
}

func TestStickTopConversation_UnchangedIsANoOp(t *testing.T) {
	f := newSpec(t)
	bob, _, _, carol := f.seeded()
	for _, tc := range []struct {
		id  string
		pin bool
	}{{carol, true}, {bob, false}} {
		before := f.snapshot()
		f.clock.set(f.clock.now() + 1000)
		require.NoError(t, f.StickTopConversation(f.ctx, tc.id, tc.pin))
		require.Equal(t, before, f.snapshot(), "sortOrder and updateTime stay")
		f.requireNoEvents()
	}
}

func TestStickTopConversation_AtMost100ArePinned(t *testing.T) {
	f := newSpec(t)
	var all []string
	for i := range 101 {
		all = append(all, team(fmt.Sprintf("t%03d", i)))
	}
	f.create(all...)
	f.pin(all[:100]...)
	f.ev.take()

	f.requireRejected(CodeInvalidParam, "stickTop", func() error {
		return f.StickTopConversation(f.ctx, all[100], true)
	})
	err := f.StickTopConversation(f.ctx, all[100], true)
	require.Contains(t, err.Error(), "100", "the message says the limit")

	// Pinning one that is pinned already is no error at the limit.
	require.NoError(t, f.StickTopConversation(f.ctx, all[0], true))
	// Unpinning one, or deleting a pinned one, frees a place.
	require.NoError(t, f.StickTopConversation(f.ctx, all[0], false))
	require.NoError(t, f.StickTopConversation(f.ctx, all[100], true))
	requireCode(t, CodeInvalidParam, f.StickTopConversation(f.ctx, all[0], true))
	require.NoError(t, f.DeleteConversation(f.ctx, all[1], false))
	require.NoError(t, f.StickTopConversation(f.ctx, all[0], true))
	pinned, err := f.GetStickTopConversationList()
	require.NoError(t, err)
	require.Len(t, pinned, 100)
}

func TestStickTopConversation_RejectsMissingAndMalformedIds(t *testing.T) {
	cases := map[string]string{"unknown": p2p("nobody")}
	for _, bad := range badConversationIDs {
		cases["id: "+bad.name] = bad.id
	}
	for name, id := range cases {
		for _, pin := range []bool{true, false} {
			t.Run(fmt.Sprintf("%s/stickTop=%v", name, pin), func(t *testing.T) {
				f := newSpec(t)
				f.seeded()
				f.requireRejected(CodeInvalidParam, "conversationId", func() error {
					return f.StickTopConversation(f.ctx, id, pin)
				})
			})
		}
	}
}

// ---- getConversation ----

func TestGetConversation_ReturnsItsCurrentState(t *testing.T) {
	f := newSpec(t)
	bob, _, s1, carol := f.seeded()
	c, err := f.GetConversation(bob)
	require.NoError(t, err)
	require.Equal(t, bob, c.ConversationID)
	require.Equal(t, TypeP2P, c.Type)
	require.Equal(t, 2, c.UnreadCount)
	require.Equal(t, "m2", c.LastMessage.MessageRefer.MessageClientID)
	require.True(t, f.conv(s1).Mute)
	require.True(t, f.conv(carol).StickTop)
	// The same as the list says.
	for _, item := range f.walk(0, Option{}) {
		require.Equal(t, item, f.conv(item.ConversationID))
	}
	f.requireNoEvents()
}

func TestGetConversation_Rejects(t *testing.T) {
	cases := map[string]string{"unknown": p2p("nobody"), "deleted": team("gone")}
	for _, bad := range badConversationIDs {
		cases["id: "+bad.name] = bad.id
	}
	for name, id := range cases {
		t.Run(name, func(t *testing.T) {
			f := newSpec(t)
			f.seeded()
			f.create(team("gone"))
			require.NoError(t, f.DeleteConversation(f.ctx, team("gone"), false))
			f.requireRejected(CodeInvalidParam, "conversationId", func() error {
				_, err := f.GetConversation(id)
				return err
			})
		})
	}
}

// ---- getConversationListByIds ----

func TestGetConversationListByIds_InTheOrderOfTheInputSkippingUnknownIds(t *testing.T) {
	f := newSpec(t)
	bob, t1, s1, carol := f.seeded()
	got, err := f.GetConversationListByIds([]string{s1, p2p("nobody"), bob, carol, bob, t1})
	require.NoError(t, err)
	require.Equal(t, []Conversation{f.conv(s1), f.conv(bob), f.conv(carol), f.conv(t1)}, got,
		"unknown ids are skipped, a repeated id is returned once")

	got, err = f.GetConversationListByIds([]string{p2p("x"), team("y")})
	require.NoError(t, err)
	require.NotNil(t, got)
	require.Empty(t, got)
	f.requireNoEvents()
}

func TestGetConversationListByIds_Rejects(t *testing.T) {
	requireRejectsBadIDLists(t, 0, nil, func(f *specFixture, ids []string) error {
		_, err := f.GetConversationListByIds(ids)
		return err
	})
}

// ---- getStickTopConversationList ----

func TestGetStickTopConversationList_SortOrderDescendingThenId(t *testing.T) {
	f := newSpec(t)
	a, b, c, d := p2p("a"), team("b"), superTeam("c"), p2p("d")
	f.create(a, b, c, d)
	f.ev.take()
	f.clock.set(2000)
	f.pin(a)
	f.clock.set(3000)
	f.pin(c, b)
	got, err := f.GetStickTopConversationList()
	require.NoError(t, err)
	require.Equal(t, []string{b, c, a}, idsOf(got), "b and c tie at 3000+1e15: by id")
	require.Equal(t, []Conversation{f.conv(b), f.conv(c), f.conv(a)}, got)
	require.NotContains(t, idsOf(got), d)
	f.requireEvents(wantChanged(f.conv(a)), wantChanged(f.conv(c)), wantChanged(f.conv(b)))
}

func TestGetStickTopConversationList_EmptyWhenNothingIsPinned(t *testing.T) {
	f := newSpec(t)
	f.apply(msg(p2p("bob"), "m1", 100))
	got, err := f.GetStickTopConversationList()
	require.NoError(t, err)
	require.Empty(t, got)
}

// ---- updateConversationInfo ----

func strp(s string) *string { return &s }
func boolp(b bool) *bool    { return &b }

func TestUpdateConversationInfo_SetsOnlyTheFieldsGiven(t *testing.T) {
	f := newSpec(t)
	bob, _, _, _ := f.seeded()
	before := f.conv(bob)
	f.clock.set(4000)

	require.NoError(t, f.UpdateConversationInfo(f.ctx, bob, ConversationInfo{Name: strp("Bob"), Avatar: strp("https://a/b.png")}))
	c := f.conv(bob)
	require.Equal(t, "Bob", c.Name)
	require.Equal(t, "https://a/b.png", c.Avatar)
	require.False(t, c.Mute)
	require.EqualValues(t, 4000, c.UpdateTime)
	require.Equal(t, before.SortOrder, c.SortOrder)
	f.requireEvents(wantChanged(c))

	require.NoError(t, f.UpdateConversationInfo(f.ctx, bob, ConversationInfo{Avatar: strp("")}))
	c = f.conv(bob)
	require.Equal(t, "Bob", c.Name, "a field not given is left alone")
	require.Equal(t, "", c.Avatar)
	f.requireEvents(wantChanged(c))
}

func TestUpdateConversationInfo_TheSameValuesEmitNothing(t *testing.T) {
	f := newSpec(t)
	bob, _, s1, _ := f.seeded()
	require.NoError(t, f.UpdateConversationInfo(f.ctx, bob, ConversationInfo{Name: strp("Bob")}))
	f.ev.take()
	before := f.snapshot()
	f.clock.set(9000)
	for _, info := range []ConversationInfo{{}, {Name: strp("Bob")}, {Mute: boolp(false)}} {
		require.NoError(t, f.UpdateConversationInfo(f.ctx, bob, info))
	}
	require.NoError(t, f.UpdateConversationInfo(f.ctx, s1, ConversationInfo{Mute: boolp(true)}))
	require.Equal(t, before, f.snapshot())
	f.requireNoEvents()
}

func TestUpdateConversationInfo_MuteKeepsTheTotalButMovesIgnoreMutedFilters(t *testing.T) {
	f := newSpec(t)
	bob, _, _, _ := f.seeded()
	notMuted := Filter{IgnoreMuted: true}
	p2pNotMuted := Filter{ConversationTypes: []ConversationType{TypeP2P}, IgnoreMuted: true}
	p2pAll := Filter{ConversationTypes: []ConversationType{TypeP2P}}
	f.subscribe(notMuted)
	f.subscribe(p2pAll)
	f.subscribe(p2pNotMuted)

	require.NoError(t, f.UpdateConversationInfo(f.ctx, bob, ConversationInfo{Mute: boolp(true)}))
	c := f.conv(bob)
	require.True(t, c.Mute)
	require.Equal(t, 2, c.UnreadCount)
	f.requireEvents(wantChanged(c), wantFilter(notMuted, 1), wantFilter(p2pNotMuted, 0))
	require.EqualValues(t, 4, f.total(), "muted conversations still count in the total")

	require.NoError(t, f.UpdateConversationInfo(f.ctx, bob, ConversationInfo{Mute: boolp(false)}))
	f.requireEvents(wantChanged(f.conv(bob)), wantFilter(notMuted, 3), wantFilter(p2pNotMuted, 2))
}

func TestUpdateConversationInfo_Rejects(t *testing.T) {
	cases := map[string]string{"unknown": p2p("nobody"), "deleted": team("gone")}
	for _, bad := range badConversationIDs {
		cases["id: "+bad.name] = bad.id
	}
	for name, id := range cases {
		t.Run(name, func(t *testing.T) {
			f := newSpec(t)
			f.seeded()
			f.create(team("gone"))
			require.NoError(t, f.DeleteConversation(f.ctx, team("gone"), false))
			f.requireRejected(CodeInvalidParam, "conversationId", func() error {
				return f.UpdateConversationInfo(f.ctx, id, ConversationInfo{Name: strp("x"), Mute: boolp(true)})
			})
		})
	}
}
