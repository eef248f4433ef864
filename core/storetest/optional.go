package storetest

import (
	"errors"
	"fmt"
	"slices"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/localconv/localconv/core"
)

// The optional parts of the contract: a Store may keep a snapshot of the
// whole list (core.SnapshotStore, its transactions core.SnapshotTx) and the
// first page (its transactions core.FirstPageTx). Run runs each part that the
// Store implements; a Store that implements none of them is still a whole
// core.Store, since the Service checks for them before each use.
var optional = []struct {
	name string
	// has reports whether the Store implements the part, judged from a
	// connection and one of its transactions.
	has func(s core.Store, tx core.Tx) bool
	fn  func(t *testing.T, connect func() core.Store)
}{
	{"SnapshotLoadsWhatTheRecordsSay", hasSnapshots, testSnapshotLoadsWhatTheRecordsSay},
	{"SnapshotGoesWithAnAbort", hasSnapshots, testSnapshotGoesWithAnAbort},
	{"SnapshotPutAfterLaterWrites", hasSnapshots, testSnapshotPutAfterLaterWrites},
	{"SnapshotDueOnlyWhenATailIsLeft", hasSnapshots, testSnapshotDue},
	{"FirstPageKeptAndShared", hasFirstPage, testFirstPageKept},
	{"FirstPageEveryChangeDeletesIt", hasFirstPage, testFirstPageGoesWithAChange},
	{"FirstPageGoesWithAnAbort", hasFirstPage, testFirstPageGoesWithAnAbort},
}

func hasSnapshots(s core.Store, tx core.Tx) bool {
	_, store := s.(core.SnapshotStore)
	_, txn := tx.(core.SnapshotTx)
	return store && txn
}

func hasFirstPage(_ core.Store, tx core.Tx) bool {
	_, ok := tx.(core.FirstPageTx)
	return ok
}

// runOptional runs the parts that the Store open makes implements.
func runOptional(t *testing.T, open Opener) {
	var tx core.Tx
	probe := connected(t, open(t))
	require.NoError(t, probe.View(ctx, func(t core.Tx) error { tx = t; return nil }))
	for _, tt := range optional {
		if tt.has(probe, tx) {
			t.Run(tt.name, func(t *testing.T) { tt.fn(t, open(t)) })
		}
	}
}

// writeSnapshot writes a snapshot of every record, tombstones too, as the
// Service does from its cache.
func writeSnapshot(t *testing.T, s core.Store) {
	t.Helper()
	update(t, s, PutSnapshotOfRecords(s))
}

// snapshotOf starts a snapshot of recs in s, a SnapshotStore.
func snapshotOf(s core.Store, seq uint64, recs []*core.ConversationRecord) core.Snapshot {
	return s.(core.SnapshotStore).NewSnapshot(seq, len(recs), slices.Values(recs))
}

// PutSnapshotOfRecords writes, in a transaction of s (a SnapshotStore), a
// snapshot of every record s holds, tombstones too, as the Service does
// from its cache.
func PutSnapshotOfRecords(s core.Store) func(tx core.Tx) error {
	return func(tx core.Tx) error {
		seq, err := tx.Seq()
		if err != nil {
			return err
		}
		all, err := tx.ConversationsChangedSince(0)
		if err != nil {
			return err
		}
		return tx.(core.SnapshotTx).PutSnapshot(snapshotOf(s, seq, all))
	}
}

// loadAll is every record a new connection loads, and the sequence.
func loadAll(t *testing.T, connect func() core.Store) ([]*core.ConversationRecord, uint64) {
	t.Helper()
	batches, seq := load(t, connected(t, connect))
	var all []*core.ConversationRecord
	for _, b := range batches {
		all = append(all, b...)
	}
	return all, seq
}

// A snapshot changes how a load reads, never what it gives: the records
// written after it replace theirs in it, tombstones included, each once.
func testSnapshotLoadsWhatTheRecordsSay(t *testing.T, connect func() core.Store) {
	s := connected(t, connect)
	a, b, c := conv("alice", 300, 1), conv("bob", 200, 1), conv("carol", 100, 1)
	put(t, s, 1, []*core.ConversationRecord{a, b, c, tombstone("dave", 1)}, nil)
	writeSnapshot(t, s)
	all, seq := loadAll(t, connect)
	require.EqualValues(t, 1, seq)
	require.ElementsMatch(t, []*core.ConversationRecord{a, b, c, tombstone("dave", 1)}, all)

	b2 := conv("bob", 400, 2)
	b2.Name = "renamed"
	put(t, s, 2, []*core.ConversationRecord{b2, tombstone("carol", 2), conv("dave", 50, 2), conv("erin", 60, 2)}, nil)
	all, seq = loadAll(t, connect)
	require.EqualValues(t, 2, seq)
	require.ElementsMatch(t, []*core.ConversationRecord{a, b2, tombstone("carol", 2), conv("dave", 50, 2), conv("erin", 60, 2)}, all)

	writeSnapshot(t, s)
	all, _ = loadAll(t, connect)
	require.ElementsMatch(t, []*core.ConversationRecord{a, b2, tombstone("carol", 2), conv("dave", 50, 2), conv("erin", 60, 2)}, all)
}

// The Service takes a snapshot, encodes it while calls go on and puts it
// later: a snapshot older than the records written before its put loads
// whole all the same (they replace theirs in it), and what was written
// after it was taken still counts towards the next one.
func testSnapshotPutAfterLaterWrites(t *testing.T, connect func() core.Store) {
	s := connected(t, connect)
	ss := s.(core.SnapshotStore)
	const n = 1500
	recs := make([]*core.ConversationRecord, n)
	for i := range recs {
		recs[i] = conv(fmt.Sprintf("u%04d", i), int64(1000+i), 2)
	}
	a, b := conv("alice", 300, 1), conv("bob", 200, 1)
	put(t, s, 1, []*core.ConversationRecord{a, b, tombstone("dave", 1)}, nil)
	writeSnapshot(t, s)

	snap := snapshotOf(s, 1, []*core.ConversationRecord{a, b, tombstone("dave", 1)})
	b2 := conv("bob", 400, 2)
	later := append([]*core.ConversationRecord{b2, tombstone("alice", 2), conv("dave", 50, 2)}, recs...)
	put(t, s, 2, later, nil)
	snap.Encode(nil)
	update(t, s, func(tx core.Tx) error { return tx.(core.SnapshotTx).PutSnapshot(snap) })

	all, seq := loadAll(t, connect)
	require.EqualValues(t, 2, seq)
	require.ElementsMatch(t, later, all)
	require.True(t, ss.SnapshotDue(false), "the %d records written after the snapshot was taken are not in it", len(later))
	writeSnapshot(t, s)
	require.False(t, ss.SnapshotDue(false))
}

// A snapshot written in a transaction that aborts is not kept: the load
// still gives the records.
func testSnapshotGoesWithAnAbort(t *testing.T, connect func() core.Store) {
	s := connected(t, connect)
	a := conv("alice", 300, 1)
	put(t, s, 1, []*core.ConversationRecord{a}, nil)
	writeSnapshot(t, s)
	boom := errors.New("boom")
	err := s.Update(ctx, func(tx core.Tx) error {
		snap := snapshotOf(s, 1, []*core.ConversationRecord{conv("mallory", 900, 1)})
		if err := tx.(core.SnapshotTx).PutSnapshot(snap); err != nil {
			return err
		}
		return boom
	})
	require.ErrorIs(t, err, boom)
	all, _ := loadAll(t, connect)
	require.Equal(t, []*core.ConversationRecord{a}, all)
}

// Right after a snapshot of everything none is due; records written since,
// more than the list holds, make one due whether the Service works on or
// closes.
func testSnapshotDue(t *testing.T, connect func() core.Store) {
	s := connected(t, connect)
	const n = 2000
	recs := make([]*core.ConversationRecord, n)
	for i := range recs {
		recs[i] = conv(fmt.Sprintf("u%04d", i), int64(1000+i), 1)
	}
	put(t, s, 1, recs[:1], nil)
	writeSnapshot(t, s)
	ss := s.(core.SnapshotStore)
	require.False(t, ss.SnapshotDue(false), "just written")
	require.False(t, ss.SnapshotDue(true), "just written")

	put(t, s, 2, recs, nil)
	require.True(t, ss.SnapshotDue(false), "%d records written since", n)
	require.True(t, ss.SnapshotDue(true), "%d records written since", n)
	writeSnapshot(t, s)
	require.False(t, ss.SnapshotDue(false))
	require.False(t, ss.SnapshotDue(true))
}

func firstPage(t *testing.T, s core.Store) []byte {
	t.Helper()
	var page []byte
	view(t, s, func(tx core.Tx) (err error) {
		page, err = tx.(core.FirstPageTx).FirstPage()
		return err
	})
	return page
}

func putFirstPage(tx core.Tx, page string) error {
	return tx.(core.FirstPageTx).PutFirstPage([]byte(page))
}

// The first page is kept as given, seen by the transaction that wrote it, by
// other connections, and after a reopen; a new database has none.
func testFirstPageKept(t *testing.T, connect func() core.Store) {
	s := connected(t, connect)
	require.Nil(t, firstPage(t, s), "a new database has none")
	const page = `{"format":1,"conversationList":[{"name":"名前 👋"}]}`
	update(t, s, func(tx core.Tx) error {
		if err := tx.SetSeq(1); err != nil {
			return err
		}
		if err := putFirstPage(tx, page); err != nil {
			return err
		}
		got, err := tx.(core.FirstPageTx).FirstPage()
		require.NoError(t, err)
		require.Equal(t, page, string(got), "reads see the transaction's own page")
		return nil
	})
	require.Equal(t, page, string(firstPage(t, connected(t, connect))))
	require.NoError(t, s.Close())
	require.Equal(t, page, string(firstPage(t, connected(t, connect))))
}

// A change (SetSeq) deletes the page, in its own transaction and for
// everyone after, so that a page found is as of the store's sequence.
func testFirstPageGoesWithAChange(t *testing.T, connect func() core.Store) {
	s := connected(t, connect)
	update(t, s, func(tx core.Tx) error { return putFirstPage(tx, `{"page":1}`) })
	update(t, s, func(tx core.Tx) error {
		if err := tx.SetSeq(1); err != nil {
			return err
		}
		got, err := tx.(core.FirstPageTx).FirstPage()
		require.NoError(t, err)
		require.Nil(t, got, "deleted by the change")
		return nil
	})
	require.Nil(t, firstPage(t, connected(t, connect)))
}

// A page written in a transaction that aborts is not kept, and the page kept
// before stays.
func testFirstPageGoesWithAnAbort(t *testing.T, connect func() core.Store) {
	s := connected(t, connect)
	update(t, s, func(tx core.Tx) error { return putFirstPage(tx, `{"page":1}`) })
	boom := errors.New("boom")
	err := s.Update(ctx, func(tx core.Tx) error {
		if err := putFirstPage(tx, `{"page":2}`); err != nil {
			return err
		}
		return boom
	})
	require.ErrorIs(t, err, boom)
	require.Equal(t, `{"page":1}`, string(firstPage(t, s)))
	err = s.Update(ctx, func(tx core.Tx) error {
		if err := tx.SetSeq(5); err != nil {
			return err
		}
		return boom
	})
	require.ErrorIs(t, err, boom)
	require.Equal(t, `{"page":1}`, string(firstPage(t, s)), "the change that deleted it aborted")
}
