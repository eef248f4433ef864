//go:build js && wasm

package idbstore

import (
	"fmt"

	"github.com/localconv/localconv/core"
	"github.com/localconv/localconv/idbstore/internal/idb"
	"github.com/localconv/localconv/internal/jsonx"
)

// The reads and writes of conversations and messages. Many records go as
// one batch (idb's batch.go: a few JS calls however many), and come back as
// JSON decoded in Go (records.go).

func (x *transaction) ConversationsChangedSince(seq uint64) ([]*core.ConversationRecord, error) {
	p, err := x.tx.GetAll(storeConversations, indexChange, idb.Above(float64(seq)), recordProps...)
	if err != nil {
		return nil, err
	}
	values, err := valuesOf(p)
	if err != nil {
		return nil, err
	}
	return dropNil(x.s.conversationsFromJSON(values, nil)), nil
}

func (x *transaction) GetConversations(ids []string) ([]*core.ConversationRecord, error) {
	values, err := x.getEach(storeConversations, len(ids), func(b []byte, i int) []byte {
		return jsonx.AppendString(b, ids[i])
	}, recordProps...)
	if err != nil || values == nil {
		return nil, err
	}
	return x.s.conversationsFromJSON(values, ids), nil
}

// getEach gets n values from a store, the key of each written by key, in
// one batch; only as idb's GetEach.
func (x *transaction) getEach(store string, n int, key func(b []byte, i int) []byte, only ...string) ([]any, error) {
	if n == 0 {
		return nil, nil
	}
	p, err := x.tx.GetEach(store, n, key, only...)
	if err != nil {
		return nil, err
	}
	return valuesOf(p)
}

// PutConversations writes each record with its tail as one value. A
// conversation whose messages were still in version 2's messages store
// (legacy.go) has them there no more: its tail holds what is kept of them.
func (x *transaction) PutConversations(recs []*core.ConversationRecord, tails []*core.Tail) error {
	if len(recs) == 0 {
		return nil
	}
	if len(tails) != len(recs) {
		return fmt.Errorf("storing conversations: %d tails for %d records", len(tails), len(recs))
	}
	for _, r := range recs {
		if !exactInJS(r.SortOrder) || !seqInJS(r.Seq) {
			return fmt.Errorf("conversation %q: sortOrder %d or seq %d is beyond what a JS number holds exactly", r.ConversationID, r.SortOrder, r.Seq)
		}
	}
	var scratch []byte
	if err := x.tx.PutEach(storeConversations, len(recs), func(b []byte, i int) []byte {
		return conversationValueJSON(b, &scratch, recs[i], tails[i])
	}); err != nil {
		return fmt.Errorf("storing conversations: %w", err)
	}
	for _, r := range recs {
		if err := x.dropLegacy(r.ConversationID); err != nil {
			return err
		}
	}
	x.wroteConversations = true
	x.conversationsPut += len(recs)
	return nil
}

// Tails reads the tails of the conversations in one batch: only their
// tails, not their records, cross to Go. A conversation written before its
// tail was kept with it has its messages in version 2's store (legacy.go).
func (x *transaction) Tails(ids []string) ([]*core.Tail, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	p, err := x.tx.GetEach(storeConversations, len(ids), func(b []byte, i int) []byte {
		return jsonx.AppendString(b, ids[i])
	}, propTail)
	if err != nil {
		return nil, err
	}
	stored, err := readJSON(p, func(text []byte) ([]storedTail, error) { return readTails(text, len(ids)) })
	if err != nil {
		return nil, err
	}
	out := make([]*core.Tail, len(ids))
	var legacy []int
	for i, st := range stored {
		switch {
		case !st.found:
			out[i] = &core.Tail{}
		case !st.hasTail:
			legacy = append(legacy, i)
		default:
			t, err := st.decode()
			if err != nil {
				// Its messages are lost; the conversation itself is intact.
				x.s.reportCorrupt(tailKeyName(ids[i]), err)
				t = &core.Tail{}
			}
			out[i] = t
		}
	}
	if len(legacy) > 0 {
		if err := x.legacyTails(ids, legacy, out); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// Spilled reads the messages each conversation keeps apart, a getAll each.
func (x *transaction) Spilled(ids []string) ([][]*core.MessageRecord, error) {
	pending := make([]*idb.Pending, len(ids))
	for i, id := range ids {
		p, err := x.tx.GetAll(storeSpill, "", conversationRange(id))
		if err != nil {
			return nil, err
		}
		pending[i] = p
	}
	out := make([][]*core.MessageRecord, len(ids))
	for i, p := range pending {
		values, err := valuesOf(p)
		if err != nil {
			return nil, err
		}
		if list := dropNil(x.s.messagesFromJSON(values, nil, storeSpill)); len(list) > 0 {
			out[i] = list
		}
	}
	return out, nil
}

func (x *transaction) PutSpilled(recs []*core.MessageRecord) error {
	if len(recs) == 0 {
		return nil
	}
	if err := x.tx.PutEach(storeSpill, len(recs), func(b []byte, i int) []byte {
		return spillValueJSON(b, recs[i])
	}); err != nil {
		return fmt.Errorf("storing messages kept apart: %w", err)
	}
	return nil
}

func (x *transaction) DeleteSpilled(keys []core.MessageKey) error {
	if len(keys) == 0 {
		return nil
	}
	return x.tx.DeleteEach(storeSpill, len(keys), func(b []byte, i int) []byte {
		b = append(b, '[')
		b = jsonx.AppendString(b, keys[i].ConversationID)
		b = append(b, ',')
		b = jsonx.AppendString(b, keys[i].MessageClientID)
		return append(b, ']')
	})
}
