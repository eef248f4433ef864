//go:build js && wasm

package idbstore

import (
	"context"
	"fmt"
	"syscall/js"
	"time"
	"unsafe"

	"github.com/localconv/localconv/core"
)

const (
	// firstBatchSize is how many conversations, from the top of the list, Load
	// delivers first: enough for a first page.
	firstBatchSize = 100
	// restBatchSize splits the rest; between batches the page gets a turn.
	restBatchSize = 20000
)

// Load delivers every conversation record, tombstones too: first the top of
// the list, then the rest. It reads, in one read-only transaction, the top of the list (one
// getAllRecords down the sortOrder index), the snapshot (the whole list as of
// some change sequence, one value: snapshot.go) and the records written since
// it (the tail, found through the seq index). So a load costs one copy of the
// snapshot into Go plus a few JS calls per tail record, however long the
// list; the Service rewrites the snapshot when the tail grows (SnapshotDue).
// A database without a snapshot has everything in its tail.
func (s *Store) Load(ctx context.Context, batch func([]*core.ConversationRecord)) (uint64, error) {
	c, err := s.ready(ctx)
	if err != nil {
		return 0, err
	}
	seq, err := s.load(ctx, c, batch)
	if err != nil {
		if lost := s.lostErr(); lost != nil {
			return 0, lost
		}
		return 0, s.errorf("loading the conversations: %w", err)
	}
	s.noteSeq(seq)
	return seq, nil
}

func (s *Store) load(ctx context.Context, c *conn, batch func([]*core.ConversationRecord)) (uint64, error) {
	return s.loadRecords(ctx, c, nil, batch)
}

// loadRecords reads, in one read-only transaction, the change sequence and
// the records, and delivers those not in delivered. With delivered nil it is
// a first try: the top of the list, delivered first, and the snapshot with
// the records written since it. Otherwise the snapshot was found damaged by
// a first try that delivered the top: every record is read instead.
func (s *Store) loadRecords(ctx context.Context, c *conn, delivered map[string]uint64, batch func([]*core.ConversationRecord)) (uint64, error) {
	firstTry := delivered == nil
	var t, topReq, seqReq, snapReq js.Value
	err := catchJS(func() {
		t = c.raw.Call("transaction", []any{storeConversations, storeMeta}, "readonly")
		convs, meta := t.Call("objectStore", storeConversations), t.Call("objectStore", storeMeta)
		byOrder := convs.Call("index", indexSortOrder)
		// First, so that it is answered before the big snapshot is read.
		if firstTry && byOrder.Get("getAllRecords").Type() == js.TypeFunction {
			topReq = byOrder.Call("getAllRecords", map[string]any{"direction": "prev", "count": firstBatchSize})
		}
		seqReq = meta.Call("get", metaSeq)
		if firstTry {
			snapReq = meta.Call("get", metaSnapshot)
		}
	})
	if err != nil {
		return 0, err
	}

	if firstTry {
		delivered = map[string]uint64{} // id → Seq of what the first batch gave
	}
	if !topReq.IsUndefined() {
		top, err := s.readTop(ctx, topReq)
		if err != nil {
			return 0, err
		}
		for _, r := range top {
			delivered[r.ConversationID] = r.Seq
		}
		batch(top)
	}

	var snapValue js.Value
	if firstTry {
		if snapValue, err = awaitRequest(ctx, snapReq); err != nil {
			return 0, err
		}
	} else if _, err = awaitRequest(ctx, seqReq); err != nil {
		return 0, err
	}
	seq, err := seqFromJS(seqReq.Get("result"))
	if err != nil {
		return 0, err
	}
	// Ask for the tail now, while the transaction is still active; decode the
	// snapshot while the database reads it. Without a snapshot the tail is
	// every record.
	snapSeq, snapChunks := snapshotParts(snapValue)
	var tailReq js.Value
	if err := catchJS(func() {
		bySeq := t.Call("objectStore", storeConversations).Call("index", indexChange)
		if snapSeq == 0 {
			tailReq = bySeq.Call("getAll")
		} else {
			tailReq = bySeq.Call("getAll", js.Global().Get("IDBKeyRange").Call("lowerBound", float64(snapSeq), true))
		}
	}); err != nil {
		return 0, err
	}
	var snapRecs []*core.ConversationRecord
	if len(snapChunks) > 0 {
		snapRecs, err = s.decodeSnapshot(snapChunks, snapSeq)
		if err != nil {
			// Damaged: read everything instead, in a transaction of its own.
			s.reportCorrupt(fmt.Sprintf("%s[%q]", storeMeta, metaSnapshot), err)
			return s.loadRecords(ctx, c, delivered, batch)
		}
	}
	tailValues, err := resultJSON(ctx, tailReq)
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
	s.applyTail(tail, tailValues)
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

// readTop decodes getAllRecords' answer: the top of the list, first first.
// Its IDBRecords keep the value behind a getter, which JSON.stringify does
// not see, so the values are taken out first (bulk.go's trick).
func (s *Store) readTop(ctx context.Context, req js.Value) ([]*core.ConversationRecord, error) {
	records, err := awaitRequest(ctx, req)
	if err != nil {
		return nil, err
	}
	var text string
	if err := catchJS(func() {
		text = jsJSON.Call("stringify", arrayMap.Call("call", records, fnCall, recordValue())).String()
	}); err != nil {
		return nil, err
	}
	values, err := parseArray(text)
	if err != nil {
		return nil, err
	}
	return dropNil(s.conversationsFromJSON(values, nil)), nil
}

// decodeSnapshot copies the snapshot into Go a chunk at a time, into one
// buffer, and decodes it there: the decoded records keep nothing of their
// bytes (codec.go), so the load leaves no chunk behind as garbage. Any
// damaged chunk fails the whole snapshot.
func (s *Store) decodeSnapshot(chunks []js.Value, wantSeq uint64) ([]*core.ConversationRecord, error) {
	var recs []*core.ConversationRecord
	var buf []byte
	for i, c := range chunks {
		b, err := bytesFromJS(buf, c)
		if err != nil {
			return nil, err
		}
		buf = b
		if len(b) == 0 {
			return nil, fmt.Errorf("the snapshot's chunk %d is empty", i)
		}
		// Read as a string while it is decoded, never after.
		seq, part, err := decodeSnapshot(unsafe.String(&b[0], len(b)))
		if err == nil && seq != wantSeq {
			err = fmt.Errorf("the snapshot's bytes are of change %d, its value says %d", seq, wantSeq)
		}
		if err != nil {
			if len(chunks) > 1 {
				err = fmt.Errorf("chunk %d: %w", i, err)
			}
			return nil, err
		}
		if recs == nil {
			recs = make([]*core.ConversationRecord, 0, len(part)*len(chunks))
		}
		recs = append(recs, part...)
	}
	return recs, nil
}

// applyTail lays stored values over recs by id, tombstones too. A record
// that cannot be decoded is reported and skipped.
func (s *Store) applyTail(recs map[string]*core.ConversationRecord, values []any) {
	for _, r := range s.conversationsFromJSON(values, nil) {
		if r != nil {
			recs[r.ConversationID] = r
		}
	}
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

func seqFromJS(v js.Value) (uint64, error) {
	switch {
	case v.IsUndefined():
		return 0, nil
	case v.Type() == js.TypeNumber && v.Float() >= 0:
		return uint64(v.Float()), nil
	}
	return 0, fmt.Errorf("the stored change sequence is not a number: %s", jsString(v))
}

// awaitRequest waits for a raw IDBRequest and returns its result. The code
// after it runs before control returns to JS, so it may issue further
// requests on the same transaction. Its handlers are removed and released
// however the wait ends: the request completing, or ctx ending first (then a
// late completion finds no handler).
func awaitRequest(ctx context.Context, req js.Value) (js.Value, error) {
	done := make(chan error, 1)
	onSuccess := js.FuncOf(func(js.Value, []js.Value) any {
		done <- nil
		return nil
	})
	onError := js.FuncOf(func(js.Value, []js.Value) any {
		done <- jsError(req.Get("error"))
		return nil
	})
	req.Set("onsuccess", onSuccess)
	req.Set("onerror", onError)
	var err error
	select {
	case err = <-done:
	case <-ctx.Done():
		err = ctx.Err()
	}
	// Here in Go, no JS handler runs: once unset, neither can be called again.
	req.Set("onsuccess", js.Null())
	req.Set("onerror", js.Null())
	onSuccess.Release()
	onError.Release()
	if err != nil {
		return js.Undefined(), err
	}
	return req.Get("result"), nil
}
