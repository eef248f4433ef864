package core

import (
	"testing"

	"github.com/stretchr/testify/require"
)

// docs/api.md: applyReadTimes([{conversationId, readTime}]).

func TestApplyReadTimes_IsApplyReadTimeForEachInOneCall(t *testing.T) {
	f := newSpec(t)
	bob, t1, _, _ := f.seeded() // bob: m1 at 100, m2 at 200; t1: t1a at 150 (t1b is mine)
	p2pOnly := Filter{ConversationTypes: []ConversationType{TypeP2P}}
	f.subscribe(p2pOnly)

	require.NoError(t, f.ApplyReadTimes(f.ctx, []ConversationReadTime{
		{bob, 100}, {t1, 150}, {p2p("nobody"), 500}, {bob, 50},
	}))

	require.Equal(t, 1, f.conv(bob).UnreadCount, "m2 only")
	require.Equal(t, 0, f.conv(t1).UnreadCount)
	require.EqualValues(t, 100, f.readTime(bob), "an older entry for the same conversation moves nothing")
	require.EqualValues(t, 150, f.readTime(t1))
	f.requireEvents(wantChanged(f.conv(bob), f.conv(t1)), wantReadTime(bob, 100), wantReadTime(t1, 150), wantTotal(2), wantFilter(p2pOnly, 1))
	f.requireUnreadInvariant()

	// A conversation not in the list was skipped: it is not created, and its
	// read time was not kept for it.
	_, err := f.GetConversation(p2p("nobody"))
	requireCode(t, CodeInvalidParam, err)
}

func TestApplyReadTimes_OnlyMovesForwardAndAnUnchangedCallEmitsNothing(t *testing.T) {
	f := newSpec(t)
	bob, _, _, _ := f.seeded()
	require.NoError(t, f.ApplyReadTimes(f.ctx, []ConversationReadTime{{bob, 200}}))
	f.ev.take()
	require.NoError(t, f.ApplyReadTimes(f.ctx, []ConversationReadTime{{bob, 150}, {bob, 200}}))
	f.requireNoEvents()
	require.EqualValues(t, 200, f.readTime(bob))
}

func TestApplyReadTimes_BadInputIsRefusedAndChangesNothing(t *testing.T) {
	f := newSpec(t)
	bob, _, _, _ := f.seeded()
	for _, c := range []struct {
		param   string
		entries []ConversationReadTime
	}{
		{"readTimes", nil},
		{"readTimes", make([]ConversationReadTime, MaxListLength+1)},
		{"readTimes[1].conversationId", []ConversationReadTime{{bob, 1}, {"other|1|x", 1}}},
		{"readTimes[0].conversationId", []ConversationReadTime{{"", 1}}},
		{"readTimes[1].readTime", []ConversationReadTime{{bob, 1}, {bob, -1}}},
	} {
		f.requireRejected(CodeInvalidParam, c.param, func() error { return f.ApplyReadTimes(f.ctx, c.entries) })
	}
}

func TestApplyReadTimes_ThroughCallTakesTheJSShape(t *testing.T) {
	f := newSpec(t)
	bob, _, _, _ := f.seeded()
	_, err := f.Call(f.ctx, "applyReadTimes", []byte(`[[{"conversationId":"`+bob+`","readTime":200}]]`))
	require.NoError(t, err)
	require.Equal(t, 0, f.conv(bob).UnreadCount)
	for _, bad := range []string{`[]`, `[{}]`, `[[1]]`, `[[{"conversationId":"` + bob + `","readTime":"200"}]]`, `[[{"conversationId":"` + bob + `"}]]`} {
		_, err := f.Call(f.ctx, "applyReadTimes", []byte(bad))
		requireCode(t, CodeInvalidParam, err)
	}
}
