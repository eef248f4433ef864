package core

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/require"
)

// mutatingCalls are calls that change something on the seeded fixture, one
// per mutating method of docs/api.md §2 (and a few variants).
func mutatingCalls(bob, t1, s1, carol string) []struct {
	name string
	call func(f *specFixture) error
} {
	return []struct {
		name string
		call func(f *specFixture) error
	}{
		{"createConversation", func(f *specFixture) error { _, err := f.CreateConversation(f.ctx, p2p("dave")); return err }},
		{"createConversation of a deleted one", func(f *specFixture) error {
			_, err := f.CreateConversation(f.ctx, team("gone"))
			return err
		}},
		{"updateConversationLocalExtension", func(f *specFixture) error {
			return f.UpdateConversationLocalExtension(f.ctx, bob, "x")
		}},
		{"deleteConversation", func(f *specFixture) error { return f.DeleteConversation(f.ctx, bob, true) }},
		{"deleteConversationListByIds", func(f *specFixture) error {
			_, err := f.DeleteConversationListByIds(f.ctx, []string{bob, p2p("nobody"), t1}, true)
			return err
		}},
		{"stickTopConversation pin", func(f *specFixture) error { return f.StickTopConversation(f.ctx, bob, true) }},
		{"stickTopConversation unpin", func(f *specFixture) error { return f.StickTopConversation(f.ctx, carol, false) }},
		{"clearTotalUnreadCount", func(f *specFixture) error { return f.ClearTotalUnreadCount(f.ctx) }},
		{"clearUnreadCountByIds", func(f *specFixture) error {
			_, err := f.ClearUnreadCountByIds(f.ctx, []string{bob, s1})
			return err
		}},
		{"clearUnreadCountByTypes", func(f *specFixture) error {
			return f.ClearUnreadCountByTypes(f.ctx, []ConversationType{TypeP2P, TypeSuperTeam})
		}},
		{"markConversationRead", func(f *specFixture) error { _, err := f.MarkConversationRead(f.ctx, bob); return err }},
		{"applyMessages", func(f *specFixture) error {
			// g2 is newer than gone's deletion (at 1000): it brings it back.
			_, err := f.ApplyMessages(f.ctx, []Message{msg(bob, "m3", 300), msg(p2p("dave"), "d1", 250), msg(team("gone"), "g2", 1400)})
			return err
		}},
		{"revokeMessage", func(f *specFixture) error {
			return f.RevokeMessage(f.ctx, MessageKey{bob, "m2"}, RevokeInfo{RevokeAccountID: "bob"})
		}},
		{"deleteMessages", func(f *specFixture) error {
			return f.DeleteMessages(f.ctx, []MessageKey{{bob, "m2"}, {t1, "t1a"}})
		}},
		{"updateConversationInfo", func(f *specFixture) error {
			return f.UpdateConversationInfo(f.ctx, bob, ConversationInfo{Name: strp("Bob"), Mute: boolp(true)})
		}},
		{"setCurrentConversation", func(f *specFixture) error { return f.SetCurrentConversation(f.ctx, bob) }},
		{"applyReadTime", func(f *specFixture) error { return f.ApplyReadTime(f.ctx, bob, 150) }},
		{"applyClearHistory", func(f *specFixture) error { return f.ApplyClearHistory(f.ctx, bob, 150) }},
	}
}

// docs/api.md §5: 190001 — storage failed; the call changed nothing (its transaction
// rolled back, the cache is as before).
func TestStorageFailure_EveryMutatingCallChangesNothingAndEmitsNothing(t *testing.T) {
	for _, tc := range mutatingCalls(p2p("bob"), team("t1"), superTeam("s1"), p2p("carol")) {
		t.Run(tc.name, func(t *testing.T) {
			f := newSpec(t)
			f.seeded()
			f.apply(msg(team("gone"), "g", 100))
			require.NoError(t, f.DeleteConversation(f.ctx, team("gone"), false))
			f.subscribe(Filter{ConversationTypes: []ConversationType{TypeP2P}})
			f.subscribe(Filter{IgnoreMuted: true})
			f.clock.set(5000)
			before := f.snapshot()

			f.db.failNextUpdate(errors.New("QuotaExceededError"))
			err := tc.call(f)
			requireCode(t, CodeInternal, err)
			require.Contains(t, err.Error(), "QuotaExceededError")
			require.Equal(t, before, f.snapshot(), "cache and database are as before")
			f.requireNoEvents()

			// The same call, storage working again, does change something:
			// so the failure above really had something to undo.
			require.NoError(t, tc.call(f))
			require.NotEmpty(t, f.ev.take())
			require.NotEqual(t, before, f.snapshot())
			f.requireUnreadInvariant()
		})
	}
}

func TestStorageFailure_AFailedApplyMessagesLeavesTheMessagesUnknown(t *testing.T) {
	f := newSpec(t)
	bob := p2p("bob")
	f.db.failNextUpdate(errors.New("disk full"))
	_, err := f.ApplyMessages(f.ctx, []Message{msg(bob, "m1", 100)})
	requireCode(t, CodeInternal, err)
	require.Nil(t, f.stored(bob, "m1"))
	require.Equal(t, ApplyResult{Applied: 1}, f.apply(msg(bob, "m1", 100)), "not a duplicate")
	require.EqualValues(t, 1, f.total())
}

func TestStorageFailure_AFailedSetCurrentConversationKeepsTheOldOne(t *testing.T) {
	f := newSpec(t)
	bob, t1, _, _ := f.seeded()
	require.NoError(t, f.SetCurrentConversation(f.ctx, t1))
	f.db.failNextUpdate(errors.New("disk full"))
	requireCode(t, CodeInternal, f.SetCurrentConversation(f.ctx, bob))
	f.ev.take()
	f.apply(msg(bob, "m3", 300), msg(t1, "t1c", 300))
	require.Equal(t, 3, f.unread(bob), "bob did not become current")
	require.Zero(t, f.unread(t1), "t1 still is")
}
