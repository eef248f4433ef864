package core

import (
	"fmt"
	"math"
	"slices"
	"testing"

	"github.com/stretchr/testify/require"
)

// populateMixed fills f with 290 conversations whose sortOrders tie in large
// groups, pinned and unpinned, of every type, some with unread messages.
func (f *specFixture) populateMixed() []string {
	f.t.Helper()
	var all []string
	f.clock.set(1000)
	for i := range 200 {
		all = append(all, p2p(fmt.Sprintf("p%03d", i)))
	}
	for i := range 30 {
		all = append(all, superTeam(fmt.Sprintf("s%02d", i)))
	}
	f.create(all...) // 230 conversations at sortOrder 1000
	var msgs []Message
	for i := range 60 {
		id := team(fmt.Sprintf("t%02d", i))
		all = append(all, id)
		var from []string
		if i%3 == 0 {
			from = []string{me}
		}
		msgs = append(msgs, msg(id, "m", int64(i%5)*100+100, from...)) // ties in groups of 12
	}
	for i := 0; i < 200; i += 4 {
		msgs = append(msgs, msg(all[i], "m", 1000)) // unread, still at 1000
	}
	f.apply(msgs...)
	f.clock.set(2000)
	for i := range 25 {
		f.pin(all[i*3]) // p2p, at 2000+1e15, some with unread
	}
	for i := range 5 {
		f.pin(all[200+i]) // super teams, at 2000+1e15 too
	}
	f.clock.set(3000)
	for i := range 10 {
		f.pin(all[230+i*2]) // teams at 3000+1e15
	}
	f.apply(msg(all[3], "late", 1500)) // pinned, new last message: 1500+1e15
	f.ev.take()
	return all
}

// matching is the reference answer for a walk: the conversations among ids
// that opt selects, in list order.
func (f *specFixture) matching(ids []string, opt Option) []Conversation {
	f.t.Helper()
	all, err := f.GetConversationListByIds(ids)
	require.NoError(f.t, err)
	var out []Conversation
	for _, c := range all {
		if typeSelected(opt.ConversationTypes, c.Type) && (!opt.OnlyUnread || c.UnreadCount > 0) {
			out = append(out, c)
		}
	}
	return inListOrder(out)
}

var pageLimits = []int{1, 7, 100, 0, -3}

func TestGetConversationList_WalkingAllPagesReturnsEveryConversationOnceInOrder(t *testing.T) {
	scenarios := map[string]func(f *specFixture) []string{
		"distinct sortOrders": func(f *specFixture) []string {
			var ids []string
			for i := range 120 {
				id := p2p(fmt.Sprintf("u%03d", i))
				ids = append(ids, id)
				f.apply(msg(id, "m", int64(1000+(i*7919)%1000))) // distinct, not in id order
			}
			return ids
		},
		"hundreds sharing one sortOrder": func(f *specFixture) []string {
			var ids []string
			for i := range 300 {
				ids = append(ids, team(fmt.Sprintf("g%03d", (i*37)%300)))
			}
			f.create(ids...)
			return ids
		},
		"many at sortOrder 0, where a handed-out offset is 0 too": func(f *specFixture) []string {
			var ids []string
			for i := range 40 {
				id := p2p(fmt.Sprintf("z%02d", i))
				ids = append(ids, id)
				f.apply(msg(id, "m", int64(i%2))) // 20 at 1, 20 at 0
			}
			return ids
		},
		"pinned and unpinned mixed, ties in both": func(f *specFixture) []string {
			return f.populateMixed()
		},
	}
	for name, build := range scenarios {
		t.Run(name, func(t *testing.T) {
			f := newSpec(t)
			ids := build(f)
			f.ev.take()
			want := f.matching(ids, Option{})
			require.Len(t, want, len(ids))
			for _, limit := range pageLimits {
				require.Equal(t, idsOf(want), idsOf(f.walk(limit, Option{})), "limit %d", limit)
			}
			// getConversationList is the same walk.
			var got []Conversation
			offset := 0.0
			for {
				res, err := f.GetConversationList(offset, 7)
				require.NoError(t, err)
				got = append(got, res.ConversationList...)
				if res.Finished {
					break
				}
				offset = res.Offset
			}
			require.Equal(t, want, got)
			f.requireNoEvents()
		})
	}
}

func TestGetConversationListByOption_WalksOnlyTheMatchingConversations(t *testing.T) {
	f := newSpec(t)
	ids := f.populateMixed()
	types := func(ts ...ConversationType) []ConversationType { return ts }
	for _, opt := range []Option{
		{},
		{ConversationTypes: types()},
		{ConversationTypes: types(TypeP2P)},
		{ConversationTypes: types(TypeSuperTeam, TypeTeam)},
		{ConversationTypes: types(TypeTeam, TypeTeam)},
		{ConversationTypes: types(TypeP2P, TypeTeam, TypeSuperTeam)},
		{OnlyUnread: true},
		{ConversationTypes: types(TypeTeam), OnlyUnread: true},
		{ConversationTypes: types(TypeP2P, TypeSuperTeam), OnlyUnread: true},
		{ConversationTypes: types(TypeSuperTeam), OnlyUnread: true}, // none
	} {
		want := f.matching(ids, opt)
		for _, limit := range pageLimits {
			require.Equal(t, idsOf(want), idsOf(f.walk(limit, opt)), "option %+v, limit %d", opt, limit)
		}
	}
}

func TestGetConversationList_AnEmptyListIsOneFinishedPage(t *testing.T) {
	f := newSpec(t)
	for _, offset := range []float64{0, 500} {
		res, err := f.GetConversationList(offset, 10)
		require.NoError(t, err)
		require.Equal(t, ConversationResult{Offset: 0, Finished: true, ConversationList: []Conversation{}}, res)
	}
	res, err := f.GetConversationListByOption(0, 0, Option{OnlyUnread: true})
	require.NoError(t, err)
	require.True(t, res.Finished)
	require.Empty(t, res.ConversationList)
}

func TestGetConversationList_ThePageThatExhaustsTheDataSaysFinished(t *testing.T) {
	f := newSpec(t)
	var all []string
	for i := range 6 {
		id := p2p(fmt.Sprintf("u%d", i))
		all = append(all, id)
		f.apply(msg(id, "m", int64(600-i*100))) // u0 at 600 … u5 at 100
	}
	for _, tc := range []struct {
		limit int
		pages [][]string
	}{
		{3, [][]string{all[:3], all[3:]}},
		{6, [][]string{all}},
		{5, [][]string{all[:5], all[5:]}},
		{50, [][]string{all}},
	} {
		offset := 0.0
		for i, page := range tc.pages {
			res, err := f.GetConversationList(offset, tc.limit)
			require.NoError(t, err)
			require.Equal(t, page, idsOf(res.ConversationList), "limit %d page %d", tc.limit, i)
			last := i == len(tc.pages)-1
			require.Equal(t, last, res.Finished)
			if last {
				require.Zero(t, res.Offset)
			} else {
				require.EqualValues(t, res.ConversationList[len(page)-1].SortOrder, res.Offset)
			}
			offset = res.Offset
		}
	}
}

func TestGetConversationList_ALimitOf0OrLessMeans100(t *testing.T) {
	f := newSpec(t)
	var all []string
	for i := range 150 {
		all = append(all, p2p(fmt.Sprintf("u%03d", i)))
	}
	f.create(all...)
	for _, limit := range []int{0, -1, math.MinInt} {
		res, err := f.GetConversationList(0, limit)
		require.NoError(t, err)
		require.Len(t, res.ConversationList, 100)
		require.False(t, res.Finished)
	}
	// Any integer is a limit; one beyond the list returns all of it.
	res, err := f.GetConversationList(0, math.MaxInt)
	require.NoError(t, err)
	require.Len(t, res.ConversationList, 150)
	require.True(t, res.Finished)
}

// sortOrders 300 (a), 200 (b, c), 100 (d).
func (f *specFixture) fourAtThreeSortOrders() (a, b, c, d string) {
	a, b, c, d = p2p("a"), p2p("b"), team("c"), p2p("d")
	f.apply(msg(a, "m", 300), msg(b, "m", 200), msg(c, "m", 200), msg(d, "m", 100))
	f.ev.take()
	return
}

func TestGetConversationList_AnOffsetNotHandedOutStartsAtTheFirstItemBelowIt(t *testing.T) {
	for _, tc := range []struct {
		offset float64
		want   func(a, b, c, d string) []string
	}{
		{1e16, func(a, b, c, d string) []string { return []string{a, b, c, d} }},
		{301, func(a, b, c, d string) []string { return []string{a, b, c, d} }},
		{300, func(a, b, c, d string) []string { return []string{b, c, d} }},
		{250, func(a, b, c, d string) []string { return []string{b, c, d} }},
		{200.5, func(a, b, c, d string) []string { return []string{b, c, d} }},
		{200, func(a, b, c, d string) []string { return []string{d} }},
		{199.5, func(a, b, c, d string) []string { return []string{d} }},
		{100, func(a, b, c, d string) []string { return []string{} }},
		{1, func(a, b, c, d string) []string { return []string{} }},
	} {
		t.Run(fmt.Sprint(tc.offset), func(t *testing.T) {
			f := newSpec(t)
			a, b, c, d := f.fourAtThreeSortOrders()
			res, err := f.GetConversationList(tc.offset, 10)
			require.NoError(t, err)
			require.Equal(t, tc.want(a, b, c, d), idsOf(res.ConversationList))
			require.True(t, res.Finished)
			require.Zero(t, res.Offset)
		})
	}
}

func TestGetConversationList_AHandedOutOffsetResumesRightAfterItsLastItem(t *testing.T) {
	f := newSpec(t)
	var tie []string
	for _, n := range []string{"a", "b", "c", "d", "e"} {
		tie = append(tie, p2p(n))
	}
	f.create(tie...) // all at 1000
	z := p2p("z")
	f.apply(msg(z, "m", 500))

	p1, err := f.GetConversationList(0, 2)
	require.NoError(t, err)
	require.Equal(t, tie[:2], idsOf(p1.ConversationList))
	require.EqualValues(t, 1000, p1.Offset)

	// The item the offset was handed out for may go: the walk goes on after it.
	require.NoError(t, f.DeleteConversation(f.ctx, tie[1], false))
	p2, err := f.GetConversationList(p1.Offset, 3)
	require.NoError(t, err)
	require.Equal(t, tie[2:5], idsOf(p2.ConversationList), "the limit may change between pages")
	require.False(t, p2.Finished)
	// Another position at sortOrder 1000: the next number above it.
	require.Equal(t, math.Nextafter(1000, 2000), p2.Offset)
	p3, err := f.GetConversationList(p2.Offset, 3)
	require.NoError(t, err)
	require.Equal(t, []string{z}, idsOf(p3.ConversationList))
	require.True(t, p3.Finished)
}

func TestGetConversationListByOption_OffsetsAreRememberedPerOption(t *testing.T) {
	f := newSpec(t)
	var tie []string
	for _, n := range []string{"a", "b", "c", "d"} {
		tie = append(tie, p2p(n))
	}
	f.create(tie...) // all at 1000
	z := p2p("z")
	f.apply(msg(z, "m", 500))

	p1, err := f.GetConversationList(0, 2)
	require.NoError(t, err)
	require.EqualValues(t, 1000, p1.Offset)

	// Handed out for "all", not for "P2P only": there it means sortOrder < 1000.
	res, err := f.GetConversationListByOption(p1.Offset, 10, Option{ConversationTypes: []ConversationType{TypeP2P}})
	require.NoError(t, err)
	require.Equal(t, []string{z}, idsOf(res.ConversationList))

	// An absent option is "all": the offset resumes after b.
	res, err = f.GetConversationListByOption(p1.Offset, 10, Option{})
	require.NoError(t, err)
	require.Equal(t, []string{tie[2], tie[3], z}, idsOf(res.ConversationList))
}

func TestGetConversationList_Rejects(t *testing.T) {
	for _, tc := range []struct {
		name, param string
		offset      float64
		opt         Option
	}{
		{"a negative offset", "offset", -1, Option{}},
		{"a tiny negative offset", "offset", -0.5, Option{}},
		{"NaN", "offset", math.NaN(), Option{}},
		{"+Infinity", "offset", math.Inf(1), Option{}},
		{"-Infinity", "offset", math.Inf(-1), Option{}},
		{"type 0", "option.conversationTypes[0]", 0, Option{ConversationTypes: []ConversationType{0}}},
		{"type 4", "option.conversationTypes[1]", 0, Option{ConversationTypes: []ConversationType{1, 4}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newSpec(t)
			f.seeded()
			f.requireRejected(CodeInvalidParam, tc.param, func() error {
				_, err := f.GetConversationListByOption(tc.offset, 10, tc.opt)
				return err
			})
			if len(tc.opt.ConversationTypes) == 0 {
				f.requireRejected(CodeInvalidParam, tc.param, func() error {
					_, err := f.GetConversationList(tc.offset, 10)
					return err
				})
			}
		})
	}
}

// ---- sortOrder (docs/api.md §1) ----

func TestSortOrder_CreateConversationSetsItToNow(t *testing.T) {
	f := newSpec(t)
	f.clock.set(4321)
	c := f.create(team("t1"))[0]
	require.EqualValues(t, 4321, c.SortOrder)
}

func TestSortOrder_ANewLastMessageSetsItToItsCreateTime(t *testing.T) {
	f := newSpec(t)
	bob := p2p("bob")
	f.clock.set(5000)
	f.create(bob)
	f.apply(msg(bob, "m1", 800)) // even below the creation time: the last event wins
	require.EqualValues(t, 800, f.conv(bob).SortOrder)
	f.apply(msg(bob, "m2", 900))
	require.EqualValues(t, 900, f.conv(bob).SortOrder)
	f.apply(msg(bob, "m0", 850)) // not a new last message
	require.EqualValues(t, 900, f.conv(bob).SortOrder)
}

func TestSortOrder_PinAndUnpinSetItToTheTimeOfTheCall(t *testing.T) {
	f := newSpec(t)
	bob := p2p("bob")
	f.apply(msg(bob, "m1", 800))
	f.clock.set(6000)
	f.pin(bob)
	require.EqualValues(t, 6000+1e15, f.conv(bob).SortOrder)
	f.apply(msg(bob, "m2", 900))
	require.EqualValues(t, 900+1e15, f.conv(bob).SortOrder, "pinned = t + 1e15")
	f.clock.set(7000)
	require.NoError(t, f.StickTopConversation(f.ctx, bob, false))
	require.EqualValues(t, 7000, f.conv(bob).SortOrder)
}

func TestSortOrder_PinnedConversationsComeBeforeEveryUnpinnedOne(t *testing.T) {
	f := newSpec(t)
	old, recent := p2p("old"), p2p("recent")
	f.apply(msg(old, "m", 10))
	f.clock.set(20)
	f.pin(old)
	f.apply(msg(recent, "m", 1e15-1)) // the latest time there is
	require.Equal(t, []string{old, recent}, idsOf(f.walk(0, Option{})))
}

func TestSortOrder_NothingElseMovesIt(t *testing.T) {
	f := newSpec(t)
	bob, _, _, _ := f.seeded()
	f.apply(msg(bob, "m3", 300), msg(bob, "m4", 400))
	f.clock.set(9000)
	quiet := msgWith(msg(bob, "q", 500), func(m *Message) { m.LastMessageUpdateEnabled = false })
	for _, step := range []struct {
		name string
		call func() error
	}{
		{"localExtension", func() error { return f.UpdateConversationLocalExtension(f.ctx, bob, "x") }},
		{"info", func() error {
			return f.UpdateConversationInfo(f.ctx, bob, ConversationInfo{Name: strp("B"), Mute: boolp(true)})
		}},
		{"markRead", func() error { _, err := f.MarkConversationRead(f.ctx, bob); return err }},
		{"an older message", func() error { _, err := f.ApplyMessages(f.ctx, []Message{msg(bob, "m0", 50)}); return err }},
		{"a newer message that does not update lastMessage", func() error {
			_, err := f.ApplyMessages(f.ctx, []Message{quiet})
			return err
		}},
		{"revoke the last message", func() error { return f.RevokeMessage(f.ctx, MessageKey{bob, "m4"}, RevokeInfo{}) }},
		{"delete the last message", func() error { return f.DeleteMessages(f.ctx, []MessageKey{{bob, "m4"}}) }},
	} {
		require.NoError(t, step.call(), step.name)
		require.EqualValues(t, 400, f.conv(bob).SortOrder, step.name)
	}
}

// Walks of one option at once, with other limits, never disturb each other:
// each handed-out offset stands for its own position (120 conversations at
// one sortOrder, as a bulk sync with second-resolution times makes them).
func TestGetConversationList_InterleavedWalksNeverSkip(t *testing.T) {
	f := newSpec(t)
	var all []string
	for i := range 120 {
		all = append(all, p2p(fmt.Sprintf("u%03d", i)))
	}
	f.create(all...) // all at 1000
	type walk struct {
		limit  int
		offset float64
		seen   []string
		done   bool
	}
	walks := []*walk{{limit: 10}, {limit: 25}, {limit: 10}, {limit: 7}}
	for round := 0; ; round++ {
		require.Less(t, round, 100)
		busy := false
		for _, w := range walks {
			if w.done {
				continue
			}
			busy = true
			res, err := f.GetConversationList(w.offset, w.limit)
			require.NoError(t, err)
			w.seen = append(w.seen, idsOf(res.ConversationList)...)
			w.offset, w.done = res.Offset, res.Finished
		}
		if !busy {
			break
		}
	}
	for _, w := range walks {
		require.Equal(t, all, w.seen, "limit %d", w.limit)
	}
	// A handed-out offset means the same position each time it is used.
	p1, err := f.GetConversationList(0, 30)
	require.NoError(t, err)
	again1, err := f.GetConversationList(p1.Offset, 5)
	require.NoError(t, err)
	again2, err := f.GetConversationList(p1.Offset, 5)
	require.NoError(t, err)
	require.Equal(t, all[30:35], idsOf(again1.ConversationList))
	require.Equal(t, again1, again2)
}

// Offset 0 is always the top, even where a walk reached conversations at
// sortOrder 0: the offset it was handed is not 0.
func TestGetConversationList_Offset0IsAlwaysTheTop(t *testing.T) {
	f := newSpec(t)
	var top, bottom []string
	for i := range 5 {
		id := p2p(fmt.Sprintf("top%d", i))
		top = append(top, id)
		f.apply(msg(id, "m", int64(5004-i)))
	}
	for i := range 30 {
		id := p2p(fmt.Sprintf("z%02d", i))
		bottom = append(bottom, id)
		f.apply(msg(id, "m", 0))
	}
	p1, err := f.GetConversationList(0, 10)
	require.NoError(t, err)
	require.Equal(t, append(slices.Clone(top), bottom[:5]...), idsOf(p1.ConversationList))
	require.Greater(t, p1.Offset, 0.0, "an unfinished page's offset is never 0")
	require.Less(t, p1.Offset, 1.0)
	// An unfinished walk, then a new one from the top.
	p2, err := f.GetConversationList(p1.Offset, 10)
	require.NoError(t, err)
	require.Equal(t, bottom[5:15], idsOf(p2.ConversationList))
	again, err := f.GetConversationList(0, 10)
	require.NoError(t, err)
	require.Equal(t, p1.ConversationList, again.ConversationList)
}
