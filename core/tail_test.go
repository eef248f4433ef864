package core

import (
	"context"
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"
)

// docs/design.md "What is kept": unread messages pile up in a tail kept small
// by keeping its oldest apart, and forgetting reaches them when read.
func TestTail_ManyUnreadAreKeptApartAndForgottenWhenRead(t *testing.T) {
	db := NewMemDB()
	s, err := Open(context.Background(), Options{AccountID: me, Store: db.Connect(), Now: func() int64 { return 1e6 }})
	require.NoError(t, err)
	defer s.Close()
	ctx := context.Background()
	bob := p2p("bob")
	for i := range 200 {
		_, err := s.ApplyMessages(ctx, []Message{msg(bob, fmt.Sprintf("m%03d", i), int64(1000+i))})
		require.NoError(t, err)
	}
	c, err := s.GetConversation(bob)
	require.NoError(t, err)
	require.Equal(t, 200, c.UnreadCount)
	tl := db.Tail(bob)
	require.LessOrEqual(t, len(tl.Messages), 2*DefaultTailHead, "the record's own tail stays small")
	require.Len(t, db.Messages(bob), 200, "every unread message is kept, most of them apart")
	require.Len(t, tl.SpilledKeys, 200-len(tl.Messages))

	// Applied again, one kept apart is known; revoked, it counts no more.
	res, err := s.ApplyMessages(ctx, []Message{msg(bob, "m005", 1005)})
	require.NoError(t, err)
	require.Equal(t, ApplyResult{Duplicates: 1}, res)
	require.NoError(t, s.RevokeMessage(ctx, MessageKey{bob, "m005"}, RevokeInfo{RevokeAccountID: "bob"}))
	c, _ = s.GetConversation(bob)
	require.Equal(t, 199, c.UnreadCount)

	// A read time among them recounts them; a later one forgets them.
	require.NoError(t, s.ApplyReadTime(ctx, bob, 1099))
	c, _ = s.GetConversation(bob)
	require.Equal(t, 100, c.UnreadCount)
	_, err = s.MarkConversationRead(ctx, bob)
	require.NoError(t, err)
	require.Len(t, db.Messages(bob), DefaultKeepNewest, "read: only the newest few are kept")
	require.Empty(t, db.Tail(bob).SpilledKeys)
	res, err = s.ApplyMessages(ctx, []Message{msg(bob, "m010", 1010), msg(bob, "m199", 1199)})
	require.NoError(t, err)
	require.Equal(t, ApplyResult{Duplicates: 2}, res, "forgotten, and kept")
}
