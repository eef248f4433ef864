package core

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func TestSmoke(t *testing.T) {
	f := newFixture(t)
	res := f.apply(msg(p2p("bob"), "m1", 100), msg(p2p("bob"), "m2", 200), msg(team("t1"), "m3", 150))
	require.Equal(t, ApplyResult{Applied: 3}, res)
	require.Equal(t, []string{EventConversationCreated, EventConversationCreated, EventTotalUnreadCountChanged}, f.ev.types())
	require.EqualValues(t, 3, f.total())
	c := f.conv(p2p("bob"))
	require.Equal(t, 2, c.UnreadCount)
	require.EqualValues(t, 200, c.SortOrder)
	require.Equal(t, "m2", c.LastMessage.MessageRefer.MessageClientID)

	page, err := f.GetConversationList(0, 1)
	require.NoError(t, err)
	require.False(t, page.Finished)
	require.Equal(t, p2p("bob"), page.ConversationList[0].ConversationID)
	page, err = f.GetConversationList(float64(page.Offset), 1)
	require.NoError(t, err)
	require.True(t, page.Finished)
	require.Equal(t, team("t1"), page.ConversationList[0].ConversationID)

	require.EqualValues(t, 1, f.apply(msg(p2p("bob"), "m1", 100)).Duplicates)
	rt, err := f.MarkConversationRead(f.ctx, p2p("bob"))
	require.NoError(t, err)
	require.EqualValues(t, 1000, rt, "max(read time, now, newest message)")
	require.EqualValues(t, 1, f.total())

	out, err := f.Call(f.ctx, "getConversationList", []byte(`[0, "\u0000u"]`))
	require.Nil(t, out)
	requireCode(t, CodeInvalidParam, err)
	require.Contains(t, err.Error(), "limit must be a finite number, got undefined")
}
