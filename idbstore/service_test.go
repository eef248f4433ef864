//go:build js && wasm

package idbstore

import (
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/localconv/localconv/core"
	"github.com/localconv/localconv/idbstore/internal/idb"
)

// events records a Service's events.
type events struct {
	mu  sync.Mutex
	all []core.Event
}

func (e *events) listen(batch []core.Event) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.all = append(e.all, batch...)
}

// take returns the events so far and forgets them.
func (e *events) take() []core.Event {
	e.mu.Lock()
	defer e.mu.Unlock()
	out := e.all
	e.all = nil
	return out
}

func (e *events) types() []string {
	e.mu.Lock()
	defer e.mu.Unlock()
	var out []string
	for _, ev := range e.all {
		out = append(out, ev.Type)
	}
	return out
}

func openService(t *testing.T, name string, ev *events) *core.Service {
	t.Helper()
	clock := int64(10_000)
	svc, err := core.Open(ctx, core.Options{
		AccountID: "me",
		Store:     New(name, Options{}),
		Listener:  ev.listen,
		Now:       func() int64 { clock++; return clock },
	})
	require.NoError(t, err)
	require.NotContains(t, ev.types(), core.EventSyncFailed)
	return svc
}

func message(conv, clientID string, createTime int64, mine bool) core.Message {
	sender := "peer"
	if id, _ := core.ParseConversationID(conv); id.Type == core.TypeP2P {
		sender = id.TargetID
	}
	if mine {
		sender = "me"
	}
	return core.Message{
		MessageRefer: core.MessageRefer{ConversationID: conv, MessageClientID: clientID, MessageServerID: "s" + clientID,
			SenderID: sender, CreateTime: createTime},
		MessageContent: core.MessageContent{Text: "text " + clientID, SenderName: "Peer", Attachment: `{"k":1}`},
		UnreadEnabled:  true, LastMessageUpdateEnabled: true,
	}
}

// snapshot is everything the app can see of a Service.
type snapshot struct {
	List      []core.Conversation
	Pinned    []core.Conversation
	Total     int64
	ReadTimes map[string]int64
}

func snap(t *testing.T, svc *core.Service) snapshot {
	t.Helper()
	page, err := svc.GetConversationList(0, 1000)
	require.NoError(t, err)
	pinned, err := svc.GetStickTopConversationList()
	require.NoError(t, err)
	total, err := svc.GetTotalUnreadCount()
	require.NoError(t, err)
	s := snapshot{List: page.ConversationList, Pinned: pinned, Total: total, ReadTimes: map[string]int64{}}
	for _, c := range page.ConversationList {
		rt, err := svc.GetConversationReadTime(c.ConversationID)
		require.NoError(t, err)
		s.ReadTimes[c.ConversationID] = rt
	}
	return s
}

func TestServiceStateSurvivesReopen(t *testing.T) {
	name := freshName(t)
	bob, carol, team, gone := "me|1|bob", "me|1|carol", "me|2|team", "me|1|gone"
	svc := openService(t, name, &events{})
	_, err := svc.ApplyMessages(ctx, []core.Message{
		message(bob, "b1", 100, false), message(bob, "b2", 200, false), message(bob, "b3", 300, false),
		message(carol, "c1", 150, false), message(carol, "c2", 160, true),
		message(team, "t1", 120, false), message(gone, "g1", 110, false),
	})
	require.NoError(t, err)
	require.NoError(t, svc.StickTopConversation(ctx, carol, true))
	require.NoError(t, svc.UpdateConversationLocalExtension(ctx, team, `{"draft":"半分"}`))
	name2 := "Team Two"
	require.NoError(t, svc.UpdateConversationInfo(ctx, team, core.ConversationInfo{Name: &name2}))
	require.NoError(t, svc.ApplyReadTime(ctx, bob, 200))
	require.NoError(t, svc.RevokeMessage(ctx, core.MessageKey{ConversationID: bob, MessageClientID: "b3"}, core.RevokeInfo{RevokeAccountID: "bob", RevokeType: 1}))
	require.NoError(t, svc.DeleteConversation(ctx, gone, false))
	_, err = svc.CreateConversation(ctx, "me|3|super")
	require.NoError(t, err)
	_, err = svc.MarkConversationRead(ctx, team)
	require.NoError(t, err)

	before := snap(t, svc)
	require.Len(t, before.List, 4)
	require.EqualValues(t, 1, before.Total) // carol's c1; bob's b3 is revoked
	require.Equal(t, carol, before.List[0].ConversationID, "pinned, so first")
	require.NoError(t, svc.Close())

	again := openService(t, name, &events{})
	defer again.Close()
	require.Equal(t, before, snap(t, again))

	// What the messages say survives too: applying one again is a duplicate,
	// and the revoked last message stays revoked.
	res, err := again.ApplyMessages(ctx, []core.Message{message(bob, "b2", 200, false)})
	require.NoError(t, err)
	require.Equal(t, 1, res.Duplicates)
	c, err := again.GetConversation(bob)
	require.NoError(t, err)
	require.Equal(t, core.LastMessageStateRevoked, c.LastMessage.LastMessageState)
}

func TestServicesInTwoTabsTellOneStory(t *testing.T) {
	name := freshName(t)
	evA, evB := &events{}, &events{}
	a := openService(t, name, evA)
	defer a.Close()
	b := openService(t, name, evB)
	defer b.Close()

	_, err := a.ApplyMessages(ctx, []core.Message{message("me|1|bob", "m1", 100, false)})
	require.NoError(t, err)
	// The catch-up fills the cache, then tells its listener: wait for both.
	require.Eventually(t, func() bool {
		c, err := b.GetConversation("me|1|bob")
		return err == nil && c.UnreadCount == 1 && slices.Contains(evB.types(), core.EventConversationCreated)
	}, 5*time.Second, 10*time.Millisecond)
	total, err := b.GetTotalUnreadCount()
	require.NoError(t, err)
	require.EqualValues(t, 1, total)
}

// A call whose transaction fails to commit (as a full disk would make it)
// rejects with 190001, and neither the Service's cache nor the database
// changed; the next call works.
func TestServiceCallThatFailsToCommitChangesNothing(t *testing.T) {
	name := freshName(t)
	ev := &events{}
	svc := openService(t, name, ev)
	defer svc.Close()
	bob := "me|1|bob"
	_, err := svc.ApplyMessages(ctx, []core.Message{message(bob, "b1", 100, false), message("me|1|carol", "c1", 150, false)})
	require.NoError(t, err)
	before := snap(t, svc)
	ev.take()

	fail := func() {
		testHookBeforeCommit = func(tx *idb.Tx) {
			_ = tx.Add(storeMeta, metaSeq, 0) // exists: ConstraintError at commit
		}
	}
	defer func() { testHookBeforeCommit = nil }()
	for name, call := range map[string]func() error{
		"applyMessages": func() error {
			_, err := svc.ApplyMessages(ctx, []core.Message{message(bob, "b2", 200, false)})
			return err
		},
		"stickTop":       func() error { return svc.StickTopConversation(ctx, bob, true) },
		"clear":          func() error { return svc.ClearTotalUnreadCount(ctx) },
		"delete":         func() error { return svc.DeleteConversation(ctx, bob, true) },
		"readTime":       func() error { return svc.ApplyReadTime(ctx, bob, 150) },
		"localExtension": func() error { return svc.UpdateConversationLocalExtension(ctx, bob, "x") },
	} {
		fail()
		err := call()
		testHookBeforeCommit = nil
		var cerr *core.Error
		require.ErrorAs(t, err, &cerr, name)
		require.Equal(t, core.CodeInternal, cerr.Code, name)
		require.Equal(t, before, snap(t, svc), "%s: the cache is as before", name)
		require.Empty(t, ev.take(), "%s: no event", name)
	}
	require.NoError(t, svc.Close())
	again := openService(t, name, &events{})
	defer again.Close()
	require.Equal(t, before, snap(t, again), "the database is as before")
	_, err = again.ApplyMessages(ctx, []core.Message{message(bob, "b2", 200, false)})
	require.NoError(t, err, "and the next call works")
}
