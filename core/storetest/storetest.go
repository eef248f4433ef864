// Package storetest is the contract of core.Store and core.Tx as tests: every
// Store runs it (the in-memory one natively, idbstore in a browser), so that
// the core can rely on one behaviour whatever holds its data.
package storetest

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/localconv/localconv/core"
)

// Opener makes a fresh, empty database for one test, to be removed when the
// test ends (t.Cleanup), and returns connect: each call opens a new connection
// to that database, as another tab would.
type Opener func(t *testing.T) (connect func() core.Store)

// Run runs the contract against the Store that open makes, with the optional
// parts it implements (optional.go).
func Run(t *testing.T, open Opener) {
	tests := []struct {
		name string
		fn   func(t *testing.T, connect func() core.Store)
	}{
		{"EmptyDatabase", testEmptyDatabase},
		{"Seq", testSeq},
		{"RecordsComeBackWhole", testRecordsComeBackWhole},
		{"ReadsSeeOwnWrites", testReadsSeeOwnWrites},
		{"ErrorAborts", testErrorAborts},
		{"PanicAborts", testPanicAborts},
		{"WriteInViewFails", testWriteInViewFails},
		{"GetReturnsNilForMissing", testGetReturnsNilForMissing},
		{"ConversationsChangedSince", testConversationsChangedSince},
		{"TailsComeBackWhole", testTailsComeBackWhole},
		{"LoadEveryRecordTopFirst", testLoadEveryRecordTopFirst},
		{"SurvivesReopen", testSurvivesReopen},
		{"ConnectionsSeeEachOther", testConnectionsSeeEachOther},
		{"WatchFiresOnOtherConnections", testWatch},
		{"WatchersReadTheCommit", testWatchersReadTheCommit},
		{"ClosedStoreFails", testClosedStoreFails},
		{"ReadMarks", testReadMarks},
		{"TailGoesWithItsRecord", testTailGoesWithItsRecord},
		{"Spilled", testSpilled},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { tt.fn(t, open(t)) })
	}
	runOptional(t, open)
}

var ctx = context.Background()

// connected opens a connection that closes when the test ends.
func connected(t *testing.T, connect func() core.Store) core.Store {
	s := connect()
	t.Cleanup(func() { _ = s.Close() })
	return s
}

const me = "me"

func convID(target string) string { return me + "|1|" + target }

// conv is a live conversation with every field set.
func conv(target string, sortOrder int64, seq uint64) *core.ConversationRecord {
	id := convID(target)
	return &core.ConversationRecord{
		Conversation: core.Conversation{
			ConversationID: id,
			Type:           core.TypeP2P,
			Name:           "名前 " + target,
			Avatar:         "https://example.com/" + target + ".png",
			Mute:           true,
			StickTop:       sortOrder > 1e15,
			LocalExtension: `{"draft":"hi ` + target + `"}`,
			LastMessage: &core.LastMessage{
				LastMessageState: core.LastMessageStateDefault,
				MessageRefer: core.MessageRefer{
					SenderID: target, ReceiverID: me, MessageClientID: "last-" + target,
					MessageServerID: "9001", ConversationType: core.TypeP2P, ConversationID: id,
					CreateTime: sortOrder % 1e15,
				},
				MessageContent: core.MessageContent{
					MessageType:       0,
					SubType:           3,
					SendingState:      1,
					Text:              "hello 👋 " + target,
					Attachment:        `{"url":"x"}`,
					ServerExtension:   "se",
					CallbackExtension: "ce",
					SenderName:        "Bob",
				},
			},
			UnreadCount: 7,
			SortOrder:   sortOrder,
			CreateTime:  100,
			UpdateTime:  sortOrder % 1e15,
		},
		ReadTime:       50,
		MaxMessageTime: sortOrder % 1e15,
		ReadMarkSeq:    seq,
		Seq:            seq,
	}
}

// tombstone is a deleted conversation as the core leaves it.
func tombstone(target string, seq uint64) *core.ConversationRecord {
	return &core.ConversationRecord{
		Conversation:   core.Conversation{ConversationID: convID(target), Type: core.TypeP2P},
		ReadTime:       500,
		MaxMessageTime: 500,
		Seq:            seq,
		Deleted:        true,
	}
}

func msg(target, clientID string, createTime int64) *core.MessageRecord {
	return &core.MessageRecord{Message: core.Message{
		MessageRefer: core.MessageRefer{
			ConversationID:   convID(target),
			ConversationType: core.TypeP2P,
			MessageClientID:  clientID,
			MessageServerID:  "s-" + clientID,
			SenderID:         target,
			ReceiverID:       me,
			CreateTime:       createTime,
		},
		MessageContent: core.MessageContent{
			MessageType: 1,
			Text:        "text of " + clientID,
			Attachment:  `{"w":1}`,
			SenderName:  "Bob",
		},
		UnreadEnabled:            true,
		LastMessageUpdateEnabled: true,
	}}
}

func update(t *testing.T, s core.Store, fn func(tx core.Tx) error) {
	t.Helper()
	require.NoError(t, s.Update(ctx, fn))
}

func view(t *testing.T, s core.Store, fn func(tx core.Tx) error) {
	t.Helper()
	require.NoError(t, s.View(ctx, fn))
}

// put writes records, each with the messages of msgs that are its as its
// tail, in one call and moves the sequence to seq.
func put(t *testing.T, s core.Store, seq uint64, convs []*core.ConversationRecord, msgs []*core.MessageRecord) {
	t.Helper()
	update(t, s, func(tx core.Tx) error {
		if err := tx.PutConversations(convs, tailsOf(convs, msgs)); err != nil {
			return err
		}
		return tx.SetSeq(seq)
	})
}

// tailsOf gives each record the messages of msgs that are its, as they come.
func tailsOf(convs []*core.ConversationRecord, msgs []*core.MessageRecord) []*core.Tail {
	tails := make([]*core.Tail, len(convs))
	for i, r := range convs {
		tails[i] = &core.Tail{}
		for _, m := range msgs {
			if m.ConversationID == r.ConversationID {
				tails[i].Messages = append(tails[i].Messages, m)
			}
		}
	}
	return tails
}

// putConvs writes records with empty tails.
func putConvs(tx core.Tx, recs ...*core.ConversationRecord) error {
	return tx.PutConversations(recs, tailsOf(recs, nil))
}

// tails reads the tails of the conversations.
func tails(t *testing.T, s core.Store, ids ...string) []*core.Tail {
	t.Helper()
	var out []*core.Tail
	view(t, s, func(tx core.Tx) (err error) {
		out, err = tx.Tails(ids)
		return err
	})
	return out
}

// messagesOf is the messages of each tail, nil for an empty one.
func messagesOf(ts []*core.Tail) [][]*core.MessageRecord {
	out := make([][]*core.MessageRecord, len(ts))
	for i, tl := range ts {
		if len(tl.Messages) > 0 {
			out[i] = tl.Messages
		}
	}
	return out
}

func getConvs(t *testing.T, s core.Store, ids ...string) []*core.ConversationRecord {
	t.Helper()
	var out []*core.ConversationRecord
	view(t, s, func(tx core.Tx) (err error) {
		out, err = tx.GetConversations(ids)
		return err
	})
	return out
}

func getSeq(t *testing.T, s core.Store) uint64 {
	t.Helper()
	var seq uint64
	view(t, s, func(tx core.Tx) (err error) {
		seq, err = tx.Seq()
		return err
	})
	return seq
}

func load(t *testing.T, s core.Store) (batches [][]*core.ConversationRecord, seq uint64) {
	t.Helper()
	seq, err := s.Load(ctx, func(b []*core.ConversationRecord) {
		if len(b) > 0 {
			batches = append(batches, b)
		}
	})
	require.NoError(t, err)
	return batches, seq
}

type record interface {
	*core.ConversationRecord | *core.MessageRecord
}

// ids lists records' ids, sorted.
func ids[R record](recs []R) []string {
	out := []string{}
	for _, r := range recs {
		switch r := any(r).(type) {
		case *core.ConversationRecord:
			out = append(out, r.ConversationID)
		case *core.MessageRecord:
			out = append(out, r.ConversationID+"/"+r.MessageClientID)
		}
	}
	slices.Sort(out)
	return out
}

func testEmptyDatabase(t *testing.T, connect func() core.Store) {
	s := connected(t, connect)
	batches, seq := load(t, s)
	require.Empty(t, batches)
	require.Zero(t, seq)
	view(t, s, func(tx core.Tx) error {
		seq, err := tx.Seq()
		require.NoError(t, err)
		require.Zero(t, seq)
		changed, err := tx.ConversationsChangedSince(0)
		require.NoError(t, err)
		require.Empty(t, changed)
		got, err := tx.Tails([]string{convID("bob")})
		require.NoError(t, err)
		require.Equal(t, []*core.Tail{{}}, got)
		return nil
	})
}

func testSeq(t *testing.T, connect func() core.Store) {
	s := connected(t, connect)
	update(t, s, func(tx core.Tx) error {
		require.NoError(t, tx.SetSeq(41))
		seq, err := tx.Seq()
		require.NoError(t, err)
		require.EqualValues(t, 41, seq)
		require.NoError(t, tx.SetSeq(42))
		seq, err = tx.Seq()
		require.NoError(t, err)
		require.EqualValues(t, 42, seq)
		return nil
	})
	require.EqualValues(t, 42, getSeq(t, s))
	_, seq := load(t, s)
	require.EqualValues(t, 42, seq)
}

func testRecordsComeBackWhole(t *testing.T, connect func() core.Store) {
	s := connected(t, connect)
	full := conv("bob", 1e15+2000, 1)
	full.LocalExtension = strings.Repeat("é", 32*1024) // 64 KiB, the largest allowed
	bare := &core.ConversationRecord{Conversation: core.Conversation{ConversationID: convID("x|y|z"), Type: core.TypeTeam}, Seq: 1}
	dead := tombstone("gone", 1)
	revoked := msg("bob", "m1", 1000)
	revoked.Revoked, revoked.RevokeAccountID, revoked.RevokeType = true, "bob", 2
	mine := msg("bob", "m2", 1001)
	mine.Mine, mine.UnreadEnabled, mine.SendingState = true, false, 3
	deleted := msg("bob", "m3", 1002)
	deleted.Deleted = true
	put(t, s, 1, []*core.ConversationRecord{full, bare, dead}, []*core.MessageRecord{revoked, mine, deleted})

	require.Equal(t, []*core.ConversationRecord{full, bare, dead}, getConvs(t, s, full.ConversationID, bare.ConversationID, dead.ConversationID))
	require.Equal(t, [][]*core.MessageRecord{{revoked, mine, deleted}, nil, nil},
		messagesOf(tails(t, s, full.ConversationID, bare.ConversationID, dead.ConversationID)))
}

func testReadsSeeOwnWrites(t *testing.T, connect func() core.Store) {
	s := connected(t, connect)
	put(t, s, 1, []*core.ConversationRecord{conv("old", 10, 1)}, nil)
	update(t, s, func(tx core.Tx) error {
		a, b := conv("alice", 300, 2), conv("bob", 200, 2)
		require.NoError(t, putConvs(tx, a, b))
		b2 := conv("bob", 250, 2)
		b2.Name = "second write wins"
		require.NoError(t, putConvs(tx, b2))
		got, err := tx.GetConversations([]string{a.ConversationID, b.ConversationID})
		require.NoError(t, err)
		require.Equal(t, []*core.ConversationRecord{a, b2}, got)

		require.NoError(t, tx.SetSeq(2))
		changed, err := tx.ConversationsChangedSince(1)
		require.NoError(t, err)
		require.Equal(t, []string{a.ConversationID, b.ConversationID}, ids(changed))

		m1, m2 := msg("alice", "m1", 1000), msg("alice", "m2", 2000)
		require.NoError(t, tx.PutConversations([]*core.ConversationRecord{a}, []*core.Tail{{Messages: []*core.MessageRecord{m1, m2}}}))
		m1d := *m1
		m1d.Deleted = true
		require.NoError(t, tx.PutConversations([]*core.ConversationRecord{a}, []*core.Tail{{Messages: []*core.MessageRecord{&m1d, m2}}}))
		got2, err := tx.Tails([]string{a.ConversationID, b.ConversationID})
		require.NoError(t, err)
		require.Equal(t, []*core.Tail{{Messages: []*core.MessageRecord{&m1d, m2}}, {}}, got2)
		return nil
	})
}

// A panic in the closure, after writes, aborts the transaction as an error
// does: nothing of it is stored (seen by a new connection, as after a
// reload), and the store goes on working.
func testPanicAborts(t *testing.T, connect func() core.Store) {
	s := connected(t, connect)
	a := conv("alice", 100, 1)
	put(t, s, 1, []*core.ConversationRecord{a}, nil)

	func() {
		defer func() { require.Equal(t, "boom", recover()) }()
		_ = s.Update(ctx, func(tx core.Tx) error {
			a2 := conv("alice", 999, 2)
			recs := []*core.ConversationRecord{a2, conv("bob", 500, 2)}
			if err := tx.PutConversations(recs, tailsOf(recs, []*core.MessageRecord{msg("bob", "m9", 500)})); err != nil {
				return err
			}
			if err := tx.SetSeq(2); err != nil {
				return err
			}
			panic("boom")
		})
	}()

	reloaded := connected(t, connect)
	batches, seq := load(t, reloaded)
	require.EqualValues(t, 1, seq)
	require.Equal(t, [][]*core.ConversationRecord{{a}}, batches)
	require.Equal(t, []*core.Tail{{}}, tails(t, reloaded, convID("bob")))
	// The first connection still works.
	put(t, s, 2, []*core.ConversationRecord{conv("carol", 300, 2)}, nil)
}

func testErrorAborts(t *testing.T, connect func() core.Store) {
	s := connected(t, connect)
	a := conv("alice", 100, 1)
	m := msg("alice", "m1", 100)
	put(t, s, 1, []*core.ConversationRecord{a}, []*core.MessageRecord{m})

	boom := errors.New("boom")
	err := s.Update(ctx, func(tx core.Tx) error {
		a2 := conv("alice", 999, 2)
		a2.Name = "changed"
		m2 := *m
		m2.Revoked = true
		recs := []*core.ConversationRecord{a2, conv("bob", 500, 2), tombstone("carol", 2)}
		if err := tx.PutConversations(recs, tailsOf(recs, []*core.MessageRecord{&m2, msg("bob", "m9", 500)})); err != nil {
			return err
		}
		if err := tx.SetSeq(2); err != nil {
			return err
		}
		return fmt.Errorf("after all the writes: %w", boom)
	})
	require.ErrorIs(t, err, boom)

	require.Equal(t, []*core.ConversationRecord{a, nil, nil}, getConvs(t, s, a.ConversationID, convID("bob"), convID("carol")))
	view(t, s, func(tx core.Tx) error {
		seq, err := tx.Seq()
		require.NoError(t, err)
		require.EqualValues(t, 1, seq)
		changed, err := tx.ConversationsChangedSince(1)
		require.NoError(t, err)
		require.Empty(t, changed)
		got, err := tx.Tails([]string{a.ConversationID, convID("bob")})
		require.NoError(t, err)
		require.Equal(t, []*core.Tail{{Messages: []*core.MessageRecord{m}}, {}}, got)
		return nil
	})
	batches, seq := load(t, s)
	require.EqualValues(t, 1, seq)
	require.Equal(t, [][]*core.ConversationRecord{{a}}, batches)

	// The store works on after an abort.
	put(t, s, 2, []*core.ConversationRecord{conv("bob", 500, 2)}, nil)
	require.NotNil(t, getConvs(t, s, convID("bob"))[0])
}

func testWriteInViewFails(t *testing.T, connect func() core.Store) {
	s := connected(t, connect)
	err := s.View(ctx, func(tx core.Tx) error {
		return putConvs(tx, conv("bob", 1, 1))
	})
	require.Error(t, err)
	require.Equal(t, []*core.ConversationRecord{nil}, getConvs(t, s, convID("bob")))
}

func testGetReturnsNilForMissing(t *testing.T, connect func() core.Store) {
	s := connected(t, connect)
	a, b := conv("alice", 100, 1), conv("bob", 200, 1)
	ma, mb := msg("alice", "m1", 100), msg("bob", "m1", 200)
	put(t, s, 1, []*core.ConversationRecord{a, b}, []*core.MessageRecord{ma, mb})
	view(t, s, func(tx core.Tx) error {
		got, err := tx.GetConversations([]string{b.ConversationID, convID("nobody"), a.ConversationID, b.ConversationID})
		require.NoError(t, err)
		require.Equal(t, []*core.ConversationRecord{b, nil, a, b}, got)
		got, err = tx.GetConversations(nil)
		require.NoError(t, err)
		require.Empty(t, got)

		tl, err := tx.Tails([]string{b.ConversationID, convID("carol"), a.ConversationID, b.ConversationID})
		require.NoError(t, err)
		require.Equal(t, [][]*core.MessageRecord{{mb}, nil, {ma}, {mb}}, messagesOf(tl))
		tl, err = tx.Tails(nil)
		require.NoError(t, err)
		require.Empty(t, tl)

		return nil
	})
}

func testConversationsChangedSince(t *testing.T, connect func() core.Store) {
	s := connected(t, connect)
	put(t, s, 1, []*core.ConversationRecord{conv("a", 100, 1), conv("b", 200, 1)}, nil)
	put(t, s, 2, []*core.ConversationRecord{conv("c", 300, 2)}, nil)
	put(t, s, 3, []*core.ConversationRecord{tombstone("b", 3), tombstone("never-lived", 3)}, nil)
	changedSince := func(seq uint64) []string {
		var out []string
		view(t, s, func(tx core.Tx) error {
			recs, err := tx.ConversationsChangedSince(seq)
			for _, r := range recs {
				require.Greater(t, r.Seq, seq)
			}
			out = ids(recs)
			return err
		})
		return out
	}
	require.Equal(t, []string{convID("a"), convID("b"), convID("c"), convID("never-lived")}, changedSince(0))
	require.Equal(t, []string{convID("b"), convID("c"), convID("never-lived")}, changedSince(1))
	require.Equal(t, []string{convID("b"), convID("never-lived")}, changedSince(2))
	require.Empty(t, changedSince(3))

	// A record rewritten later is found at its new seq only, and once.
	put(t, s, 4, []*core.ConversationRecord{conv("a", 400, 4)}, nil)
	require.Equal(t, []string{convID("a")}, changedSince(3))
	require.Equal(t, []string{convID("a"), convID("b"), convID("c"), convID("never-lived")}, changedSince(0))
	view(t, s, func(tx core.Tx) error {
		recs, err := tx.ConversationsChangedSince(3)
		require.NoError(t, err)
		require.Equal(t, []*core.ConversationRecord{conv("a", 400, 4)}, recs)
		return nil
	})
}

// Load delivers every record, tombstones too (so that the Service knows a
// deleted conversation's read time without reading it), each once, the top
// of the list first.
func testLoadEveryRecordTopFirst(t *testing.T, connect func() core.Store) {
	s := connected(t, connect)
	var convs []*core.ConversationRecord
	want := map[string]int64{}
	for i := range 250 {
		sortOrder := int64(1000 + i*7%250) // every value once, out of order
		if i%50 == 0 {
			sortOrder += 1e15 // pinned
		}
		r := conv(fmt.Sprintf("c%03d", i), sortOrder, 1)
		convs = append(convs, r)
		want[r.ConversationID] = sortOrder
	}
	dead := map[string]*core.ConversationRecord{}
	for i := range 30 {
		r := tombstone(fmt.Sprintf("dead%02d", i), 1)
		convs = append(convs, r)
		dead[r.ConversationID] = r
	}
	put(t, s, 1, convs, nil)

	batches, seq := load(t, s)
	require.EqualValues(t, 1, seq)
	got := map[string]int64{}
	gotDead := map[string]*core.ConversationRecord{}
	for _, b := range batches {
		for _, r := range b {
			_, dup := got[r.ConversationID]
			_, dupDead := gotDead[r.ConversationID]
			require.False(t, dup || dupDead, "Load delivered %s twice", r.ConversationID)
			if r.Deleted {
				gotDead[r.ConversationID] = r
				continue
			}
			got[r.ConversationID] = r.SortOrder
			require.Equal(t, conv(strings.TrimPrefix(r.ConversationID, me+"|1|"), r.SortOrder, 1), r)
		}
	}
	require.Equal(t, want, got)
	require.Equal(t, dead, gotDead)

	// The first batch is the top of the list: no live record later sorts above it.
	require.NotEmpty(t, batches)
	lowestFirst := int64(1 << 62)
	for _, r := range batches[0] {
		if !r.Deleted {
			lowestFirst = min(lowestFirst, r.SortOrder)
		}
	}
	for _, b := range batches[1:] {
		for _, r := range b {
			if !r.Deleted {
				require.Less(t, r.SortOrder, lowestFirst, "%s came after the first batch", r.ConversationID)
			}
		}
	}
	require.GreaterOrEqual(t, len(batches[0]), min(len(want), 20), "the first batch should fill a first page")
}

func testSurvivesReopen(t *testing.T, connect func() core.Store) {
	s := connect()
	a, dead := conv("alice", 1e15+100, 3), tombstone("bob", 3)
	m := msg("alice", "m1", 100)
	put(t, s, 3, []*core.ConversationRecord{a, dead}, []*core.MessageRecord{m})
	require.NoError(t, s.Close())

	s2 := connected(t, connect)
	batches, seq := load(t, s2)
	require.EqualValues(t, 3, seq)
	var all []*core.ConversationRecord
	for _, b := range batches {
		all = append(all, b...)
	}
	require.ElementsMatch(t, []*core.ConversationRecord{a, dead}, all)
	require.Equal(t, []*core.ConversationRecord{a, dead}, getConvs(t, s2, a.ConversationID, dead.ConversationID))
	require.Equal(t, [][]*core.MessageRecord{{m}}, messagesOf(tails(t, s2, a.ConversationID)))
}

func testConnectionsSeeEachOther(t *testing.T, connect func() core.Store) {
	a, b := connected(t, connect), connected(t, connect)
	load(t, a)
	load(t, b)
	put(t, a, 1, []*core.ConversationRecord{conv("x", 100, 1)}, []*core.MessageRecord{msg("x", "m1", 100)})
	require.EqualValues(t, 1, getSeq(t, b))
	require.Equal(t, []*core.ConversationRecord{conv("x", 100, 1)}, getConvs(t, b, convID("x")))
	put(t, b, 2, []*core.ConversationRecord{conv("y", 200, 2)}, nil)
	require.EqualValues(t, 2, getSeq(t, a))
	view(t, a, func(tx core.Tx) error {
		changed, err := tx.ConversationsChangedSince(1)
		require.NoError(t, err)
		require.Equal(t, []*core.ConversationRecord{conv("y", 200, 2)}, changed)
		return nil
	})
}

// counter counts calls and tells of the first one after each reset.
type counter struct {
	n    atomic.Int32
	wake chan struct{}
}

func newCounter() *counter { return &counter{wake: make(chan struct{}, 100)} }

func (c *counter) fn() {
	c.n.Add(1)
	c.wake <- struct{}{}
}

func (c *counter) wait(t *testing.T, what string) {
	t.Helper()
	select {
	case <-c.wake:
	case <-time.After(10 * time.Second):
		t.Fatalf("%s: the watch function was not called", what)
	}
}

func testWatch(t *testing.T, connect func() core.Store) {
	a, b, witness := connected(t, connect), connected(t, connect), connected(t, connect)
	for _, s := range []core.Store{a, b, witness} {
		load(t, s)
	}
	ca, cb, cw := newCounter(), newCounter(), newCounter()
	a.Watch(ca.fn)
	stopB := b.Watch(cb.fn)
	witness.Watch(cw.fn)

	put(t, a, 1, []*core.ConversationRecord{conv("x", 100, 1)}, nil)
	cb.wait(t, "b after a's commit")
	cw.wait(t, "witness after a's commit")

	stopB()
	put(t, a, 2, []*core.ConversationRecord{conv("y", 200, 2)}, nil)
	cw.wait(t, "witness after a's second commit")
	// The witness heard the second commit, so b would have too by now.
	time.Sleep(50 * time.Millisecond)
	require.EqualValues(t, 1, cb.n.Load(), "b was called after it stopped watching")
	require.Zero(t, ca.n.Load(), "a was told of its own commits")

	put(t, b, 3, []*core.ConversationRecord{conv("z", 300, 3)}, nil)
	ca.wait(t, "a after b's commit")
	cw.wait(t, "witness after b's commit")
}

// testWatchersReadTheCommit: a transaction that the watch function starts
// sees the commit it was told of (a store may tell before its commit
// completes, as idbstore does, only if such a transaction waits for it).
func testWatchersReadTheCommit(t *testing.T, connect func() core.Store) {
	a, b := connected(t, connect), connected(t, connect)
	load(t, a)
	load(t, b)
	seen := make(chan uint64, 100)
	b.Watch(func() {
		var seq uint64
		err := b.View(ctx, func(tx core.Tx) error {
			var err error
			seq, err = tx.Seq()
			return err
		})
		if err != nil {
			t.Errorf("the watcher's read failed: %v", err)
		}
		seen <- seq
	})
	const commits = 20
	for i := uint64(1); i <= commits; i++ {
		put(t, a, i, []*core.ConversationRecord{conv(fmt.Sprint("w", i), int64(i), i)}, nil)
	}
	for k := uint64(1); k <= commits; k++ {
		select {
		case seq := <-seen:
			// The k-th call is for the k-th commit or a later one.
			require.GreaterOrEqual(t, seq, k, "the watcher's read did not see the commit it was told of")
		case <-time.After(10 * time.Second):
			t.Fatalf("the watch function was called %d times for %d commits", k-1, commits)
		}
	}
}

func testClosedStoreFails(t *testing.T, connect func() core.Store) {
	s := connect()
	load(t, s)
	put(t, s, 1, []*core.ConversationRecord{conv("x", 100, 1)}, nil)
	require.NoError(t, s.Close())
	_, err := s.Load(ctx, func([]*core.ConversationRecord) {})
	require.Error(t, err)
	require.Error(t, s.Update(ctx, func(core.Tx) error { return nil }))
	require.Error(t, s.View(ctx, func(core.Tx) error { return nil }))
	// The data is still there for the next connection.
	require.Equal(t, []*core.ConversationRecord{conv("x", 100, 1)}, getConvs(t, connected(t, connect), convID("x")))
}

func readMarks(t *testing.T, s core.Store) core.ReadMarks {
	t.Helper()
	var m core.ReadMarks
	view(t, s, func(tx core.Tx) error {
		var err error
		m, err = tx.ReadMarks()
		return err
	})
	return m
}

// The read marks are kept whole, survive a reopen, are seen by other
// connections and go with an aborted transaction.
func testReadMarks(t *testing.T, connect func() core.Store) {
	s := connected(t, connect)
	require.Equal(t, core.ReadMarks{}, readMarks(t, s), "a new database has none")
	marks := core.ReadMarks{{{Seq: 2, Time: 1_700_000_000_123}, {Seq: 1 << 52, Time: 999_999_999_999_999}}, nil, {{Seq: 7, Time: 0}}}
	update(t, s, func(tx core.Tx) error {
		if err := tx.PutReadMarks(marks); err != nil {
			return err
		}
		got, err := tx.ReadMarks()
		require.NoError(t, err)
		require.Equal(t, marks, got, "reads see the transaction's own marks")
		return tx.SetSeq(1)
	})
	other := connected(t, connect)
	require.Equal(t, marks, readMarks(t, other))

	boom := errors.New("boom")
	err := s.Update(ctx, func(tx core.Tx) error {
		if err := tx.PutReadMarks(core.ReadMarks{}); err != nil {
			return err
		}
		return boom
	})
	require.ErrorIs(t, err, boom)
	require.Equal(t, marks, readMarks(t, s), "an abort keeps the marks as they were")

	require.NoError(t, s.Close())
	require.Equal(t, marks, readMarks(t, connected(t, connect)))
	update(t, other, func(tx core.Tx) error { return tx.PutReadMarks(core.ReadMarks{}) })
	require.Equal(t, core.ReadMarks{}, readMarks(t, other))
}

// testTailsComeBackWhole: a tail comes back as it was put, floor, clear and
// every field of its messages, in the order given, and is the reader's own:
// changing it changes nothing stored.
func testTailsComeBackWhole(t *testing.T, connect func() core.Store) {
	s := connected(t, connect)
	a, b := conv("alice", 100, 1), tombstone("bob", 1)
	revoked := msg("alice", "m1", 10)
	revoked.Revoked, revoked.RevokeAccountID, revoked.RevokeType, revoked.Text = true, "alice", 2, "postscript"
	mine := msg("alice", "m2", 20)
	mine.Mine, mine.UnreadEnabled, mine.SendingState, mine.ModifyTime = true, false, 3, 77
	deleted := &core.MessageRecord{Deleted: true}
	deleted.ConversationID, deleted.ConversationType, deleted.MessageClientID, deleted.CreateTime = a.ConversationID, core.TypeP2P, "m3", 20
	ta := &core.Tail{
		Messages:  []*core.MessageRecord{revoked, mine, deleted, msg("alice", "𝄞", 1<<52)},
		Floor:     core.MessageOrder{CreateTime: 5, MessageClientID: "m0 ü"},
		HasFloor:  true,
		ClearedTo: 4, Cleared: true,
		SpilledKeys: []uint32{0, 1, 1<<32 - 1}, SpilledOldest: 6,
	}
	tb := &core.Tail{ClearedTo: 0, Cleared: true}
	update(t, s, func(tx core.Tx) error {
		if err := tx.PutConversations([]*core.ConversationRecord{a, b}, []*core.Tail{ta, tb}); err != nil {
			return err
		}
		return tx.SetSeq(1)
	})
	got := tails(t, s, a.ConversationID, b.ConversationID)
	require.Equal(t, []*core.Tail{ta, tb}, got)
	got[0].Messages[0] = msg("alice", "changed", 1)
	got[0].Messages = got[0].Messages[:1]
	got[1].Cleared = false
	require.Equal(t, []*core.Tail{ta, tb}, tails(t, s, a.ConversationID, b.ConversationID))
	require.Equal(t, []*core.ConversationRecord{a, b}, getConvs(t, s, a.ConversationID, b.ConversationID))
}

// testTailGoesWithItsRecord: a record put again replaces its tail with the
// one put with it, and an aborted put takes back both.
func testTailGoesWithItsRecord(t *testing.T, connect func() core.Store) {
	s := connected(t, connect)
	a := conv("alice", 100, 1)
	m1, m2 := msg("alice", "m1", 100), msg("alice", "m2", 200)
	put(t, s, 1, []*core.ConversationRecord{a}, []*core.MessageRecord{m1, m2})
	a2 := conv("alice", 300, 2)
	put(t, s, 2, []*core.ConversationRecord{a2}, []*core.MessageRecord{m2})
	require.Equal(t, [][]*core.MessageRecord{{m2}}, messagesOf(tails(t, s, a.ConversationID)))

	boom := errors.New("boom")
	err := s.Update(ctx, func(tx core.Tx) error {
		if err := tx.PutConversations([]*core.ConversationRecord{conv("alice", 400, 3)}, []*core.Tail{{}}); err != nil {
			return err
		}
		got, err := tx.Tails([]string{a.ConversationID})
		require.NoError(t, err)
		require.Equal(t, []*core.Tail{{}}, got, "reads see the transaction's own tail")
		return boom
	})
	require.ErrorIs(t, err, boom)
	require.Equal(t, [][]*core.MessageRecord{{m2}}, messagesOf(tails(t, s, a.ConversationID)))
	require.Equal(t, []*core.ConversationRecord{a2}, getConvs(t, s, a.ConversationID))
}

// testSpilled: messages kept apart are stored by key, read per conversation,
// replaced and deleted by key, and go with an aborted transaction.
func testSpilled(t *testing.T, connect func() core.Store) {
	s := connected(t, connect)
	a1, a2, b1 := msg("alice", "m1", 10), msg("alice", "m2", 20), msg("bob", "m1", 30)
	spilled := func() [][]*core.MessageRecord {
		var out [][]*core.MessageRecord
		view(t, s, func(tx core.Tx) (err error) {
			out, err = tx.Spilled([]string{convID("alice"), convID("nobody"), convID("bob")})
			return err
		})
		for _, list := range out {
			slices.SortFunc(list, func(x, y *core.MessageRecord) int { return strings.Compare(x.MessageClientID, y.MessageClientID) })
		}
		return out
	}
	update(t, s, func(tx core.Tx) error { return tx.PutSpilled([]*core.MessageRecord{a1, a2, b1}) })
	require.Equal(t, [][]*core.MessageRecord{{a1, a2}, nil, {b1}}, spilled())

	a2r := *a2
	a2r.Revoked, a2r.Text = true, ""
	update(t, s, func(tx core.Tx) error {
		if err := tx.PutSpilled([]*core.MessageRecord{&a2r}); err != nil {
			return err
		}
		return tx.DeleteSpilled([]core.MessageKey{a1.Key(), {ConversationID: convID("carol"), MessageClientID: "m1"}})
	})
	require.Equal(t, [][]*core.MessageRecord{{&a2r}, nil, {b1}}, spilled())

	boom := errors.New("boom")
	err := s.Update(ctx, func(tx core.Tx) error {
		if err := tx.DeleteSpilled([]core.MessageKey{b1.Key()}); err != nil {
			return err
		}
		if err := tx.PutSpilled([]*core.MessageRecord{a1}); err != nil {
			return err
		}
		got, err := tx.Spilled([]string{convID("bob")})
		require.NoError(t, err)
		require.Equal(t, [][]*core.MessageRecord{nil}, got, "reads see the transaction's own writes")
		return boom
	})
	require.ErrorIs(t, err, boom)
	require.Equal(t, [][]*core.MessageRecord{{&a2r}, nil, {b1}}, spilled())
}
