//go:build js && wasm

package idbstore

import (
	"fmt"
	"math"

	"github.com/localconv/localconv/core"
	"github.com/localconv/localconv/idbstore/internal/idb"
	"github.com/localconv/localconv/internal/jsonx"
)

// The reads and writes of conversations and messages. Many records go as
// one batch (idb's batch.go: a few JS calls however many), and come back as
// JSON decoded in Go (records.go).

func (x *transaction) ConversationsChangedSince(seq uint64) ([]*core.ConversationRecord, error) {
	p, err := x.tx.GetAll(storeConversations, indexChange, idb.Above(float64(seq)))
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
	})
	if err != nil || values == nil {
		return nil, err
	}
	return x.s.conversationsFromJSON(values, ids), nil
}

// getEach gets n values from a store, the key of each written by key, in
// one batch.
func (x *transaction) getEach(store string, n int, key func(b []byte, i int) []byte) ([]any, error) {
	if n == 0 {
		return nil, nil
	}
	p, err := x.tx.GetEach(store, n, key)
	if err != nil {
		return nil, err
	}
	return valuesOf(p)
}

func (x *transaction) PutConversations(recs []*core.ConversationRecord) error {
	if len(recs) == 0 {
		return nil
	}
	for _, r := range recs {
		if !exactInJS(r.SortOrder) || !seqInJS(r.Seq) {
			return fmt.Errorf("conversation %q: sortOrder %d or seq %d is beyond what a JS number holds exactly", r.ConversationID, r.SortOrder, r.Seq)
		}
	}
	if err := x.tx.PutEach(storeConversations, len(recs), func(b []byte, i int) []byte {
		return conversationValueJSON(b, recs[i])
	}); err != nil {
		return fmt.Errorf("storing conversations: %w", err)
	}
	x.wroteConversations = true
	x.conversationsPut += len(recs)
	return nil
}

func (x *transaction) GetMessages(keys []core.MessageKey) ([]*core.MessageRecord, error) {
	values, err := x.getEach(storeMessages, len(keys), func(b []byte, i int) []byte {
		return appendMessageKey(b, keys[i])
	})
	if err != nil || values == nil {
		return nil, err
	}
	return x.s.messagesFromJSON(values, keys), nil
}

// AddMessages adds each message whose key holds none yet, in one batch: a
// key that is stored already fails its add, which leaves the stored message
// as it was and the transaction going (idb's AddEach).
func (x *transaction) AddMessages(recs []*core.MessageRecord) ([]bool, error) {
	if len(recs) == 0 {
		return nil, nil
	}
	added, err := x.tx.AddEach(storeMessages, len(recs), func(b []byte, i int) []byte {
		return messageValueJSON(b, recs[i])
	})
	if err != nil {
		return nil, fmt.Errorf("storing messages: %w", err)
	}
	return added, nil
}

func appendMessageKey(b []byte, k core.MessageKey) []byte {
	b = append(b, '[')
	b = jsonx.AppendString(b, k.ConversationID)
	b = append(b, ',')
	b = jsonx.AppendString(b, k.MessageClientID)
	return append(b, ']')
}

func (x *transaction) PutMessages(recs []*core.MessageRecord) error {
	if len(recs) == 0 {
		return nil
	}
	if err := x.tx.PutEach(storeMessages, len(recs), func(b []byte, i int) []byte {
		return messageValueJSON(b, recs[i])
	}); err != nil {
		return fmt.Errorf("storing messages: %w", err)
	}
	return nil
}

// conversationEnd is above every [conversationID, createTime] key of the
// conversation and below the next conversation's: arrays sort above numbers.
func conversationEnd(conversationID string) []any {
	return []any{conversationID, []any{}}
}

func (x *transaction) MessagesAfter(conversationID string, t int64) ([]*core.MessageRecord, error) {
	lower := []any{conversationID, float64(t)}
	if t == -1 {
		lower = []any{conversationID, math.Inf(-1)}
	}
	p, err := x.tx.GetAll(storeMessages, indexTime, idb.Between(lower, conversationEnd(conversationID), t != -1, true))
	if err != nil {
		return nil, err
	}
	values, err := valuesOf(p)
	if err != nil {
		return nil, err
	}
	return dropNil(x.s.messagesFromJSON(values, nil)), nil
}

// NewestMessages walks the conversation's messages backwards with a cursor:
// the caller stops it after a few, so reading them all would cost more.
func (x *transaction) NewestMessages(conversationID string, fn func(*core.MessageRecord) bool) error {
	// The cursor calls back from a JS event handler, where nothing may block:
	// corrupt records are reported after it.
	type corrupt struct {
		key string
		err error
	}
	var bad []corrupt
	r := idb.Between([]any{conversationID, math.Inf(-1)}, conversationEnd(conversationID), false, true)
	err := x.tx.Iterate(storeMessages, indexTime, r, true, func(key, value idb.Value) bool {
		m, err := messageOf(value)
		if err != nil {
			bad = append(bad, corrupt{messageKeyNameOf(key), err})
			return true
		}
		return fn(m)
	})
	for _, b := range bad {
		x.s.reportCorrupt(b.key, b.err)
	}
	return err
}
