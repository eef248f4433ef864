//go:build js && wasm

package idbstore

import (
	"fmt"
	"syscall/js"

	"github.com/localconv/localconv/core"
)

// A stored value holds the properties its key and indexes need (id, seq,
// sortOrder; conversationId, messageClientId, createTime), which DevTools
// shows, and the record itself as bytes (codec.go) in rec, as a string of one
// character per byte (rectext.go). Batches are built and read as JSON
// (bulk.go); single values found by a cursor are read here.

func messageFromValue(v js.Value) (*core.MessageRecord, error) {
	b, err := recordBytes(v)
	if err != nil {
		return nil, err
	}
	return decodeMessage(b)
}

func recordBytes(v js.Value) ([]byte, error) {
	if v.Type() != js.TypeObject {
		return nil, fmt.Errorf("the stored value is a %s, not an object", v.Type())
	}
	rec := v.Get("rec")
	if rec.Type() != js.TypeString {
		return nil, fmt.Errorf("the stored value's rec is a %s, not a string", rec.Type())
	}
	return bytesOfString(rec.String())
}

// conversationKeyName and messageKeyName name a record for OnCorruptRecord.
func conversationKeyName(id string) string { return fmt.Sprintf("%s[%q]", storeConversations, id) }

func messageKeyName(cid, mid string) string {
	return fmt.Sprintf("%s[%q, %q]", storeMessages, cid, mid)
}

// keyName names the record behind a raw key, for OnCorruptRecord.
func keyName(store string, key js.Value) string {
	if store == storeMessages && key.Type() == js.TypeObject && key.Length() == 2 {
		return messageKeyName(jsString(key.Index(0)), jsString(key.Index(1)))
	}
	return conversationKeyName(jsString(key))
}

func jsString(v js.Value) string {
	if v.Type() == js.TypeString {
		return v.String()
	}
	return js.Global().Call("String", v).String()
}
