package core

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// The seed corpus of each target is in testdata/fuzz/<FuzzName>/.

// FuzzConversationID: parsing never panics, build then parse round-trips, and
// an id is accepted exactly when docs/api.md §1's rule holds.
func FuzzConversationID(f *testing.F) {
	s, err := New(Options{AccountID: me})
	require.NoError(f, err)
	f.Fuzz(func(t *testing.T, account string, typ int, target, id string) {
		built, err := BuildConversationID(account, ConversationType(typ), target)
		buildable := account != "" && !strings.Contains(account, "|") && typ >= 1 && typ <= 3 && target != ""
		require.Equal(t, buildable, err == nil, "build(%q, %d, %q): %v", account, typ, target, err)
		if err == nil {
			require.Equal(t, account+"|"+string(rune('0'+typ))+"|"+target, built)
			cid, err := ParseConversationID(built)
			require.NoError(t, err)
			require.Equal(t, ConversationID{account, ConversationType(typ), target}, cid)
		} else {
			requireCode(t, CodeInvalidParam, err)
		}

		// docs/api.md §1: accountId|type|targetId, the account without '|' and not
		// empty, the type 1..3, the target (which may hold '|') not empty.
		acc, rest, hasSep := strings.Cut(id, "|")
		wellFormed := hasSep && acc != "" && len(rest) >= 3 && rest[0] >= '1' && rest[0] <= '3' && rest[1] == '|'
		cid, err := ParseConversationID(id)
		require.Equal(t, wellFormed, err == nil, "parse(%q): %v", id, err)
		if err == nil {
			require.Equal(t, acc, cid.AccountID)
			require.Equal(t, ConversationType(rest[0]-'0'), cid.Type)
			require.Equal(t, rest[2:], cid.TargetID)
			require.Equal(t, id, cid.String())
			again, err := BuildConversationID(cid.AccountID, cid.Type, cid.TargetID)
			require.NoError(t, err)
			require.Equal(t, id, again)
		} else {
			requireCode(t, CodeInvalidParam, err)
		}

		// An id is valid for the opened account only if it starts with its id and '|'.
		_, err = s.checkID("conversationId", id)
		require.Equal(t, wellFormed && acc == me, err == nil, "checkID(%q): %v", id, err)
		if err != nil {
			requireCode(t, CodeInvalidParam, err)
			require.Contains(t, err.(*Error).Message, "conversationId")
		}
	})
}

// FuzzApplyMessages feeds applyMessages arbitrary argument JSON (fuzzed
// message objects) through Call: it never panics; a rejected call is 191004
// and changes nothing; an accepted one keeps docs/api.md §3's invariant.
func FuzzApplyMessages(f *testing.F) {
	f.Fuzz(func(t *testing.T, data []byte) {
		fx := fuzzFixture(t)
		out, err := fx.callRejectingCleanly("applyMessages", data)
		if err != nil {
			return
		}
		var res ApplyResult
		require.NoError(t, json.Unmarshal(out, &res))
		require.Positive(t, res.Applied+res.Duplicates)
		fx.requireConsistent()
		// Applying the same messages again is all duplicates: nothing changes.
		fx.ev.take()
		seq := fx.db.Seq()
		again, err := fx.Call(fx.ctx, "applyMessages", data)
		require.NoError(t, err)
		require.NoError(t, json.Unmarshal(again, &res))
		require.Zero(t, res.Applied, "a message counts once")
		require.Equal(t, seq, fx.db.Seq())
		require.Empty(t, fx.ev.take())
	})
}

// filterMethods are the methods that take a filter or an option.
var filterMethods = []string{"getUnreadCountByFilter", "subscribeUnreadCountByFilter",
	"unsubscribeUnreadCountByFilter", "getConversationListByOption"}

// FuzzFilterOption feeds the filter and option methods arbitrary argument
// JSON: a rejected call is 191004 and changes nothing, an accepted one gives
// what a plain walk over the list gives.
func FuzzFilterOption(f *testing.F) {
	f.Fuzz(func(t *testing.T, which uint8, data []byte) {
		fx := fuzzFixture(t)
		method := filterMethods[int(which)%len(filterMethods)]
		out, err := fx.callRejectingCleanly(method, data)
		if err != nil {
			return
		}
		// The call took the arguments, so plain JSON reads them too (unless
		// some other argument holds what plain JSON cannot, such as 1e400).
		var args []any
		if json.Unmarshal(data, &args) != nil {
			return
		}
		all := fx.walk(0, Option{})
		switch method {
		case "getUnreadCountByFilter":
			var n int64
			require.NoError(t, json.Unmarshal(out, &n))
			require.Equal(t, plainFilterCount(all, args[0].(map[string]any)), n)
		case "subscribeUnreadCountByFilter":
			require.Nil(t, out)
			events := fx.ev.take()
			if isFuzzFilter(args[0].(map[string]any)) {
				require.Empty(t, events, "subscribed already")
				require.Len(t, fx.Service.filters, 1)
				break
			}
			require.Len(t, events, 1)
			fc := events[0].Detail.(FilterCount)
			require.Equal(t, plainFilterCount(all, args[0].(map[string]any)), fc.UnreadCount)
			require.Len(t, fx.Service.filters, 2)
		case "unsubscribeUnreadCountByFilter":
			require.Nil(t, out)
			require.Empty(t, fx.ev.take())
			if isFuzzFilter(args[0].(map[string]any)) {
				require.Empty(t, fx.Service.filters)
			} else {
				require.Len(t, fx.Service.filters, 1)
			}
		case "getConversationListByOption":
			var page ConversationResult
			require.NoError(t, json.Unmarshal(out, &page))
			want, more := plainPage(all, args)
			require.Equal(t, idsOf(want), idsOf(page.ConversationList))
			require.Equal(t, !more, page.Finished)
			if more {
				// Its sortOrder, or a number just above it for another position there.
				so := float64(want[len(want)-1].SortOrder)
				require.True(t, page.Offset > 0 && page.Offset >= so && page.Offset < so+1, "offset %v for sortOrder %v", page.Offset, so)
			} else {
				require.Zero(t, page.Offset)
			}
		}
		fx.requireConsistent()
	})
}

// FuzzCall calls any method name with any argument bytes: it never panics
// and never hangs, fails only with 191004 (or 190002 once closed), changes
// nothing when it fails, and leaves the cache, the database and the unread
// counts agreeing when it succeeds.
func FuzzCall(f *testing.F) {
	f.Fuzz(func(t *testing.T, method string, data []byte) {
		fx := fuzzFixture(t)
		before := fx.snapshot()
		done := make(chan struct{})
		var out []byte
		var err error
		go func() {
			defer close(done)
			out, err = fx.Call(fx.ctx, method, data)
		}()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			t.Fatalf("Call(%q, %q) hangs", method, data)
		}
		if err != nil {
			fx.requireRejectedCleanly(before, out, err)
			return
		}
		if method == "close" {
			return
		}
		if out != nil {
			require.True(t, json.Valid(out), "%s", out)
		}
		fx.requireConsistent()
	})
}

// fuzzFilter is the filter a fuzz fixture is subscribed to.
var fuzzFilter = Filter{ConversationTypes: []ConversationType{TypeP2P}}

// isFuzzFilter reports whether a filter given as plain JSON is fuzzFilter.
func isFuzzFilter(flt map[string]any) bool {
	types := plainTypes(flt)
	ignoreMuted, _ := flt["ignoreMuted"].(bool)
	return len(types) == 1 && types[TypeP2P] && !ignoreMuted
}

// fuzzFixture is a seeded Service (see specFixture.seeded) with a deleted
// conversation, a revoked message and a subscribed filter, so that fuzzed
// calls meet every kind of state.
func fuzzFixture(t *testing.T) *specFixture {
	f := newSpec(t)
	bob, _, _, _ := f.seeded()
	f.apply(msg(p2p("gone"), "g1", 50))
	require.NoError(t, f.DeleteConversation(f.ctx, p2p("gone"), false))
	require.NoError(t, f.RevokeMessage(f.ctx, MessageKey{bob, "m1"}, RevokeInfo{RevokeAccountID: "bob"}))
	f.subscribe(fuzzFilter)
	f.ev.take()
	return f
}

// callRejectingCleanly calls method with data; if the call fails, it must be
// a 191004 that changed nothing and emitted nothing.
func (f *specFixture) callRejectingCleanly(method string, data []byte) ([]byte, error) {
	f.t.Helper()
	before := f.snapshot()
	out, err := f.Call(f.ctx, method, data)
	if err == nil {
		return out, nil
	}
	f.requireRejectedCleanly(before, out, err)
	return nil, err
}

// requireRejectedCleanly asserts that a call that failed with err was a
// 191004 that changed nothing since before and emitted nothing.
func (f *specFixture) requireRejectedCleanly(before observed, out []byte, err error) {
	f.t.Helper()
	require.Nil(f.t, out)
	e, ok := err.(*Error)
	require.True(f.t, ok, "%T %v", err, err)
	require.Equal(f.t, CodeInvalidParam, e.Code, e.Message)
	require.NotEmpty(f.t, e.Message)
	require.Equal(f.t, before, f.snapshot(), "a rejected call changed something: %s", e.Message)
	require.Empty(f.t, f.ev.take(), "a rejected call emitted events")
}

// requireConsistent asserts that the cache is the database's live list, that
// every unread count is the number of stored messages that count (docs/api.md §3),
// and that every aggregate is the sum it stands for.
func (f *specFixture) requireConsistent() {
	t := f.t
	t.Helper()
	db := f.db.Conversations()
	s := f.Service
	s.h.mu.RLock()
	defer s.h.mu.RUnlock()
	c := s.h.cache
	live := 0
	var unread [conversationTypes][2]int64
	pinned, unreadConvs := 0, 0
	for id, r := range db {
		if !r.live() {
			require.Nil(t, c.convs[id], "%s is deleted but cached", id)
			continue
		}
		live++
		require.Equal(t, r, c.convs[id], "cache and database disagree on %s", id)
		n := 0
		for _, m := range f.db.Messages(id) {
			if m.countsAsUnread(r.ReadTime) {
				n++
			}
		}
		require.Equal(t, n, r.UnreadCount, "unread count of %s", id)
		unread[r.Type-1][b2i(r.Mute)] += int64(r.UnreadCount)
		if r.StickTop {
			pinned++
		}
		if r.UnreadCount > 0 {
			unreadConvs++
		}
	}
	require.Len(t, c.convs, live)
	require.Equal(t, unread, c.unread)
	require.Equal(t, pinned, c.pinned)
	indexed, indexedUnread := 0, 0
	for i := range c.byType {
		indexed += c.byType[i].Len()
		indexedUnread += c.unreadByType[i].Len()
	}
	require.Equal(t, live, indexed)
	require.Equal(t, unreadConvs, indexedUnread)
}

// plainFilterCount counts a filter, given as plain JSON, by walking the list.
func plainFilterCount(all []Conversation, flt map[string]any) int64 {
	types := plainTypes(flt)
	ignoreMuted, _ := flt["ignoreMuted"].(bool)
	var n int64
	for _, c := range all {
		if (len(types) == 0 || types[c.Type]) && !(ignoreMuted && c.Mute) {
			n += int64(c.UnreadCount)
		}
	}
	return n
}

// plainTypes reads conversationTypes from plain JSON; an absent (or
// undefined) list selects every type, as an empty one does.
func plainTypes(o map[string]any) map[ConversationType]bool {
	list, _ := o["conversationTypes"].([]any)
	types := map[ConversationType]bool{}
	for _, v := range list {
		types[ConversationType(v.(float64))] = true
	}
	return types
}

// plainPage is the contract's page of getConversationListByOption(offset, limit,
// option) for an offset the Service has not handed out, found by walking the
// whole list.
func plainPage(all []Conversation, args []any) ([]Conversation, bool) {
	offset := args[0].(float64)
	limit := int(args[1].(float64))
	if limit <= 0 {
		limit = DefaultPageLimit
	}
	var opt map[string]any
	if len(args) > 2 {
		opt, _ = args[2].(map[string]any) // else undefined
	}
	types := plainTypes(opt)
	onlyUnread, _ := opt["onlyUnread"].(bool)
	var out []Conversation
	for _, c := range all {
		if offset > 0 && float64(c.SortOrder) >= offset {
			continue
		}
		if (len(types) > 0 && !types[c.Type]) || (onlyUnread && c.UnreadCount == 0) {
			continue
		}
		if len(out) == limit {
			return out, true
		}
		out = append(out, c)
	}
	return out, false
}
