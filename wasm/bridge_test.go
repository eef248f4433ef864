//go:build js && wasm

package main

import (
	"strings"
	"syscall/js"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/localconv/localconv/core"
)

// The bridge as the JS wrapper uses it: strings in, Promises and event
// batches out. Stores are in memory here; idbstore has its own tests.

func memBridge() *bridge {
	return newBridge(func(openOptions, func(string)) (core.Store, error) { return core.NewMemStore(), nil })
}

type settled struct {
	value js.Value
	err   js.Value // the rejection reason, undefined if it resolved
}

// await waits for a JS Promise from the test goroutine.
func await(t *testing.T, p js.Value) settled {
	t.Helper()
	done := make(chan settled, 1)
	onOK := js.FuncOf(func(_ js.Value, args []js.Value) any {
		done <- settled{value: args[0], err: js.Undefined()}
		return nil
	})
	onErr := js.FuncOf(func(_ js.Value, args []js.Value) any { done <- settled{err: args[0]}; return nil })
	defer onOK.Release()
	defer onErr.Release()
	p.Call("then", onOK, onErr)
	select {
	case s := <-done:
		return s
	case <-time.After(10 * time.Second):
		t.Fatal("the Promise did not settle within 10 s")
		return settled{}
	}
}

func requireRejected(t *testing.T, s settled, code int, message string) {
	t.Helper()
	require.False(t, s.err.IsUndefined(), "resolved, want a rejection")
	require.Equal(t, code, s.err.Get("code").Int())
	require.Contains(t, s.err.Get("message").String(), message)
}

// eventLog collects what onEvents receives.
type eventLog struct{ batches []string }

func (l *eventLog) fn() js.Func {
	return js.FuncOf(func(_ js.Value, args []js.Value) any {
		l.batches = append(l.batches, args[0].String())
		return nil
	})
}

func openMem(t *testing.T, b *bridge, account string, log *eventLog) js.Value {
	t.Helper()
	f := log.fn()
	t.Cleanup(f.Release)
	s := await(t, b.jsOpen(js.Undefined(), []js.Value{js.ValueOf(`[{"accountId":"` + account + `","storage":"memory"}]`), f.Value}).(js.Value))
	require.True(t, s.err.IsUndefined(), "open rejected: %v", s.err)
	return s.value
}

func call(b *bridge, h js.Value, method, args string) js.Value {
	return b.jsCall(js.Undefined(), []js.Value{h, js.ValueOf(method), js.ValueOf(args)}).(js.Value)
}

func TestOpenSyncsAndTellsOfIt(t *testing.T) {
	b := memBridge()
	log := &eventLog{}
	h := openMem(t, b, "alice", log)
	require.Equal(t, js.TypeNumber, h.Type())
	require.Equal(t, []string{`[{"type":"syncStarted","detail":null}]`, `[{"type":"syncFinished","detail":null}]`}, log.batches)
}

func TestACallsEventsComeBeforeItsResult(t *testing.T) {
	b := memBridge()
	log := &eventLog{}
	h := openMem(t, b, "alice", log)
	log.batches = nil
	p := call(b, h, "applyMessages", `[[{"conversationId":"alice|1|bob","messageClientId":"m1","senderId":"bob","createTime":5,"messageType":0}]]`)
	eventsAtResolve := -1
	f := js.FuncOf(func(js.Value, []js.Value) any { eventsAtResolve = len(log.batches); return nil })
	defer f.Release()
	p.Call("then", f)
	s := await(t, p)
	require.True(t, s.err.IsUndefined())
	require.JSONEq(t, `{"applied":1,"duplicates":0}`, s.value.String())
	require.Equal(t, 1, eventsAtResolve, "the batch of events was delivered before the Promise resolved")
	require.Contains(t, log.batches[0], `"type":"conversationCreated"`)
	require.Contains(t, log.batches[0], `"type":"totalUnreadCountChanged","detail":1`)
}

func TestQueriesAnswerFromTheCacheAndReuseNothingTheyReturned(t *testing.T) {
	b := memBridge()
	h := openMem(t, b, "alice", &eventLog{})
	require.True(t, await(t, call(b, h, "createConversation", `["alice|1|bob"]`)).err.IsUndefined())
	first := await(t, call(b, h, "getConversationList", `[0, 10]`))
	second := await(t, call(b, h, "getTotalUnreadCount", `[]`))
	// The first result was copied out of the reused buffer before the second query.
	require.Contains(t, first.value.String(), `"conversationId":"alice|1|bob"`)
	require.Equal(t, "0", second.value.String())
	none := await(t, call(b, h, "stickTopConversation", `["alice|1|bob", true]`))
	require.True(t, none.err.IsUndefined())
	require.True(t, none.value.IsUndefined(), "a method that returns nothing resolves undefined")
}

func TestBadCallsRejectWithTheirCode(t *testing.T) {
	b := memBridge()
	h := openMem(t, b, "alice", &eventLog{})
	requireRejected(t, await(t, b.jsCall(js.Undefined(), []js.Value{js.ValueOf("1"), js.ValueOf("getTotalUnreadCount"), js.ValueOf("[]")}).(js.Value)),
		core.CodeInvalidParam, "call(handle, method, argsJSON)")
	requireRejected(t, await(t, call(b, js.ValueOf(999), "getTotalUnreadCount", `[]`)), core.CodeClosed, "closed")
	requireRejected(t, await(t, call(b, h, "getConversation", `[42]`)), core.CodeInvalidParam, "conversationId must be a string, got a number")
	requireRejected(t, await(t, call(b, h, "getConversation", `["bob|1|alice"]`)), core.CodeInvalidParam, "belongs to account")
	requireRejected(t, await(t, call(b, h, "noSuchMethod", `[]`)), core.CodeInvalidParam, "no method named")
	requireRejected(t, await(t, call(b, h, "createConversation", `[`)), core.CodeInvalidParam, "not valid JSON")

	require.True(t, await(t, call(b, h, "close", `[]`)).err.IsUndefined())
	requireRejected(t, await(t, call(b, h, "getTotalUnreadCount", `[]`)), core.CodeClosed, "closed")
	requireRejected(t, await(t, call(b, h, "applyMessages", `[[]]`)), core.CodeClosed, "closed")
}

func TestOpenRejectsBadOptions(t *testing.T) {
	b := memBridge()
	f := (&eventLog{}).fn()
	defer f.Release()
	for opts, want := range map[string]string{
		`[{"accountId":""}]`:                      "accountId must not be empty",
		`[{"accountId":"a|b"}]`:                   "must not contain '|'",
		`[{"accountId":7}]`:                       "options.accountId must be a string",
		`[{"accountId":"\u0000w1"}]`:              "options.accountId must be a well-formed UTF-16 string",
		`[{"accountId":"a","waitForSync":"yes"}]`: "options.waitForSync must be a boolean",
		`[`: "not valid JSON",
		`[{"accountId":"a","storage":"somewhere"}]`: `storage must be "indexeddb" or "memory"`,
	} {
		b := b
		if strings.Contains(opts, "somewhere") {
			b = newBridge(openStore) // the module's own choice of store
		}
		requireRejected(t, await(t, b.jsOpen(js.Undefined(), []js.Value{js.ValueOf(opts), f.Value}).(js.Value)), core.CodeInvalidParam, want)
	}
	requireRejected(t, await(t, b.jsOpen(js.Undefined(), []js.Value{js.ValueOf(`{}`)}).(js.Value)), core.CodeInvalidParam, "open(optionsJSON, onEvents)")
}

// A panic in a call (a bug) becomes a 190001 rejection, not a dead module.
func TestAPanicRejectsWith190001(t *testing.T) {
	s := await(t, promise(func(func(any), func(*core.Error)) { panic("boom") }))
	requireRejected(t, s, core.CodeInternal, "internal error: boom")
	// And the module goes on.
	b := memBridge()
	h := openMem(t, b, "alice", &eventLog{})
	require.Equal(t, "0", await(t, call(b, h, "getTotalUnreadCount", `[]`)).value.String())
}

// Outside a SharedWorker each open() has its own cache, as a tab would.
func TestEachOpenHasItsOwnCacheOutsideASharedWorker(t *testing.T) {
	b := memBridge()
	h1 := openMem(t, b, "alice", &eventLog{})
	h2 := openMem(t, b, "alice", &eventLog{})
	require.True(t, await(t, call(b, h1, "createConversation", `["alice|1|bob"]`)).err.IsUndefined())
	require.Equal(t, "[]", await(t, call(b, h2, "getConversationListByIds", `[["alice|1|bob"]]`)).value.String())
	stats := b.jsStats(js.Undefined(), nil).(map[string]any)
	require.Equal(t, 0, stats["hubs"], "hubs are shared in a SharedWorker only")
}
