package core

import (
	"math"
	"slices"
	"strconv"

	"github.com/localconv/localconv/internal/bufpool"
	"github.com/localconv/localconv/internal/jsonx"
)

// The JSON of what crosses to JavaScript on every call: a page of
// conversations, results and events, appended to one buffer without
// reflection (internal/jsonx). encodeValue's tests check it against
// encoding/json.

func appendConversation(b []byte, c *Conversation) []byte {
	o := jsonx.BeginObject(b)
	o.Str("conversationId", c.ConversationID)
	o.Num("type", int64(c.Type))
	o.Str("name", c.Name)
	o.Str("avatar", c.Avatar)
	o.Bool("mute", c.Mute)
	o.Bool("stickTop", c.StickTop)
	o.Str("localExtension", c.LocalExtension)
	o.Key("lastMessage")
	if c.LastMessage == nil {
		o.B = append(o.B, "null"...)
	} else {
		o.B = appendLastMessage(o.B, c.LastMessage)
	}
	o.Num("unreadCount", int64(c.UnreadCount))
	o.Num("sortOrder", c.SortOrder)
	o.Num("createTime", c.CreateTime)
	o.Num("updateTime", c.UpdateTime)
	return o.End()
}

func appendLastMessage(b []byte, m *LastMessage) []byte {
	o := jsonx.BeginObject(b)
	o.Num("lastMessageState", int64(m.LastMessageState))
	o.Key("messageRefer")
	r := &m.MessageRefer
	ro := jsonx.BeginObject(o.B)
	ro.Str("senderId", r.SenderID)
	ro.Str("receiverId", r.ReceiverID)
	ro.Str("messageClientId", r.MessageClientID)
	ro.Str("messageServerId", r.MessageServerID)
	ro.Num("conversationType", int64(r.ConversationType))
	ro.Str("conversationId", r.ConversationID)
	ro.Num("createTime", r.CreateTime)
	o.B = ro.End()
	o.Num("messageType", int64(m.MessageType))
	o.Num("subType", int64(m.SubType))
	o.Num("sendingState", int64(m.SendingState))
	o.Str("text", m.Text)
	if m.Attachment != "" {
		o.Key("attachment")
		o.B = append(o.B, m.Attachment...)
	}
	o.Str("revokeAccountId", m.RevokeAccountID)
	o.Num("revokeType", int64(m.RevokeType))
	o.Str("serverExtension", m.ServerExtension)
	o.Str("callbackExtension", m.CallbackExtension)
	if m.SenderName != "" {
		o.Str("senderName", m.SenderName)
	}
	return o.End()
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
	o := jsonx.BeginObject(b)
	o.Key("conversationTypes")
	o.B = append(o.B, '[')
	for i, t := range f.ConversationTypes {
		if i > 0 {
			o.B = append(o.B, ',')
		}
		o.B = strconv.AppendInt(o.B, int64(t), 10)
	}
	o.B = append(o.B, ']')
	o.Bool("ignoreMuted", f.IgnoreMuted)
	return o.End()
}

func appendError(b []byte, e *Error) []byte {
	o := jsonx.BeginObject(b)
	o.Num("code", int64(e.Code))
	o.Str("message", e.Message)
	return o.End()
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
		o := jsonx.BeginObject(b)
		o.Key("offset")
		o.B = appendNumber(o.B, x.Offset)
		o.Bool("finished", x.Finished)
		o.Key("conversationList")
		o.B = appendConversations(o.B, x.ConversationList)
		return o.End(), true
	case []OperationResult:
		b = append(b, '[')
		for i, r := range x {
			if i > 0 {
				b = append(b, ',')
			}
			o := jsonx.BeginObject(b)
			o.Str("conversationId", r.ConversationID)
			if r.Error != nil {
				o.Key("error")
				o.B = appendError(o.B, r.Error)
			}
			b = o.End()
		}
		return append(b, ']'), true
	case ApplyResult:
		o := jsonx.BeginObject(b)
		o.Num("applied", int64(x.Applied))
		o.Num("duplicates", int64(x.Duplicates))
		return o.End(), true
	case int64:
		return strconv.AppendInt(b, x, 10), true
	case []string:
		b = append(b, '[')
		for i, s := range x {
			if i > 0 {
				b = append(b, ',')
			}
			b = jsonx.AppendString(b, s)
		}
		return append(b, ']'), true
	case *Error:
		return appendError(b, x), true
	case ReadTimeUpdate:
		o := jsonx.BeginObject(b)
		o.Str("conversationId", x.ConversationID)
		o.Num("readTime", x.ReadTime)
		return o.End(), true
	case FilterCount:
		o := jsonx.BeginObject(b)
		o.Key("filter")
		o.B = appendFilter(o.B, x.Filter)
		o.Num("unreadCount", x.UnreadCount)
		return o.End(), true
	}
	return b, false
}

// EncodeEventGroups writes events as consecutive JSON arrays the JS wrapper
// dispatches, [{"type":…,"detail":…},…], each closed as soon as it passes
// limit bytes, and hands each to emit, which must be done with it when it
// returns (the buffer is reused). A call that changed 100,000 conversations is so told in pieces
// of about limit bytes, never as one string the size of the list.
func EncodeEventGroups(events []Event, limit int, emit func([]byte)) {
	buf := bufpool.Get()
	b := *buf
	defer func() { *buf = b; bufpool.Put(buf) }()
	for i, e := range events {
		if len(b) == 0 {
			b = append(b, '[')
		} else {
			b = append(b, ',')
		}
		o := jsonx.BeginObject(b)
		o.Str("type", e.Type)
		o.Key("detail")
		var ok bool
		if o.B, ok = encodeValue(o.B, e.Detail); !ok {
			panic("core: no JSON encoding for event detail of " + e.Type)
		}
		b = o.End()
		if len(b) >= limit || i == len(events)-1 {
			emit(append(b, ']'))
			b = b[:0]
		}
	}
	if len(events) == 0 {
		emit([]byte("[]"))
	}
}

// appendNumber writes f as a JSON number that JavaScript reads back as f.
func appendNumber(b []byte, f float64) []byte {
	if f == math.Trunc(f) && math.Abs(f) < 1<<53 {
		return strconv.AppendInt(b, int64(f), 10)
	}
	return strconv.AppendFloat(b, f, 'g', -1, 64)
}
