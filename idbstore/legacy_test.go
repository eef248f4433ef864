//go:build js && wasm

package idbstore

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"syscall/js"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/localconv/localconv/core"
)

// v2Database is a database as version 2's code (the schema before tails,
// commit 44c331b) left it, made through its Service and every store's keys
// and values dumped raw (a Uint8Array as {"$u8": [...]}), with what that code's
// Service said of it (expected) and the messages it applied (applied): 12
// conversations — read, unread, partly read by a read time, a revoked and
// deleted last message, a cleared history, a deleted conversation, a pinned
// one, a clear by read mark, a send of mine — and their 109 messages.
//
//go:embed testdata/v2-database.json
var v2Database []byte

type storeDump struct{ Keys, Values []json.RawMessage }

type v2Dump struct {
	Version       int
	Conversations storeDump `json:"conversations"`
	Messages      storeDump `json:"messages"`
	Meta          storeDump `json:"meta"`
	Expected      struct {
		List      json.RawMessage  `json:"list"`
		Total     int64            `json:"total"`
		ReadTimes map[string]int64 `json:"readTimes"`
	} `json:"expected"`
	Applied json.RawMessage `json:"applied"`
}

// restoreV2 makes the database name version 2's, as the fixture has it.
func restoreV2(t *testing.T, name string) *v2Dump {
	t.Helper()
	var d v2Dump
	require.NoError(t, json.Unmarshal(v2Database, &d))
	require.Equal(t, 2, d.Version)
	v2 := newWithSchema(name, Options{}, currentSchema[:2])
	mustLoad(t, v2)
	require.NoError(t, v2.Close())
	db := rawOpen(t, name)
	// The dump wrote a Uint8Array (the snapshot's bytes) as {"$u8": [...]}.
	reviver := js.FuncOf(func(_ js.Value, args []js.Value) any {
		v := args[1]
		if v.Type() == js.TypeObject && !v.IsNull() && v.Get("$u8").Truthy() {
			return js.Global().Get("Uint8Array").New(v.Get("$u8"))
		}
		return v
	})
	defer reviver.Release()
	parse := func(raw json.RawMessage) js.Value { return js.Global().Get("JSON").Call("parse", string(raw), reviver) }
	for _, v := range d.Conversations.Values {
		rawPut(t, db, storeConversations, parse(v), js.Undefined())
	}
	for _, v := range d.Messages.Values {
		rawPut(t, db, storeMessages, parse(v), js.Undefined())
	}
	for i, v := range d.Meta.Values {
		rawPut(t, db, storeMeta, parse(v), parse(d.Meta.Keys[i]))
	}
	require.NoError(t, db.Close())
	return &d
}

// requireAsInV2 checks that the Service shows what version 2's showed.
func requireAsInV2(t *testing.T, svc *core.Service, d *v2Dump) {
	t.Helper()
	list, err := svc.GetConversationList(0, 100)
	require.NoError(t, err)
	got, err := json.Marshal(list)
	require.NoError(t, err)
	require.JSONEq(t, string(d.Expected.List), string(got))
	total, err := svc.GetTotalUnreadCount()
	require.NoError(t, err)
	require.Equal(t, d.Expected.Total, total)
	for id, want := range d.Expected.ReadTimes {
		rt, err := svc.GetConversationReadTime(id)
		require.NoError(t, err)
		require.Equal(t, want, rt, id)
	}
}

// waitMigrated waits until the messages store is empty.
func waitMigrated(t *testing.T, name string) {
	t.Helper()
	db := rawOpen(t, name)
	deadline := time.Now().Add(20 * time.Second)
	for rawCount(t, db, storeMessages, "") > 0 {
		require.True(t, time.Now().Before(deadline), "the messages did not move into tails")
		time.Sleep(20 * time.Millisecond)
	}
}

// A database of version 2 opens as it was, its list at once; its messages
// move into tails afterwards, pruned; what the app sees never changes, and
// applying every message again changes nothing.
func TestAVersion2DatabaseOpensAndMovesIntoTails(t *testing.T) {
	name := freshName(t)
	d := restoreV2(t, name)
	ev := &events{}
	svc := openService(t, name, ev)
	requireAsInV2(t, svc, d)

	waitMigrated(t, name)
	requireAsInV2(t, svc, d)
	db := rawOpen(t, name)
	v, _ := db.Version()
	require.EqualValues(t, 3, v)
	s := New(name, Options{})
	t.Cleanup(func() { _ = s.Close() })
	var ids []string
	for _, k := range d.Conversations.Keys {
		var id string
		require.NoError(t, json.Unmarshal(k, &id))
		ids = append(ids, id)
		require.Equal(t, js.TypeString, rawGet(t, db, storeConversations, js.ValueOf(id)).Get(propTail).Type(), id)
	}
	var tails []*core.Tail
	require.NoError(t, s.View(ctx, func(tx core.Tx) (err error) {
		tails, err = tx.Tails(ids)
		return err
	}))
	kept := map[string]int{}
	for i, tl := range tails {
		kept[ids[i]] = len(tl.Messages)
	}
	require.Equal(t, core.DefaultKeepNewest, kept["me|1|read"], "40 read messages: the newest few are kept")
	require.Equal(t, 13, kept["me|2|unread"], "every unread message is kept, and mine after them")

	ev.take()
	out, err := svc.Call(ctx, "applyMessages", append(append([]byte("["), d.Applied...), ']'))
	require.NoError(t, err)
	require.JSONEq(t, `{"applied":0,"duplicates":109}`, string(out))
	requireAsInV2(t, svc, d)
	for _, e := range ev.take() {
		require.NotEqual(t, core.EventConversationChanged, e.Type, "applying them again changed a conversation")
	}
}

// A call that comes before the background has moved its conversation moves
// it itself, in its own transaction: calls never wait for the migration.
func TestAVersion2DatabaseServesCallsBeforeItMoved(t *testing.T) {
	name := freshName(t)
	restoreV2(t, name)
	svc := openService(t, name, &events{})
	before, err := svc.GetConversation("me|2|edits")
	require.NoError(t, err)
	require.NoError(t, svc.RevokeMessage(ctx, core.MessageKey{ConversationID: "me|2|edits", MessageClientID: "e05"},
		core.RevokeInfo{RevokeAccountID: "peer", RevokeType: 1}))
	after, err := svc.GetConversation("me|2|edits")
	require.NoError(t, err)
	require.Equal(t, before.UnreadCount-1, after.UnreadCount, "an old unread message revoked: it counts no more")
	require.NoError(t, svc.DeleteMessages(ctx, []core.MessageKey{{ConversationID: "me|2|edits", MessageClientID: "e07"}}))
	res, err := svc.ApplyMessages(ctx, []core.Message{message("me|2|edits", "e07", 4007, false), message("me|2|edits", "new", 4100, false)})
	require.NoError(t, err)
	require.Equal(t, core.ApplyResult{Applied: 1, Duplicates: 1}, res, "a deleted message stays deleted")
	waitMigrated(t, name)
	got, err := svc.GetConversation("me|2|edits")
	require.NoError(t, err)
	require.Equal(t, before.UnreadCount-2+1, got.UnreadCount)
	require.Equal(t, "new", got.LastMessage.MessageRefer.MessageClientID)
}

// A conversation with many unread keeps most of them in the spill store;
// another connection knows them, and reading them lets them go.
func TestManyUnreadAreKeptApartAcrossConnections(t *testing.T) {
	name := freshName(t)
	open := func() *core.Service {
		svc, err := core.Open(ctx, core.Options{AccountID: "me", Store: New(name, Options{}), TailHead: 2,
			Now: func() int64 { return 1e6 }})
		require.NoError(t, err)
		t.Cleanup(func() { _ = svc.Close() })
		return svc
	}
	a := open()
	var msgs []core.Message
	for i := range 30 {
		msgs = append(msgs, message("me|1|bob", fmt.Sprintf("m%02d", i), int64(1000+i), false))
	}
	for _, m := range msgs {
		_, err := a.ApplyMessages(ctx, []core.Message{m})
		require.NoError(t, err)
	}
	db := rawOpen(t, name)
	require.Greater(t, rawCount(t, db, storeSpill, ""), 20)

	b := open()
	res, err := b.ApplyMessages(ctx, msgs)
	require.NoError(t, err)
	require.Equal(t, core.ApplyResult{Duplicates: 30}, res)
	require.NoError(t, b.RevokeMessage(ctx, core.MessageKey{ConversationID: "me|1|bob", MessageClientID: "m03"}, core.RevokeInfo{RevokeAccountID: "bob"}))
	c, err := b.GetConversation("me|1|bob")
	require.NoError(t, err)
	require.Equal(t, 29, c.UnreadCount)
	_, err = b.MarkConversationRead(ctx, "me|1|bob")
	require.NoError(t, err)
	require.Equal(t, core.DefaultKeepNewest-2, rawCount(t, db, storeSpill, ""), "read: the newest few are kept, all but 2 of them apart")
}
