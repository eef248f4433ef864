package core

import (
	"context"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"
)

// recorder keeps every event a Service emitted, batch by batch.
type recorder struct {
	mu      sync.Mutex
	batches [][]Event
}

func (r *recorder) listen(events []Event) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.batches = append(r.batches, append([]Event(nil), events...))
}

// take returns the events since the last take, flattened.
func (r *recorder) take() []Event {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []Event
	for _, b := range r.batches {
		out = append(out, b...)
	}
	r.batches = nil
	return out
}

func (r *recorder) types() []string {
	var out []string
	for _, e := range r.take() {
		out = append(out, e.Type)
	}
	return out
}

// clock is a test clock that moves only when told.
type clock struct {
	mu sync.Mutex
	t  int64
}

func (c *clock) now() int64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) set(t int64) {
	c.mu.Lock()
	c.t = t
	c.mu.Unlock()
}

type fixture struct {
	*Service
	t     *testing.T
	db    *MemDB
	ev    *recorder
	clock *clock
	ctx   context.Context
}

const me = "alice"

// newFixture opens a synced service for "alice" on a fresh MemDB, with a test
// clock at 1000 and the sync events already taken.
func newFixture(t *testing.T) *fixture {
	return newFixtureOn(t, NewMemDB())
}

func newFixtureOn(t *testing.T, db *MemDB) *fixture {
	t.Helper()
	f := &fixture{t: t, db: db, ev: &recorder{}, clock: &clock{t: 1000}, ctx: context.Background()}
	s, err := Open(f.ctx, Options{AccountID: me, Store: db.Connect(), Listener: f.ev.listen, Now: f.clock.now})
	require.NoError(t, err)
	f.Service = s
	require.Equal(t, []string{EventSyncStarted, EventSyncFinished}, f.ev.types())
	t.Cleanup(func() { _ = s.Close() })
	return f
}

func p2p(target string) string  { return me + "|1|" + target }
func team(target string) string { return me + "|2|" + target }
func superTeam(t string) string { return me + "|3|" + t }

// msg is a text message from the conversation's peer (or from from, if given).
func msg(conv, clientID string, createTime int64, from ...string) Message {
	cid, _ := ParseConversationID(conv)
	sender := cid.TargetID
	if cid.Type != TypeP2P {
		sender = "bob"
	}
	if len(from) > 0 {
		sender = from[0]
	}
	return Message{
		MessageRefer:             MessageRefer{ConversationID: conv, MessageClientID: clientID, SenderID: sender, CreateTime: createTime},
		MessageContent:           MessageContent{Text: "hello " + clientID},
		UnreadEnabled:            true,
		LastMessageUpdateEnabled: true,
	}
}

func (f *fixture) apply(msgs ...Message) ApplyResult {
	f.t.Helper()
	res, err := f.ApplyMessages(f.ctx, msgs)
	require.NoError(f.t, err)
	return res
}

func (f *fixture) conv(id string) Conversation {
	f.t.Helper()
	c, err := f.GetConversation(id)
	require.NoError(f.t, err)
	return c
}

func (f *fixture) total() int64 {
	f.t.Helper()
	n, err := f.GetTotalUnreadCount()
	require.NoError(f.t, err)
	return n
}

// requireCode asserts err is an *Error with the code.
func requireCode(t *testing.T, code int, err error) {
	t.Helper()
	require.Error(t, err)
	e, ok := err.(*Error)
	require.True(t, ok, "error %v is not *Error", err)
	require.Equal(t, code, e.Code, e.Message)
}
