package core

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// The bridge answers queries synchronously inside a JS callback, where
// waiting would freeze the page: a query must never wait for a call that is
// writing, even one that holds the write lock across a store transaction.
func TestQueriesNeverWaitForAWrite(t *testing.T) {
	f := newFixture(t)
	f.apply(msg(p2p("bob"), "m1", 100), msg(team("t1"), "m2", 150))
	args := map[string]string{
		"getConversation":             `["alice|1|bob"]`,
		"getConversationList":         `[0, 10]`,
		"getConversationListByIds":    `[["alice|1|bob"]]`,
		"getConversationListByOption": `[0, 10, {"onlyUnread": true}]`,
		"getStickTopConversationList": `[]`,
		"getTotalUnreadCount":         `[]`,
		"getUnreadCountByIds":         `[["alice|1|bob"]]`,
		"getUnreadCountByFilter":      `[{"conversationTypes": [1]}]`,
		"getConversationReadTime":     `["alice|1|bob"]`,
	}
	queries := 0
	for _, m := range methodTable {
		if m.query {
			queries++
			require.Contains(t, args, m.name, "a case for every query")
		}
	}
	require.Len(t, args, queries)

	f.h.writeMu.Lock() // a write in flight
	defer f.h.writeMu.Unlock()
	for name, a := range args {
		done := make(chan error, 1)
		go func() {
			_, err := f.AppendCall(nil, f.ctx, name, []byte(a))
			done <- err
		}()
		select {
		case err := <-done:
			require.NoError(t, err, name)
		case <-time.After(5 * time.Second):
			t.Fatalf("%s waited for the write in flight", name)
		}
	}
	require.False(t, IsQuery("applyMessages"))
	require.False(t, IsQuery("subscribeUnreadCountByFilter"), "it takes the write lock to order its event")
}
