//go:build js && wasm

package idbstore

import (
	"context"
	"fmt"
	"strings"
	"syscall/js"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/localconv/localconv/core"
)

// withSnapshot has A, B, C in a snapshot at seq 1, then (seq 2) B changed, C
// deleted and D added: the tail.
func withSnapshot(t *testing.T, opts Options) (*Store, string) {
	name := freshName(t)
	s := open(t, name, opts)
	putConvs(t, s, 1, liveConv("me|1|a", 300, 1), liveConv("me|1|b", 200, 1), liveConv("me|1|c", 100, 1))
	require.NoError(t, s.Update(ctx, writeSnapshotFromRecords(s)))
	b := liveConv("me|1|b", 400, 2)
	b.Name = "B, renamed"
	gone := liveConv("me|1|c", 100, 2)
	gone.Deleted = true
	putConvs(t, s, 2, b, gone, liveConv("me|1|d", 50, 2))
	return s, name
}

func TestLoadReadsTheSnapshotAndTheTail(t *testing.T) {
	s, _ := withSnapshot(t, Options{})
	var batches [][]*core.ConversationRecord
	seq, err := s.Load(ctx, func(b []*core.ConversationRecord) { batches = append(batches, b) })
	require.NoError(t, err)
	require.EqualValues(t, 2, seq)
	// The first batch is the top of the list, in order.
	require.Equal(t, []string{"me|1|b", "me|1|a", "me|1|d"}, ids(batches[0]))
	var all []*core.ConversationRecord
	for _, b := range batches {
		all = append(all, b...)
	}
	require.ElementsMatch(t, []string{"me|1|a", "me|1|b", "me|1|c", "me|1|d"}, ids(all), "each once")
	for _, r := range all {
		require.Equal(t, r.ConversationID == "me|1|c", r.Deleted, "C is a tombstone")
	}
	for _, r := range all {
		if r.ConversationID == "me|1|b" {
			require.Equal(t, "B, renamed", r.Name)
		}
	}
}

// Records older than the snapshot are not read one by one: damaging them
// changes nothing a load sees (except the first batch, which reads the top).
func TestLoadTakesOlderRecordsFromTheSnapshot(t *testing.T) {
	name := freshName(t)
	s := open(t, name, Options{})
	var recs []*core.ConversationRecord
	for i := range 150 {
		recs = append(recs, liveConv(fmt.Sprintf("me|1|u%03d", i), int64(1000+i), 1))
	}
	putConvs(t, s, 1, recs...)
	require.NoError(t, s.Update(ctx, writeSnapshotFromRecords(s)))
	// u000 is below the top 100 and older than the snapshot.
	rawPut(t, rawOpen(t, name), storeConversations, jsObj(map[string]any{
		"id": "me|1|u000", "seq": 1, "sortOrder": 1000, "rec": bytesToJS([]byte{recordFormatV1, 0xff}),
	}), js.Undefined())
	c := &corruptions{}
	reader := open(t, name, Options{OnCorruptRecord: c.report})
	all := mustLoad(t, reader)
	require.Len(t, all, 150)
	require.Contains(t, ids(all), "me|1|u000")
	require.Empty(t, c.take())
}

func TestDamagedSnapshotIsReportedAndEverythingIsReadInstead(t *testing.T) {
	_, name := withSnapshot(t, Options{})
	c := &corruptions{}
	s := open(t, name, Options{OnCorruptRecord: c.report})
	_, err := s.ready(ctx)
	require.NoError(t, err)
	rawPut(t, rawOpen(t, name), storeMeta, jsObj(map[string]any{"seq": 1, "count": 3, "bytes": bytesToJS([]byte{snapshotFormat, 0, 0, 0, 0, 1, 3, 0xff})}),
		js.ValueOf(metaSnapshot))
	all := mustLoad(t, s)
	require.ElementsMatch(t, []string{"me|1|a", "me|1|b", "me|1|c", "me|1|d"}, ids(all))
	require.Equal(t, []string{`meta["snapshot"]`}, c.take())
	require.Len(t, mustLoad(t, s), 4)
	require.Empty(t, c.take(), "reported once")
}

func TestSnapshotDueWhenTheTailOutgrowsTheList(t *testing.T) {
	name := freshName(t)
	s := open(t, name, Options{})
	var recs []*core.ConversationRecord
	for i := range 1200 {
		recs = append(recs, liveConv(fmt.Sprintf("me|1|u%04d", i), int64(i), 1))
	}
	putConvs(t, s, 1, recs...)
	require.True(t, s.SnapshotDue(false), "1,200 records written, none in a snapshot")
	require.NoError(t, s.Update(ctx, writeSnapshotFromRecords(s)))
	require.False(t, s.SnapshotDue(false))

	reader := open(t, name, Options{})
	require.Len(t, mustLoad(t, reader), 1200)
	require.False(t, reader.SnapshotDue(false), "an empty tail")
	putConvs(t, reader, 2, recs[:1100]...)
	require.False(t, reader.SnapshotDue(false), "1,100 is within 1,000 + 1,200/8")
	putConvs(t, reader, 3, recs[:200]...)
	require.True(t, reader.SnapshotDue(false))
}

// A Service on the store writes the snapshot itself once enough changed, and
// a reload finds everything.
func TestServiceKeepsTheSnapshot(t *testing.T) {
	name := freshName(t)
	store := New(name, Options{})
	svc, err := core.Open(ctx, core.Options{AccountID: "me", Store: store})
	require.NoError(t, err)
	var msgs []core.Message
	for i := range 1500 {
		msgs = append(msgs, core.Message{MessageRefer: core.MessageRefer{ConversationID: fmt.Sprintf("me|1|u%04d", i), MessageClientID: "m",
			SenderID: fmt.Sprintf("u%04d", i), CreateTime: int64(1000 + i)}, UnreadEnabled: true, LastMessageUpdateEnabled: true})
	}
	_, err = svc.ApplyMessages(ctx, msgs)
	require.NoError(t, err)
	// The snapshot is written after the call, in the background.
	deadline := time.Now().Add(10 * time.Second)
	for store.SnapshotDue(false) && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	require.False(t, store.SnapshotDue(false))
	want, err := svc.GetConversationList(0, 0)
	require.NoError(t, err)
	total, err := svc.GetTotalUnreadCount()
	require.NoError(t, err)
	require.NoError(t, svc.Close())

	again, err := core.Open(context.Background(), core.Options{AccountID: "me", Store: New(name, Options{})})
	require.NoError(t, err)
	defer again.Close()
	got, err := again.GetConversationList(0, 0)
	require.NoError(t, err)
	require.Equal(t, want, got)
	n, err := again.GetTotalUnreadCount()
	require.NoError(t, err)
	require.EqualValues(t, 1500, n)
	require.Equal(t, total, n)
}

// Closing the last session writes the snapshot when more than a few records
// were written since the last one, so that the next open reads one value and
// no tail; a close after fewer leaves them to the tail.
func TestCloseWritesTheSnapshotWhenATailIsLeft(t *testing.T) {
	name := freshName(t)
	openApplyClose := func(n int, from int) {
		svc, err := core.Open(ctx, core.Options{AccountID: "me", Store: New(name, Options{})})
		require.NoError(t, err)
		var msgs []core.Message
		for i := from; i < from+n; i++ {
			msgs = append(msgs, core.Message{MessageRefer: core.MessageRefer{ConversationID: fmt.Sprintf("me|1|u%04d", i), MessageClientID: "m",
				SenderID: fmt.Sprintf("u%04d", i), CreateTime: int64(1000 + i)}, UnreadEnabled: true, LastMessageUpdateEnabled: true})
		}
		_, err = svc.ApplyMessages(ctx, msgs)
		require.NoError(t, err)
		require.NoError(t, svc.Close())
	}
	tail := func() int64 {
		s := open(t, name, Options{})
		require.NotEmpty(t, mustLoad(t, s))
		return s.snap.sinceSnapshot.Load()
	}
	openApplyClose(300, 0) // below the running threshold of 1,000: only the close writes it
	require.EqualValues(t, 0, tail(), "the close wrote a snapshot of all 300")
	openApplyClose(50, 300)
	require.EqualValues(t, 50, tail(), "50 records are left to the tail")
}

// A list longer than one chunk is stored as chunks, loads whole, and a
// damaged chunk fails the snapshot as a damaged single value does.
func TestLongListSnapshotIsChunked(t *testing.T) {
	name := freshName(t)
	s := open(t, name, Options{})
	var recs []*core.ConversationRecord
	for i := range 40 {
		r := liveConv(fmt.Sprintf("me|1|u%03d", i), int64(1000+i), 1)
		r.LocalExtension = strings.Repeat("e", 60<<10) // 40 × 60 KiB: more than one chunk
		recs = append(recs, r)
	}
	putConvs(t, s, 1, recs...)
	require.NoError(t, s.Update(ctx, writeSnapshotFromRecords(s)))
	raw := rawOpen(t, name)
	v := rawGet(t, raw, storeMeta, js.ValueOf(metaSnapshot))
	require.True(t, v.Get("bytes").IsUndefined())
	require.Greater(t, v.Get("chunks").Length(), 1)
	require.ElementsMatch(t, recs, mustLoad(t, open(t, name, Options{})))

	chunk := v.Get("chunks").Index(1)
	chunk.SetIndex(chunk.Length()-1, chunk.Index(chunk.Length()-1).Int()^1)
	rawPut(t, raw, storeMeta, v, js.ValueOf(metaSnapshot))
	c := &corruptions{}
	again := open(t, name, Options{OnCorruptRecord: c.report})
	require.ElementsMatch(t, recs, mustLoad(t, again), "the records are read instead")
	require.Equal(t, []string{`meta["snapshot"]`}, c.take())
}
