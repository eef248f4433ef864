package core

import (
	"errors"
	"fmt"
	"sort"
	"testing"

	"github.com/stretchr/testify/require"
)

// specFixture is the fixture of the per-method tests: a synced Service for
// "alice" on a MemDB, plus helpers that observe everything a caller can see.
type specFixture struct{ *fixture }

func newSpec(t *testing.T) *specFixture { return &specFixture{newFixture(t)} }

// openTab opens a second Service ("another tab") on the same database.
func (f *specFixture) openTab() *specFixture { return &specFixture{newFixtureOn(f.t, f.db)} }

// Expected events, in the shape the recorder hands them out.
func wantCreated(c Conversation) Event { return Event{EventConversationCreated, c} }
func wantDeleted(ids ...string) Event  { return Event{EventConversationDeleted, ids} }
func wantChanged(cs ...Conversation) Event {
	return Event{EventConversationChanged, cs}
}
func wantReadTime(id string, rt int64) Event {
	return Event{EventConversationReadTimeUpdated, ReadTimeUpdate{id, rt}}
}
func wantTotal(n int64) Event { return Event{EventTotalUnreadCountChanged, n} }
func wantFilter(flt Filter, n int64) Event {
	return Event{EventUnreadCountChangedByFilter, FilterCount{flt, n}}
}

// requireEvents asserts the events emitted since the last take, in order.
func (f *specFixture) requireEvents(want ...Event) {
	f.t.Helper()
	got := f.ev.take()
	if len(want) == 0 {
		require.Empty(f.t, got, "expected no events")
		return
	}
	require.Equal(f.t, want, got)
}

func (f *specFixture) requireNoEvents() {
	f.t.Helper()
	require.Empty(f.t, f.ev.take(), "expected no events")
}

// msgWith is msg changed by edit.
func msgWith(m Message, edit func(*Message)) Message {
	edit(&m)
	return m
}

func (f *specFixture) create(ids ...string) []Conversation {
	f.t.Helper()
	var out []Conversation
	for _, id := range ids {
		c, err := f.CreateConversation(f.ctx, id)
		require.NoError(f.t, err)
		out = append(out, c)
	}
	return out
}

func (f *specFixture) readTime(id string) int64 {
	f.t.Helper()
	rt, err := f.GetConversationReadTime(id)
	require.NoError(f.t, err)
	return rt
}

func (f *specFixture) unread(id string) int {
	f.t.Helper()
	return f.conv(id).UnreadCount
}

func (f *specFixture) filterCount(flt Filter) int64 {
	f.t.Helper()
	n, err := f.GetUnreadCountByFilter(flt)
	require.NoError(f.t, err)
	return n
}

// subscribe subscribes to flt and takes the event that tells its count.
func (f *specFixture) subscribe(flt Filter) {
	f.t.Helper()
	require.NoError(f.t, f.SubscribeUnreadCountByFilter(flt))
	f.ev.take()
}

func (f *specFixture) pin(ids ...string) {
	f.t.Helper()
	for _, id := range ids {
		require.NoError(f.t, f.StickTopConversation(f.ctx, id, true))
	}
}

// stored is the database's record of a message, nil if there is none.
func (f *specFixture) stored(conv, clientID string) *MessageRecord {
	f.db.mu.Lock()
	defer f.db.mu.Unlock()
	if m := f.db.spilled[MessageKey{conv, clientID}]; m != nil {
		c := *m
		return &c
	}
	if tl := f.db.tails[conv]; tl != nil {
		if _, m := tl.find(clientID); m != nil {
			c := *m
			return &c
		}
	}
	return nil
}

// idsOf lists the conversations' ids in order.
func idsOf(cs []Conversation) []string {
	out := make([]string, len(cs))
	for i, c := range cs {
		out[i] = c.ConversationID
	}
	return out
}

// walk reads every page of getConversationListByOption with limit, checking
// each page against the contract's paging rules, and returns the items in order.
func (f *specFixture) walk(limit int, opt Option) []Conversation {
	f.t.Helper()
	want := limit
	if want <= 0 {
		want = DefaultPageLimit
	}
	var out []Conversation
	offset := 0.0
	for pages := 0; ; pages++ {
		require.Less(f.t, pages, 100000, "paging does not end")
		res, err := f.GetConversationListByOption(offset, limit, opt)
		require.NoError(f.t, err)
		require.NotNil(f.t, res.ConversationList, "a page's list is never null")
		require.LessOrEqual(f.t, len(res.ConversationList), want)
		out = append(out, res.ConversationList...)
		if res.Finished {
			require.Zero(f.t, res.Offset, "a finished page has offset 0")
			return out
		}
		require.Len(f.t, res.ConversationList, want, "an unfinished page is full")
		last := res.ConversationList[len(res.ConversationList)-1]
		// The last item's sortOrder, or, where another handed-out offset stands
		// for another position at that sortOrder, a number just above it.
		so := float64(last.SortOrder)
		require.True(f.t, res.Offset > 0 && res.Offset >= so && res.Offset < so+1, "offset %v for the last item's sortOrder %v", res.Offset, so)
		offset = res.Offset
	}
}

// inListOrder sorts conversations into the contract's list order: sortOrder descending,
// then conversationId ascending. It is the reference the paging tests hold
// the Service to.
func inListOrder(cs []Conversation) []Conversation {
	out := append([]Conversation(nil), cs...)
	sort.Slice(out, func(i, j int) bool {
		if out[i].SortOrder != out[j].SortOrder {
			return out[i].SortOrder > out[j].SortOrder
		}
		return out[i].ConversationID < out[j].ConversationID
	})
	return out
}

// probeFilters are the filters whose counts a snapshot records.
var probeFilters = []Filter{
	{ConversationTypes: []ConversationType{TypeP2P}},
	{ConversationTypes: []ConversationType{TypeTeam, TypeSuperTeam}},
	{IgnoreMuted: true},
	{ConversationTypes: []ConversationType{TypeP2P, TypeSuperTeam}, IgnoreMuted: true},
}

// observed is everything a caller can observe of a Service and its database.
type observed struct {
	List       []Conversation
	Unread     []Conversation
	Pinned     []Conversation
	ReadTimes  map[string]int64
	Total      int64
	Filters    []int64
	Current    string
	Subscribed []Filter
	DBConvs    map[string]*ConversationRecord
	DBMsgs     map[MessageKey]MessageRecord
	DBSeq      uint64
}

func (f *specFixture) snapshot() observed {
	f.t.Helper()
	o := observed{
		List:      f.walk(0, Option{}),
		Unread:    f.walk(0, Option{OnlyUnread: true}),
		ReadTimes: map[string]int64{},
		Total:     f.total(),
		DBConvs:   f.db.Conversations(),
		DBMsgs:    map[MessageKey]MessageRecord{},
		DBSeq:     f.db.Seq(),
	}
	pinned, err := f.GetStickTopConversationList()
	require.NoError(f.t, err)
	o.Pinned = pinned
	for _, c := range o.List {
		o.ReadTimes[c.ConversationID] = f.readTime(c.ConversationID)
	}
	for _, flt := range probeFilters {
		o.Filters = append(o.Filters, f.filterCount(flt))
	}
	f.Service.h.mu.RLock()
	o.Current = f.Service.current
	o.Subscribed = append([]Filter(nil), f.Service.filters...)
	f.Service.h.mu.RUnlock()
	f.db.mu.Lock()
	for _, tl := range f.db.tails {
		for _, m := range tl.Messages {
			o.DBMsgs[m.Key()] = *m
		}
	}
	for k, m := range f.db.spilled {
		o.DBMsgs[k] = *m
	}
	f.db.mu.Unlock()
	return o
}

// requireRejected runs call, which must fail with code and a message that
// names param, and asserts that it changed nothing and emitted nothing.
func (f *specFixture) requireRejected(code int, param string, call func() error) {
	f.t.Helper()
	f.ev.take()
	before := f.snapshot()
	err := call()
	requireCode(f.t, code, err)
	var e *Error
	require.True(f.t, errors.As(err, &e))
	require.Contains(f.t, e.Message, param, "the message names the parameter")
	require.Equal(f.t, before, f.snapshot(), "a rejected call changed something")
	require.Empty(f.t, f.ev.take(), "a rejected call emitted events")
}

// badConversationIDs lists malformed conversation ids and ids of another account.
var badConversationIDs = []struct{ name, id string }{
	{"empty", ""},
	{"no separator", "alice"},
	{"no type", "alice|"},
	{"no target separator", "alice|1"},
	{"empty target", "alice|1|"},
	{"empty account", "|1|bob"},
	{"type 0", "alice|0|bob"},
	{"type 4", "alice|4|bob"},
	{"type not a digit", "alice|p|bob"},
	{"type of two digits", "alice|12|bob"},
	{"another account", "bob|1|alice"},
	{"account with my id as prefix", "alice2|1|bob"},
}

// seeded populates f with a mixed list and returns the conversations' ids:
//
//	p2p bob    2 unread (m1 at 100, m2 at 200 from bob)
//	team t1    1 unread (t1a at 150 from bob), then mine (t1b at 160)
//	super s1   1 unread (s1a at 120), muted
//	p2p carol  empty, created at 1000, pinned
func (f *specFixture) seeded() (bob, t1, s1, carol string) {
	f.t.Helper()
	bob, t1, s1, carol = p2p("bob"), team("t1"), superTeam("s1"), p2p("carol")
	f.apply(msg(bob, "m1", 100), msg(bob, "m2", 200), msg(t1, "t1a", 150), msg(t1, "t1b", 160, me), msg(s1, "s1a", 120))
	mute := true
	require.NoError(f.t, f.UpdateConversationInfo(f.ctx, s1, ConversationInfo{Mute: &mute}))
	f.create(carol)
	f.pin(carol)
	f.ev.take()
	return
}

// requireRejectsBadIDLists checks that a method taking a list of conversation
// ids rejects, with 191004 naming the parameter and changing nothing: no ids,
// an empty list, one id more than max (if max > 0; setup creates them first),
// and each kind of bad id in second place.
func requireRejectsBadIDLists(t *testing.T, max int, setup func(f *specFixture, ids []string), call func(f *specFixture, ids []string) error) {
	var over []string
	if max > 0 {
		for i := range max + 1 {
			over = append(over, p2p(fmt.Sprintf("u%03d", i)))
		}
	}
	cases := []struct {
		name, param string
		ids         []string
	}{
		{"no ids", "conversationIds", nil},
		{"an empty list", "conversationIds", []string{}},
	}
	if max > 0 {
		cases = append(cases, struct {
			name, param string
			ids         []string
		}{fmt.Sprintf("%d ids", max+1), "conversationIds", over})
	}
	for _, bad := range badConversationIDs {
		cases = append(cases, struct {
			name, param string
			ids         []string
		}{"id: " + bad.name, "conversationIds[1]", []string{p2p("bob"), bad.id}})
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f := newSpec(t)
			f.seeded()
			if setup != nil {
				setup(f, over)
			}
			f.requireRejected(CodeInvalidParam, tc.param, func() error { return call(f, tc.ids) })
		})
	}
}
