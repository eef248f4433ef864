//go:build js && wasm

package idbstore

import (
	"context"
	"fmt"
	"time"

	"github.com/localconv/localconv/core"
	"github.com/localconv/localconv/idbstore/internal/idb"
)

const (
	// firstBatchSize is how many conversations, from the top of the list, Load
	// delivers first: enough for a first page.
	firstBatchSize = 100
	// restBatchSize splits the rest; between batches the page gets a turn.
	restBatchSize = 20000
)

// Load delivers every conversation record, tombstones too: first the top of
// the list, then the rest. It reads, in one read-only transaction, the top
// of the list (down the sortOrder index, where the browser can: GetLast),
// the snapshot (the whole list as of some change sequence, one value:
// snapshot.go) and the records written since it (the tail, found through
// the change index). So a load costs one copy of the snapshot into Go plus
// the JSON of the tail, however long the list; the Service rewrites the
// snapshot when the tail grows (SnapshotDue). A database without a snapshot
// has everything in its tail.
func (s *Store) Load(ctx context.Context, batch func([]*core.ConversationRecord)) (uint64, error) {
	db, err := s.ready(ctx)
	if err != nil {
		return 0, err
	}
	seq, err := s.loadRecords(ctx, db, nil, batch)
	if err != nil {
		if lost := s.lostErr(); lost != nil {
			return 0, lost
		}
		return 0, s.errorf("loading the conversations: %w", err)
	}
	s.noteSeq(seq)
	return seq, nil
}

// loadRecords reads, in one read-only transaction, the change sequence and
// the records, and delivers those not in delivered. With delivered nil it is
// a first try: the top of the list, delivered first, and the snapshot with
// the records written since it. Otherwise the snapshot was found damaged by
// a first try that delivered the top: every record is read instead.
func (s *Store) loadRecords(ctx context.Context, db *idb.DB, delivered map[string]uint64, batch func([]*core.ConversationRecord)) (uint64, error) {
	firstTry := delivered == nil
	tx, err := db.Begin(ctx, idb.ReadOnly, storeConversations, storeMeta)
	if err != nil {
		return 0, err
	}
	seqValue, err := tx.Anchor(storeMeta, metaSeq)
	if err != nil {
		return 0, err
	}
	seq, err := seqOf(seqValue)
	if err != nil {
		return 0, err
	}
	var top, snapshot *idb.Pending
	if firstTry {
		// First, so that it is answered before the big snapshot is read.
		if top, _, err = tx.GetLast(storeConversations, indexSortOrder, firstBatchSize, recordProps...); err != nil {
			return 0, err
		}
		if snapshot, err = tx.Fetch(storeMeta, metaSnapshot); err != nil {
			return 0, err
		}
		delivered = map[string]uint64{} // id → Seq of what the first batch gave
	}
	if top != nil {
		values, err := valuesOf(top)
		if err != nil {
			return 0, err
		}
		recs := dropNil(s.conversationsFromJSON(values, nil))
		for _, r := range recs {
			delivered[r.ConversationID] = r.Seq
		}
		batch(recs)
	}

	var snapValue idb.Value
	if snapshot != nil {
		if snapValue, err = snapshot.Value(); err != nil {
			return 0, err
		}
	}
	// Ask for the tail now, while the transaction is still active; decode the
	// snapshot while the database reads it. Without a snapshot the tail is
	// every record.
	snapSeq, snapChunks := snapshotParts(snapValue)
	var changed idb.Range
	if snapSeq != 0 {
		changed = idb.Above(float64(snapSeq))
	}
	tail, err := tx.GetAll(storeConversations, indexChange, changed, recordProps...)
	if err != nil {
		return 0, err
	}
	var snapRecs []*core.ConversationRecord
	if len(snapChunks) > 0 {
		snapRecs, err = decodeSnapshotChunks(snapChunks, snapSeq)
		if err != nil {
			// Damaged: read everything instead, in a transaction of its own.
			s.reportCorrupt(fmt.Sprintf("%s[%q]", storeMeta, metaSnapshot), err)
			return s.loadRecords(ctx, db, delivered, batch)
		}
	}
	tailValues, err := valuesOf(tail)
	if err != nil {
		return 0, err
	}
	s.deliverLoaded(snapRecs, tailValues, delivered, batch)
	return seq, nil
}

// deliverLoaded delivers the snapshot's records, less those the tail
// replaced, and the tail's (tombstones too: the Service keeps them), but for
// what the first batch gave already.
func (s *Store) deliverLoaded(snapRecs []*core.ConversationRecord, tailValues []any, delivered map[string]uint64, batch func([]*core.ConversationRecord)) {
	tail := map[string]*core.ConversationRecord{}
	for _, r := range s.conversationsFromJSON(tailValues, nil) {
		if r != nil {
			tail[r.ConversationID] = r
		}
	}
	all := make([]*core.ConversationRecord, 0, len(snapRecs)+len(tail))
	for _, r := range snapRecs {
		if _, changed := tail[r.ConversationID]; !changed {
			all = append(all, r)
		}
	}
	for _, r := range tail {
		all = append(all, r)
	}
	s.snapshotState(len(all), len(tailValues))
	deliverRest(all, delivered, batch)
}

// deliverRest delivers what the first batch did not, in batches, giving the
// page a turn between them.
func deliverRest(recs []*core.ConversationRecord, delivered map[string]uint64, batch func([]*core.ConversationRecord)) {
	rest := recs[:0]
	for _, r := range recs {
		if seq, ok := delivered[r.ConversationID]; !ok || seq != r.Seq {
			rest = append(rest, r)
		}
	}
	for len(rest) > 0 {
		n := min(len(rest), restBatchSize)
		batch(rest[:n:n])
		rest = rest[n:]
		if len(rest) > 0 {
			time.Sleep(time.Millisecond) // a timer: the event loop runs meanwhile
		}
	}
}
