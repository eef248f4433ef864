//go:build js && wasm

package idbstore

import (
	"context"
	"encoding/binary"
	"fmt"
	"syscall/js"

	"github.com/localconv/localconv/core"
)

const (
	// firstBatchSize is how many conversations, from the top of the list, Load
	// delivers first: enough for a first page.
	firstBatchSize = 100
	// restBatchSize splits the rest so that queries get the cache between batches.
	restBatchSize = 5000
)

// Load delivers every live conversation: first the top of the list (highest
// sortOrder first), then the rest, each record once. It returns the change
// sequence the records are as of: they are read in one transaction.
func (s *Store) Load(ctx context.Context, batch func([]*core.ConversationRecord)) (uint64, error) {
	c, err := s.ready(ctx)
	if err != nil {
		return 0, err
	}
	var seq uint64
	if helper, ok := packedLoader(); ok && !forceLoadEach.Load() {
		seq, err = s.loadPacked(ctx, c, helper, batch)
	} else {
		seq, err = s.loadEach(ctx, c, batch)
	}
	if err != nil {
		if lost := s.lostErr(); lost != nil {
			return 0, lost
		}
		return 0, s.errorf("loading the conversations: %w", err)
	}
	return seq, nil
}

// loadPacked reads through the JS helper (loadjs.go): the records reach Go as
// two buffers, one copy each, so loading costs no JS call per record.
func (s *Store) loadPacked(ctx context.Context, c *conn, helper js.Value, batch func([]*core.ConversationRecord)) (uint64, error) {
	var res js.Value
	if err := catchJS(func() { res = helper.Invoke(c.raw, firstBatchSize) }); err != nil {
		return 0, err
	}
	first, err := awaitPromise(ctx, res.Get("first"))
	if err != nil {
		return 0, err
	}
	seq, err := seqFromJS(first.Get("seq"))
	if err != nil {
		return 0, err
	}
	top, err := s.unpack(first)
	if err != nil {
		return 0, err
	}
	batch(top)
	rest, err := awaitPromise(ctx, res.Get("rest"))
	if err != nil {
		return 0, err
	}
	recs, err := s.unpack(rest)
	if err != nil {
		return 0, err
	}
	deliverInBatches(recs, batch)
	return seq, nil
}

// unpack decodes a helper result {bytes, values}: bytes holds each record as
// a 4-byte little-endian length and the record's bytes (length 0xffffffff:
// the value had none). values, the stored objects, is read only to name a
// record that fails to decode.
func (s *Store) unpack(part js.Value) ([]*core.ConversationRecord, error) {
	b, err := bytesFromJS(part.Get("bytes"))
	if err != nil {
		return nil, err
	}
	// One string for the batch: the records' strings are slices of it.
	buf := string(b)
	values := part.Get("values")
	var out []*core.ConversationRecord
	for i := 0; len(buf) > 0; i++ {
		if len(buf) < 4 {
			return nil, fmt.Errorf("packed records end inside a length")
		}
		n := binary.LittleEndian.Uint32([]byte(buf[:4]))
		buf = buf[4:]
		var r *core.ConversationRecord
		err := fmt.Errorf("the stored value has no rec bytes")
		if n != 0xffffffff {
			if uint64(n) > uint64(len(buf)) {
				return nil, fmt.Errorf("packed records end inside a record")
			}
			r, err = decodeConversationString(buf[:n])
			buf = buf[n:]
		}
		if err != nil {
			s.reportCorrupt(conversationKeyName(jsString(values.Index(i).Get("id"))), err)
			continue
		}
		if !r.Deleted {
			out = append(out, r)
		}
	}
	return out, nil
}

// loadEach is the read path where the helper cannot be made (a
// Content-Security-Policy without 'unsafe-eval', as in extensions): the same
// one-transaction read, but Go fetches each record from JS, about five JS calls
// apiece.
func (s *Store) loadEach(ctx context.Context, c *conn, batch func([]*core.ConversationRecord)) (uint64, error) {
	var t, seqReq, allReq js.Value
	err := catchJS(func() {
		t = c.raw.Call("transaction", []any{storeConversations, storeMeta}, "readonly")
		seqReq = t.Call("objectStore", storeMeta).Call("get", metaSeq)
		allReq = t.Call("objectStore", storeConversations).Call("index", indexSortOrder).Call("getAll")
	})
	if err != nil {
		return 0, err
	}
	values, err := awaitRequest(ctx, allReq)
	if err != nil {
		return 0, err
	}
	seq, err := seqFromJS(seqReq.Get("result"))
	if err != nil {
		return 0, err
	}
	// getAll reads the index upwards: the top of the list is at the end.
	n := values.Length()
	decode := func(i int) *core.ConversationRecord {
		v := values.Index(i)
		r, err := conversationFromValue(v)
		if err != nil {
			s.reportCorrupt(conversationKeyName(jsString(v.Get("id"))), err)
			return nil
		}
		if r.Deleted {
			return nil
		}
		return r
	}
	split := max(n-firstBatchSize, 0)
	var top []*core.ConversationRecord
	for i := n - 1; i >= split; i-- {
		if r := decode(i); r != nil {
			top = append(top, r)
		}
	}
	batch(top)
	var rest []*core.ConversationRecord
	for i := 0; i < split; i++ {
		if r := decode(i); r != nil {
			rest = append(rest, r)
		}
	}
	deliverInBatches(rest, batch)
	return seq, nil
}

func deliverInBatches(recs []*core.ConversationRecord, batch func([]*core.ConversationRecord)) {
	for len(recs) > 0 {
		n := min(len(recs), restBatchSize)
		batch(recs[:n:n])
		recs = recs[n:]
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

// awaitRequest waits for a raw IDBRequest and returns its result.
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
		return js.Undefined(), ctx.Err() // the handlers stay: the request may still call them
	}
	req.Set("onsuccess", js.Null())
	req.Set("onerror", js.Null())
	onSuccess.Release()
	onError.Release()
	if err != nil {
		return js.Undefined(), err
	}
	return req.Get("result"), nil
}
