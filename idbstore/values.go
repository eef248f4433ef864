//go:build js && wasm

package idbstore

import (
	"fmt"
	"syscall/js"

	"github.com/localconv/localconv/core"
)

// Why bytes and not plain objects: a plain object costs a JS call per field to
// build and another to read (about 40 for a conversation with a last message),
// and a bulk load would cross into Go once per field of every record. As bytes
// a record is built with about six calls, read with about four, and a whole list
// crosses in one copy (load.go). DevTools still shows each value's keys (id,
// seq, sortOrder, createTime), which says which record it is; the fields
// themselves need the codec to read.

func conversationValue(r *core.ConversationRecord) js.Value {
	v := jsObject.New()
	v.Set("id", r.ConversationID)
	v.Set("seq", float64(r.Seq))
	if !r.Deleted {
		v.Set("sortOrder", float64(r.SortOrder))
	}
	v.Set("rec", bytesToJS(encodeConversation(r)))
	return v
}

func messageValue(m *core.MessageRecord) js.Value {
	v := jsObject.New()
	v.Set("conversationId", m.ConversationID)
	v.Set("messageClientId", m.MessageClientID)
	v.Set("createTime", float64(m.CreateTime))
	v.Set("rec", bytesToJS(encodeMessage(m)))
	return v
}

func messageKey(k core.MessageKey) js.Value {
	return keyArray(k.ConversationID, k.MessageClientID)
}

func conversationFromValue(v js.Value) (*core.ConversationRecord, error) {
	b, err := recordBytes(v)
	if err != nil {
		return nil, err
	}
	return decodeConversation(b)
}

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
	b, err := bytesFromJS(v.Get("rec"))
	if err != nil {
		return nil, fmt.Errorf("the stored value's rec: %w", err)
	}
	return b, nil
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
