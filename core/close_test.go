package core

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// everyCall is every method of docs/api.md §2, by name, called on f with valid arguments.
func everyCall(f *specFixture) map[string]func() error {
	bob, t1 := p2p("bob"), team("t1")
	flt := Filter{IgnoreMuted: true}
	return map[string]func() error{
		"createConversation": func() error { _, err := f.CreateConversation(f.ctx, p2p("dave")); return err },
		"updateConversationLocalExtension": func() error {
			return f.UpdateConversationLocalExtension(f.ctx, bob, "x")
		},
		"deleteConversation": func() error { return f.DeleteConversation(f.ctx, bob, false) },
		"deleteConversationListByIds": func() error {
			_, err := f.DeleteConversationListByIds(f.ctx, []string{bob}, false)
			return err
		},
		"stickTopConversation":        func() error { return f.StickTopConversation(f.ctx, bob, true) },
		"getConversation":             func() error { _, err := f.GetConversation(bob); return err },
		"getConversationList":         func() error { _, err := f.GetConversationList(0, 10); return err },
		"getConversationListByIds":    func() error { _, err := f.GetConversationListByIds([]string{bob}); return err },
		"getConversationListByOption": func() error { _, err := f.GetConversationListByOption(0, 10, Option{}); return err },
		"getStickTopConversationList": func() error { _, err := f.GetStickTopConversationList(); return err },
		"getTotalUnreadCount":         func() error { _, err := f.GetTotalUnreadCount(); return err },
		"getUnreadCountByIds":         func() error { _, err := f.GetUnreadCountByIds([]string{bob}); return err },
		"getUnreadCountByFilter":      func() error { _, err := f.GetUnreadCountByFilter(flt); return err },
		"clearTotalUnreadCount":       func() error { return f.ClearTotalUnreadCount(f.ctx) },
		"clearUnreadCountByIds": func() error {
			_, err := f.ClearUnreadCountByIds(f.ctx, []string{bob})
			return err
		},
		"clearUnreadCountByTypes":        func() error { return f.ClearUnreadCountByTypes(f.ctx, []ConversationType{TypeP2P}) },
		"subscribeUnreadCountByFilter":   func() error { return f.SubscribeUnreadCountByFilter(flt) },
		"unsubscribeUnreadCountByFilter": func() error { return f.UnsubscribeUnreadCountByFilter(flt) },
		"markConversationRead":           func() error { _, err := f.MarkConversationRead(f.ctx, bob); return err },
		"getConversationReadTime":        func() error { _, err := f.GetConversationReadTime(bob); return err },
		"applyMessages": func() error {
			_, err := f.ApplyMessages(f.ctx, []Message{msg(bob, "m9", 900)})
			return err
		},
		"revokeMessage": func() error { return f.RevokeMessage(f.ctx, MessageKey{bob, "m2"}, RevokeInfo{}) },
		"deleteMessages": func() error {
			return f.DeleteMessages(f.ctx, []MessageKey{{bob, "m2"}})
		},
		"updateConversationInfo": func() error {
			return f.UpdateConversationInfo(f.ctx, t1, ConversationInfo{Name: strp("T")})
		},
		"setCurrentConversation": func() error { return f.SetCurrentConversation(f.ctx, bob) },
		"applyReadTime":          func() error { return f.ApplyReadTime(f.ctx, bob, 150) },
		"applyClearHistory":      func() error { return f.ApplyClearHistory(f.ctx, bob, 150) },
		"close":                  func() error { return f.Close() },
	}
}

func TestClose_LaterCallsRejectWith190002(t *testing.T) {
	for name := range everyCall(nil) { // the names only
		t.Run(name, func(t *testing.T) {
			f := newSpec(t)
			f.seeded()
			require.NoError(t, f.Close())
			require.Empty(t, f.ev.take(), "close emits nothing")
			before := f.db.Conversations()
			requireCode(t, CodeClosed, everyCall(f)[name]())
			require.Empty(t, f.ev.take())
			require.Equal(t, before, f.db.Conversations())
		})
	}
}

func TestClose_KeepsEverythingForTheNextOpen(t *testing.T) {
	f := newSpec(t)
	bob, t1, _, _ := f.seeded()
	require.NoError(t, f.ApplyReadTime(f.ctx, t1, 155))
	require.NoError(t, f.UpdateConversationLocalExtension(f.ctx, bob, "draft"))
	f.subscribe(Filter{IgnoreMuted: true})
	before := f.snapshot()
	require.NoError(t, f.Close())

	g := &specFixture{newFixtureOn(t, f.db)}
	after := g.snapshot()
	// What lives in the tab (subscriptions, the current conversation) does not carry over.
	before.Subscribed = nil
	require.Equal(t, before, after)
	require.Equal(t, ApplyResult{Duplicates: 2}, g.apply(msg(bob, "m1", 100), msg(t1, "t1a", 150)))
	g.requireUnreadInvariant()
}

func TestClose_AClosedTabHearsNothingFromTheOthers(t *testing.T) {
	a := newSpec(t)
	b := a.openTab()
	require.NoError(t, b.Close())
	a.seeded()
	time.Sleep(50 * time.Millisecond) // other tabs hear of changes from another goroutine
	require.Empty(t, b.ev.take())
}
