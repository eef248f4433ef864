package idbstore

import (
	"errors"
	"fmt"
	"slices"
	"unicode/utf8"

	"github.com/localconv/localconv/core"
	"github.com/localconv/localconv/internal/jsonx"
)

// A record's bytes are stored as a string of one character per byte (code
// points 0–255), not as a Uint8Array: a batch of values is then one JSON text
// that JSON.parse turns into objects in a single JS call, and a batch read
// comes back as one JSON.stringify (internal/idb/batch.go): a few JS calls
// for a hundred records instead of several each. JS keeps such a string at
// one byte per character.

// appendBytesString writes b as a JSON string of one character per byte.
// Runs of bytes that JSON takes as they are go in one copy.
func appendBytesString(out []byte, b []byte) []byte {
	out = slices.Grow(out, len(b)+len(b)/4+2)
	out = append(out, '"')
	plain := 0
	for i, c := range b {
		if jsonPlain[c] {
			continue
		}
		out = append(out, b[plain:i]...)
		plain = i + 1
		switch {
		case c == '"' || c == '\\':
			out = append(out, '\\', c)
		case c < 0x20 || c == 0x7f:
			out = append(out, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
		default: // 0x80–0xff: the character's two bytes of UTF-8
			out = append(out, 0xc0|c>>6, 0x80|c&0x3f)
		}
	}
	out = append(out, b[plain:]...)
	return append(out, '"')
}

// jsonPlain marks the bytes appendBytesString writes as they are.
var jsonPlain = func() (t [256]bool) {
	for c := 0x20; c < utf8.RuneSelf; c++ {
		t[c] = c != '"' && c != '\\' && c != 0x7f
	}
	return t
}()

const hexDigits = "0123456789abcdef"

var errNotBytes = errors.New("a character above U+00FF: not a record's bytes")

// bytesOfString undoes appendBytesString once JSON has been decoded: each
// character is one byte.
func bytesOfString(s string) ([]byte, error) {
	out := make([]byte, 0, len(s))
	for _, r := range s {
		if r > 0xff {
			return nil, errNotBytes
		}
		out = append(out, byte(r))
	}
	return out, nil
}

// conversationValueJSON writes the value stored for r: the properties the key
// and the indexes need, the record's bytes (codec.go) and its tail's. A
// tombstone has no sortOrder, so the list's index leaves it out. scratch is
// where the bytes are encoded first, reused from value to value.
func conversationValueJSON(b []byte, scratch *[]byte, r *core.ConversationRecord, t *core.Tail) []byte {
	o := jsonx.BeginObject(b)
	o.Str("id", r.ConversationID)
	o.Num("seq", int64(r.Seq))
	if !r.Deleted {
		o.Num("sortOrder", r.SortOrder)
	}
	o.Key("rec")
	*scratch = appendConversation((*scratch)[:0], r)
	o.B = appendBytesString(o.B, *scratch)
	o.Key(propTail)
	*scratch = appendTail((*scratch)[:0], t)
	o.B = appendBytesString(o.B, *scratch)
	return o.End()
}

// spillValueJSON writes the value stored for m, a message a tail keeps apart.
func spillValueJSON(b []byte, m *core.MessageRecord) []byte {
	o := jsonx.BeginObject(b)
	o.Str("conversationId", m.ConversationID)
	o.Str("messageClientId", m.MessageClientID)
	o.Key("rec")
	o.B = appendBytesString(o.B, encodeMessage(m))
	return o.End()
}

// parseArray parses a JSON array of stored values (jsonx copies the strings
// it keeps).
func parseArray(text []byte) ([]any, error) {
	v, err := jsonx.Parse(text)
	if err != nil {
		return nil, fmt.Errorf("reading values back: %w", err)
	}
	list, ok := v.([]any)
	if !ok {
		return nil, fmt.Errorf("reading values back: not an array")
	}
	return list, nil
}

// recBytes reads a stored value's record bytes out of its JSON form.
func recBytes(v any) ([]byte, error) {
	obj, ok := v.(map[string]any)
	if !ok {
		return nil, errors.New("the stored value is not an object")
	}
	rec, ok := obj["rec"].(string)
	if !ok {
		return nil, errors.New("the stored value has no rec string")
	}
	return bytesOfString(rec)
}

// valueID names a stored value for OnCorruptRecord, from its JSON form.
func valueID(v any, keys ...string) []string {
	obj, _ := v.(map[string]any)
	out := make([]string, len(keys))
	for i, k := range keys {
		out[i], _ = obj[k].(string)
	}
	return out
}
