//go:build js && wasm

package idbstore

import (
	"fmt"

	"github.com/localconv/localconv/core"
	"github.com/localconv/localconv/idbstore/internal/idb"
	"github.com/localconv/localconv/internal/bufpool"
)

// Reading records back. A stored value holds the properties its key and
// indexes need, which DevTools shows, and the record itself as bytes
// (codec.go) in rec, as a string of one character per byte (rectext.go).
// Many values come back as one JSON text, decoded here in Go without a JS
// call per record.

// maxExactJS is the largest integer a JS number (a float64) holds exactly,
// with every integer below it: the bound of the numbers this store writes
// as plain properties (keys and indexes need them plain).
const maxExactJS = 1 << 53

// exactInJS reports whether n survives as a JS number unchanged.
func exactInJS(n int64) bool { return n >= -maxExactJS && n <= maxExactJS }

// seqInJS is exactInJS for a change sequence.
func seqInJS(seq uint64) bool { return seq <= maxExactJS }

// valuesOf waits for a batch or a getAll and parses its values.
func valuesOf(p *idb.Pending) ([]any, error) { return readJSON(p, parseArray) }

// readJSON waits for a batch or a getAll and hands its JSON text to parse,
// in a pooled buffer: parse must copy what it keeps.
func readJSON[T any](p *idb.Pending, parse func(text []byte) (T, error)) (T, error) {
	buf := bufpool.Get()
	defer bufpool.Put(buf)
	var err error
	if *buf, err = p.JSONInto(*buf); err != nil {
		var zero T
		return zero, err
	}
	return parse(*buf)
}

// recordsFromJSON decodes stored values with decode (nil entries stay nil);
// one that cannot be decoded is reported, by name(i), and left nil.
func recordsFromJSON[R any](s *Store, values []any, decode func([]byte) (*R, error), name func(i int) string) []*R {
	out := make([]*R, len(values))
	for i, v := range values {
		if v == nil {
			continue
		}
		b, err := recBytes(v)
		var r *R
		if err == nil {
			r, err = decode(b)
		}
		if err != nil {
			s.reportCorrupt(name(i), err)
			continue
		}
		out[i] = r
	}
	return out
}

// conversationsFromJSON decodes stored conversation values, naming a bad one
// by ids[i] if given, else by its own id.
func (s *Store) conversationsFromJSON(values []any, ids []string) []*core.ConversationRecord {
	return recordsFromJSON(s, values, decodeConversation, func(i int) string {
		if ids != nil {
			return conversationKeyName(ids[i])
		}
		return conversationKeyName(valueID(values[i], "id")[0])
	})
}

// messagesFromJSON decodes message values of store (messages, spill), as
// conversationsFromJSON.
func (s *Store) messagesFromJSON(values []any, keys []core.MessageKey, store string) []*core.MessageRecord {
	return recordsFromJSON(s, values, decodeMessage, func(i int) string {
		if keys != nil {
			return messageKeyName(store, keys[i].ConversationID, keys[i].MessageClientID)
		}
		id := valueID(values[i], "conversationId", "messageClientId")
		return messageKeyName(store, id[0], id[1])
	})
}

func dropNil[T any](list []*T) []*T {
	out := list[:0]
	for _, r := range list {
		if r != nil {
			out = append(out, r)
		}
	}
	return out
}

// conversationKeyName and messageKeyName name a record for OnCorruptRecord.
func conversationKeyName(id string) string { return fmt.Sprintf("%s[%q]", storeConversations, id) }

func messageKeyName(store, cid, mid string) string {
	return fmt.Sprintf("%s[%q, %q]", store, cid, mid)
}

// tailKeyName names a conversation's tail for OnCorruptRecord.
func tailKeyName(id string) string { return conversationKeyName(id) + "." + propTail }
