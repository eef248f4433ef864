package core

import (
	"slices"
	"strconv"
	"unicode/utf8"
)

// A hand-written JSON writer for what crosses to JavaScript on every call: a
// page of conversations, results and events. It appends to one buffer without
// reflection, which in WebAssembly is several times faster than encoding/json
// and keeps the module smaller. encodeValue's tests check it against
// encoding/json.

func appendString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c >= 0x20 && c != '"' && c != '\\' && c < utf8.RuneSelf {
			i++
			continue
		}
		if c < utf8.RuneSelf {
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hexDigit[c>>4], hexDigit[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i += size
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}

const hexDigit = "0123456789abcdef"

func appendBool(b []byte, v bool) []byte {
	if v {
		return append(b, "true"...)
	}
	return append(b, "false"...)
}

// jsonObject writes one object's members, handling the commas.
type jsonObject struct {
	b     []byte
	first bool
}

func beginObject(b []byte) jsonObject { return jsonObject{append(b, '{'), true} }

func (o *jsonObject) key(k string) {
	if !o.first {
		o.b = append(o.b, ',')
	}
	o.first = false
	o.b = appendString(o.b, k)
	o.b = append(o.b, ':')
}

func (o *jsonObject) str(k, v string) { o.key(k); o.b = appendString(o.b, v) }
func (o *jsonObject) num(k string, v int64) {
	o.key(k)
	o.b = strconv.AppendInt(o.b, v, 10)
}
func (o *jsonObject) boolean(k string, v bool) { o.key(k); o.b = appendBool(o.b, v) }
func (o *jsonObject) end() []byte              { return append(o.b, '}') }

func appendConversation(b []byte, c *Conversation) []byte {
	o := beginObject(b)
	o.str("conversationId", c.ConversationID)
	o.num("type", int64(c.Type))
	o.str("name", c.Name)
	o.str("avatar", c.Avatar)
	o.boolean("mute", c.Mute)
	o.boolean("stickTop", c.StickTop)
	o.str("localExtension", c.LocalExtension)
	o.key("lastMessage")
	if c.LastMessage == nil {
		o.b = append(o.b, "null"...)
	} else {
		o.b = appendLastMessage(o.b, c.LastMessage)
	}
	o.num("unreadCount", int64(c.UnreadCount))
	o.num("sortOrder", c.SortOrder)
	o.num("createTime", c.CreateTime)
	o.num("updateTime", c.UpdateTime)
	return o.end()
}

func appendLastMessage(b []byte, m *LastMessage) []byte {
	o := beginObject(b)
	o.num("lastMessageState", int64(m.LastMessageState))
	o.key("messageRefer")
	r := &m.MessageRefer
	ro := beginObject(o.b)
	ro.str("senderId", r.SenderID)
	ro.str("receiverId", r.ReceiverID)
	ro.str("messageClientId", r.MessageClientID)
	ro.str("messageServerId", r.MessageServerID)
	ro.num("conversationType", int64(r.ConversationType))
	ro.str("conversationId", r.ConversationID)
	ro.num("createTime", r.CreateTime)
	o.b = ro.end()
	o.num("messageType", int64(m.MessageType))
	o.num("subType", int64(m.SubType))
	o.num("sendingState", int64(m.SendingState))
	o.str("text", m.Text)
	if m.Attachment != "" {
		o.key("attachment")
		o.b = append(o.b, m.Attachment...)
	}
	o.str("revokeAccountId", m.RevokeAccountID)
	o.num("revokeType", int64(m.RevokeType))
	o.str("serverExtension", m.ServerExtension)
	o.str("callbackExtension", m.CallbackExtension)
	if m.SenderName != "" {
		o.str("senderName", m.SenderName)
	}
	return o.end()
}

func appendConversations(b []byte, list []Conversation) []byte {
	b = slices.Grow(b, 600*len(list)) // a typical conversation's JSON, to grow once
	b = append(b, '[')
	for i := range list {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendConversation(b, &list[i])
	}
	return append(b, ']')
}

func appendFilter(b []byte, f Filter) []byte {
	o := beginObject(b)
	o.key("conversationTypes")
	o.b = append(o.b, '[')
	for i, t := range f.ConversationTypes {
		if i > 0 {
			o.b = append(o.b, ',')
		}
		o.b = strconv.AppendInt(o.b, int64(t), 10)
	}
	o.b = append(o.b, ']')
	o.boolean("ignoreMuted", f.IgnoreMuted)
	return o.end()
}

func appendError(b []byte, e *Error) []byte {
	o := beginObject(b)
	o.num("code", int64(e.Code))
	o.str("message", e.Message)
	return o.end()
}

// encodeValue writes a result or an event detail. ok is false for a type it
// does not know (a bug: every result type is listed here).
func encodeValue(b []byte, v any) (_ []byte, ok bool) {
	switch x := v.(type) {
	case nil:
		return append(b, "null"...), true
	case Conversation:
		return appendConversation(b, &x), true
	case []Conversation:
		return appendConversations(b, x), true
	case ConversationResult:
		o := beginObject(b)
		o.num("offset", x.Offset)
		o.boolean("finished", x.Finished)
		o.key("conversationList")
		o.b = appendConversations(o.b, x.ConversationList)
		return o.end(), true
	case []OperationResult:
		b = append(b, '[')
		for i, r := range x {
			if i > 0 {
				b = append(b, ',')
			}
			o := beginObject(b)
			o.str("conversationId", r.ConversationID)
			if r.Error != nil {
				o.key("error")
				o.b = appendError(o.b, r.Error)
			}
			b = o.end()
		}
		return append(b, ']'), true
	case ApplyResult:
		o := beginObject(b)
		o.num("applied", int64(x.Applied))
		o.num("duplicates", int64(x.Duplicates))
		return o.end(), true
	case int64:
		return strconv.AppendInt(b, x, 10), true
	case []string:
		b = append(b, '[')
		for i, s := range x {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendString(b, s)
		}
		return append(b, ']'), true
	case *Error:
		return appendError(b, x), true
	case ReadTimeUpdate:
		o := beginObject(b)
		o.str("conversationId", x.ConversationID)
		o.num("readTime", x.ReadTime)
		return o.end(), true
	case FilterCount:
		o := beginObject(b)
		o.key("filter")
		o.b = appendFilter(o.b, x.Filter)
		o.num("unreadCount", x.UnreadCount)
		return o.end(), true
	}
	return b, false
}

// EncodeEvents writes a batch of events as the JSON array the JS wrapper
// dispatches: [{"type":…,"detail":…},…].
func EncodeEvents(events []Event) []byte {
	b := make([]byte, 0, 256)
	b = append(b, '[')
	for i, e := range events {
		if i > 0 {
			b = append(b, ',')
		}
		o := beginObject(b)
		o.str("type", e.Type)
		o.key("detail")
		var ok bool
		if o.b, ok = encodeValue(o.b, e.Detail); !ok {
			panic("core: no JSON encoding for event detail of " + e.Type)
		}
		b = o.end()
	}
	return append(b, ']')
}

// appendJSONValue writes a value parseJSON built (an attachment), object keys
// sorted so that equal values are equal text; numbers keep their text.
func appendJSONValue(b []byte, v any) []byte {
	switch x := v.(type) {
	case nil:
		return append(b, "null"...)
	case bool:
		return appendBool(b, x)
	case jsonNumber:
		return append(b, x...)
	case string:
		return appendString(b, x)
	case []any:
		b = append(b, '[')
		for i, e := range x {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendJSONValue(b, e)
		}
		return append(b, ']')
	case map[string]any:
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		o := beginObject(b)
		for _, k := range keys {
			o.key(k)
			o.b = appendJSONValue(o.b, x[k])
		}
		return o.end()
	}
	panic("core: appendJSONValue of an unknown value") // checkPlain let it through: a bug
}
