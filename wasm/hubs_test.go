//go:build js && wasm

package main

import (
	"syscall/js"
	"testing"

	"github.com/stretchr/testify/require"
)

// openShared opens the account's database as a tab does in a SharedWorker
// (the bridge's stores are in memory here, the options ask for IndexedDB).
func openShared(t *testing.T, b *bridge, account string) js.Value {
	t.Helper()
	f := (&eventLog{}).fn()
	t.Cleanup(f.Release)
	s := await(t, b.jsOpen(js.Undefined(), []js.Value{js.ValueOf(`[{"accountId":"` + account + `"}]`), f.Value}).(js.Value))
	require.True(t, s.err.IsUndefined(), "open rejected: %v", s.err)
	return s.value
}

func asSharedWorker(t *testing.T) {
	was := inSharedWorker
	inSharedWorker = true
	t.Cleanup(func() { inSharedWorker = was })
}

// In a SharedWorker the tabs of an account share one hub. It outlives the
// session it was found by (the first tab may close first), and once its
// last session closed the bridge keeps nothing of it: the next open loads
// the database afresh.
func TestAHubOutlivesItsFirstSessionAndIsForgottenWhenItStops(t *testing.T) {
	asSharedWorker(t)
	b := memBridge()
	first := openShared(t, b, "alice")
	second := openShared(t, b, "alice")
	require.True(t, await(t, call(b, first, "createConversation", `["alice|1|bob"]`)).err.IsUndefined())
	require.True(t, await(t, call(b, first, "close", `[]`)).err.IsUndefined())
	third := openShared(t, b, "alice")
	require.Contains(t, await(t, call(b, third, "getConversationListByIds", `[["alice|1|bob"]]`)).value.String(), `"alice|1|bob"`,
		"a tab opened after the first closed shares the hub")
	require.Equal(t, map[string]any{"hubs": 1, "sessions": 2}, b.jsStats(js.Undefined(), nil))
	require.Len(t, b.hubs, 1)

	require.True(t, await(t, call(b, second, "close", `[]`)).err.IsUndefined())
	require.True(t, await(t, call(b, third, "close", `[]`)).err.IsUndefined())
	require.Empty(t, b.hubs, "a stopped hub, and its cache, are not kept")
	again := openShared(t, b, "alice")
	require.Equal(t, "[]", await(t, call(b, again, "getConversationListByIds", `[["alice|1|bob"]]`)).value.String(),
		"a new hub, on a new (here: empty) store")
	require.Equal(t, map[string]any{"hubs": 1, "sessions": 1}, b.jsStats(js.Undefined(), nil))
}
