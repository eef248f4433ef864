package core

import (
	"fmt"
	"runtime"
	"runtime/debug"
	"testing"

	"github.com/stretchr/testify/require"
)

// A call that changed a large part of the list is followed by a collection
// (see largeChange); the many small calls are not.
func TestALargeChangeIsFollowedByACollection(t *testing.T) {
	f := newFixture(t)
	const n = 2 * maxEventConversations
	msgs := make([]Message, n)
	for i := range msgs {
		msgs[i] = msg(p2p(fmt.Sprintf("u%05d", i)), "m", 500)
	}
	f.apply(msgs...)

	defer debug.SetGCPercent(debug.SetGCPercent(-1)) // no collection but the module's own
	collections := func(call func()) uint32 {
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		call()
		runtime.ReadMemStats(&after)
		return after.NumGC - before.NumGC
	}
	require.Zero(t, collections(func() { f.apply(msg(p2p("u00001"), "m2", 600)) }), "one message")
	require.Zero(t, collections(func() { f.apply(msgs[:maxEventConversations-1]...) }), "nothing new")
	require.EqualValues(t, 1, collections(func() { require.NoError(t, f.ClearTotalUnreadCount(f.ctx)) }), "every conversation")

	require.True(t, largeChange(maxEventConversations, 16*maxEventConversations))
	require.False(t, largeChange(maxEventConversations, 16*maxEventConversations+1), "under a sixteenth of the list")
	require.False(t, largeChange(maxEventConversations-1, maxEventConversations), "under maxEventConversations")
}
