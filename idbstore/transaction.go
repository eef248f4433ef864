//go:build js && wasm

package idbstore

import (
	"context"
	"fmt"
	"math"
	"syscall/js"

	"github.com/hack-pad/go-indexeddb/idb"

	"github.com/localconv/localconv/core"
)

// transaction is a core.Tx on one go-indexeddb transaction. Its methods issue
// requests and wait only for those, so the transaction stays alive (DESIGN.md,
// "Transaction lifetime"). Writes are not awaited: requests run in order, so
// later reads see them, and a failed write aborts the transaction, which
// Update reports.
type transaction struct {
	ctx context.Context
	t   *idb.Transaction
	s   *Store

	seq      uint64
	seqKnown bool
	// wroteConversations: the commit is news for other connections.
	wroteConversations bool
	// conversationsPut and snapshotLive (-1: none written) feed SnapshotDue.
	conversationsPut int
	snapshotLive     int
}

func (x *transaction) store(name string) (*idb.ObjectStore, error) {
	return x.t.ObjectStore(name) // go-indexeddb caches it per transaction
}

func (x *transaction) Seq() (uint64, error) {
	if x.seqKnown {
		return x.seq, nil
	}
	meta, err := x.store(storeMeta)
	if err != nil {
		return 0, err
	}
	req, err := meta.Get(js.ValueOf(metaSeq))
	if err != nil {
		return 0, err
	}
	v, err := req.Await(x.ctx)
	if err != nil {
		return 0, err
	}
	if x.seq, err = seqFromJS(v); err != nil {
		return 0, err
	}
	x.seqKnown = true
	return x.seq, nil
}

func (x *transaction) SetSeq(seq uint64) error {
	if seq > 1<<53 {
		return fmt.Errorf("change sequence %d is beyond what a JS number holds exactly", seq)
	}
	meta, err := x.store(storeMeta)
	if err != nil {
		return err
	}
	if _, err := meta.PutKey(js.ValueOf(metaSeq), js.ValueOf(float64(seq))); err != nil {
		return err
	}
	x.seq, x.seqKnown = seq, true
	x.wroteConversations = true
	return nil
}

func (x *transaction) ConversationsChangedSince(seq uint64) ([]*core.ConversationRecord, error) {
	convs, err := x.store(storeConversations)
	if err != nil {
		return nil, err
	}
	index, err := convs.Index(indexSeq)
	if err != nil {
		return nil, err
	}
	r, err := idb.NewKeyRangeLowerBound(js.ValueOf(float64(seq)), true)
	if err != nil {
		return nil, err
	}
	keys, err := x.keysIn(index, r)
	if err != nil {
		return nil, err
	}
	recs, err := x.getConversations(convs, keys)
	if err != nil {
		return nil, err
	}
	out := recs[:0]
	for _, r := range recs {
		if r != nil { // nil: corrupt, reported and skipped
			out = append(out, r)
		}
	}
	return out, nil
}

func (x *transaction) GetConversations(ids []string) ([]*core.ConversationRecord, error) {
	convs, err := x.store(storeConversations)
	if err != nil {
		return nil, err
	}
	keys := make([]js.Value, len(ids))
	for i, id := range ids {
		keys[i] = js.ValueOf(id)
	}
	return x.getConversations(convs, keys)
}

func (x *transaction) getConversations(convs *idb.ObjectStore, keys []js.Value) ([]*core.ConversationRecord, error) {
	values, err := x.getAll(convs, keys)
	if err != nil {
		return nil, err
	}
	out := make([]*core.ConversationRecord, len(values))
	for i, v := range values {
		if v.IsUndefined() {
			continue
		}
		r, err := conversationFromValue(v)
		if err != nil {
			x.s.reportCorrupt(keyName(storeConversations, keys[i]), err)
			continue
		}
		out[i] = r
	}
	return out, nil
}

func (x *transaction) PutConversations(recs []*core.ConversationRecord) error {
	if len(recs) == 0 {
		return nil
	}
	convs, err := x.store(storeConversations)
	if err != nil {
		return err
	}
	for _, r := range recs {
		if r.SortOrder > 1<<53 || r.SortOrder < -1<<53 || r.Seq > 1<<53 {
			return fmt.Errorf("conversation %q: sortOrder %d or seq %d is beyond what a JS number holds exactly", r.ConversationID, r.SortOrder, r.Seq)
		}
		if _, err := convs.Put(conversationValue(r)); err != nil {
			return fmt.Errorf("storing conversation %q: %w", r.ConversationID, err)
		}
	}
	x.wroteConversations = true
	x.conversationsPut += len(recs)
	return nil
}

func (x *transaction) GetMessages(keys []core.MessageKey) ([]*core.MessageRecord, error) {
	msgs, err := x.store(storeMessages)
	if err != nil {
		return nil, err
	}
	jsKeys := make([]js.Value, len(keys))
	for i, k := range keys {
		jsKeys[i] = messageKey(k)
	}
	return x.getMessages(msgs, jsKeys)
}

func (x *transaction) getMessages(msgs *idb.ObjectStore, keys []js.Value) ([]*core.MessageRecord, error) {
	values, err := x.getAll(msgs, keys)
	if err != nil {
		return nil, err
	}
	out := make([]*core.MessageRecord, len(values))
	for i, v := range values {
		if v.IsUndefined() {
			continue
		}
		m, err := messageFromValue(v)
		if err != nil {
			x.s.reportCorrupt(keyName(storeMessages, keys[i]), err)
			continue
		}
		out[i] = m
	}
	return out, nil
}

func (x *transaction) PutMessages(recs []*core.MessageRecord) error {
	if len(recs) == 0 {
		return nil
	}
	msgs, err := x.store(storeMessages)
	if err != nil {
		return err
	}
	for _, m := range recs {
		if _, err := msgs.Put(messageValue(m)); err != nil {
			return fmt.Errorf("storing message %q of %q: %w", m.MessageClientID, m.ConversationID, err)
		}
	}
	return nil
}

func (x *transaction) MessagesAfter(conversationID string, t int64) ([]*core.MessageRecord, error) {
	msgs, err := x.store(storeMessages)
	if err != nil {
		return nil, err
	}
	index, err := msgs.Index(indexTime)
	if err != nil {
		return nil, err
	}
	lower := keyArray(conversationID, float64(t))
	if t == -1 {
		lower = keyArray(conversationID, math.Inf(-1))
	}
	r, err := idb.NewKeyRangeBound(lower, conversationEnd(conversationID), t != -1, true)
	if err != nil {
		return nil, err
	}
	keys, err := x.keysIn(index, r)
	if err != nil {
		return nil, err
	}
	recs, err := x.getMessages(msgs, keys)
	if err != nil {
		return nil, err
	}
	out := recs[:0]
	for _, m := range recs {
		if m != nil {
			out = append(out, m)
		}
	}
	return out, nil
}

// conversationEnd is above every [conversationID, createTime] key of the
// conversation and below the next conversation's: arrays sort above numbers.
func conversationEnd(conversationID string) js.Value {
	return keyArray(conversationID, []any{})
}

func (x *transaction) NewestMessages(conversationID string, fn func(*core.MessageRecord) bool) error {
	msgs, err := x.store(storeMessages)
	if err != nil {
		return err
	}
	index, err := msgs.Index(indexTime)
	if err != nil {
		return err
	}
	r, err := idb.NewKeyRangeBound(keyArray(conversationID, math.Inf(-1)), conversationEnd(conversationID), false, true)
	if err != nil {
		return err
	}
	req, err := index.OpenCursorRange(r, idb.CursorPrevious)
	if err != nil {
		return err
	}
	// The cursor calls back from a JS event handler, where nothing may block:
	// corrupt records are reported after it.
	type corrupt struct {
		key string
		err error
	}
	var bad []corrupt
	err = req.Iter(x.ctx, func(c *idb.CursorWithValue) error {
		v, err := c.Value()
		if err != nil {
			return err
		}
		m, err := messageFromValue(v)
		if err != nil {
			key, _ := c.PrimaryKey()
			bad = append(bad, corrupt{keyName(storeMessages, key), err})
			return nil
		}
		if !fn(m) {
			return idb.ErrCursorStopIter
		}
		return nil
	})
	for _, b := range bad {
		x.s.reportCorrupt(b.key, b.err)
	}
	return err
}

// keysIn returns the primary keys of the index entries in r, in index order.
func (x *transaction) keysIn(index *idb.Index, r *idb.KeyRange) ([]js.Value, error) {
	req, err := index.GetAllKeysRange(r, 0)
	if err != nil {
		return nil, err
	}
	return req.Await(x.ctx)
}

// getAll reads the values at keys (undefined where there is none). It issues
// every request before waiting, and then waits for the last one only:
// requests complete in order, so a batch costs about one round trip.
func (x *transaction) getAll(store *idb.ObjectStore, keys []js.Value) ([]js.Value, error) {
	if len(keys) == 0 {
		return nil, nil
	}
	reqs := make([]*idb.Request, len(keys))
	for i, k := range keys {
		req, err := store.Get(k)
		if err != nil {
			return nil, err
		}
		reqs[i] = req
	}
	if _, err := reqs[len(reqs)-1].Await(x.ctx); err != nil {
		return nil, err
	}
	values := make([]js.Value, len(reqs))
	for i, req := range reqs {
		v, err := req.Result()
		if err != nil {
			return nil, err
		}
		values[i] = v
	}
	return values, nil
}
