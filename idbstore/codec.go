package idbstore

import (
	"encoding/binary"
	"errors"
	"fmt"

	"github.com/localconv/localconv/core"
)

// Records are stored as compact bytes rather than as plain JS objects: a bulk
// load then moves every record to Go in one copy and decodes it without a
// JS call per field (see load.go). The layout is fixed per format version, the
// first byte; a change of layout gets a new version and keeps decoding the
// old ones.
const recordFormatV1 = 1

// Flag bits of a conversation record.
const (
	convMute = 1 << iota
	convStickTop
	convDeleted
	convHasLastMessage
)

// Flag bits of a message record.
const (
	msgUnreadEnabled = 1 << iota
	msgLastMessageUpdateEnabled
	msgMine
	msgRevoked
	msgDeleted
)

func encodeConversation(r *core.ConversationRecord) []byte {
	return appendConversation(make([]byte, 0, 96+len(r.LocalExtension)), r)
}

// appendConversation appends r's bytes to b.
func appendConversation(b []byte, r *core.ConversationRecord) []byte {
	e := encoder{b: b}
	e.b = append(e.b, recordFormatV1)
	var flags uint64
	setFlag(&flags, convMute, r.Mute)
	setFlag(&flags, convStickTop, r.StickTop)
	setFlag(&flags, convDeleted, r.Deleted)
	setFlag(&flags, convHasLastMessage, r.LastMessage != nil)
	e.uint(flags)
	e.str(r.ConversationID)
	e.int(int64(r.Type))
	e.str(r.Name)
	e.str(r.Avatar)
	e.str(r.LocalExtension)
	e.int(int64(r.UnreadCount))
	e.int(r.SortOrder)
	e.int(r.CreateTime)
	e.int(r.UpdateTime)
	e.int(r.ReadTime)
	e.int(r.MaxMessageTime)
	e.uint(r.ReadMarkSeq)
	e.uint(r.Seq)
	if lm := r.LastMessage; lm != nil {
		e.int(int64(lm.LastMessageState))
		ref := &lm.MessageRefer
		e.str(ref.SenderID)
		e.str(ref.ReceiverID)
		e.str(ref.MessageClientID)
		e.str(ref.MessageServerID)
		e.int(int64(ref.ConversationType))
		e.str(ref.ConversationID)
		e.int(ref.CreateTime)
		e.int(int64(lm.MessageType))
		e.int(int64(lm.SubType))
		e.int(int64(lm.SendingState))
		e.str(lm.Text)
		e.str(string(lm.Attachment))
		e.str(lm.RevokeAccountID)
		e.int(int64(lm.RevokeType))
		e.str(lm.ServerExtension)
		e.str(lm.CallbackExtension)
		e.str(lm.SenderName)
	}
	return e.b
}

func decodeConversation(b []byte) (*core.ConversationRecord, error) {
	return decodeConversationString(string(b))
}

// decodeConversationString decodes from s; the record's strings share s's memory.
func decodeConversationString(s string) (*core.ConversationRecord, error) {
	d, err := newDecoder(s)
	if err != nil {
		return nil, err
	}
	r := &core.ConversationRecord{}
	flags := d.uint()
	r.Mute = flags&convMute != 0
	r.StickTop = flags&convStickTop != 0
	r.Deleted = flags&convDeleted != 0
	r.ConversationID = d.str()
	r.Type = core.ConversationType(d.int())
	r.Name = d.str()
	r.Avatar = d.str()
	r.LocalExtension = d.str()
	r.UnreadCount = int(d.int())
	r.SortOrder = d.int()
	r.CreateTime = d.int()
	r.UpdateTime = d.int()
	r.ReadTime = d.int()
	r.MaxMessageTime = d.int()
	r.ReadMarkSeq = d.uint()
	r.Seq = d.uint()
	if flags&convHasLastMessage != 0 {
		lm := &core.LastMessage{}
		lm.LastMessageState = int(d.int())
		ref := &lm.MessageRefer
		ref.SenderID = d.str()
		ref.ReceiverID = d.str()
		ref.MessageClientID = d.str()
		ref.MessageServerID = d.str()
		ref.ConversationType = core.ConversationType(d.int())
		ref.ConversationID = d.str()
		ref.CreateTime = d.int()
		lm.MessageType = int(d.int())
		lm.SubType = int(d.int())
		lm.SendingState = int(d.int())
		lm.Text = d.str()
		lm.Attachment = core.RawJSON(d.str())
		lm.RevokeAccountID = d.str()
		lm.RevokeType = int(d.int())
		lm.ServerExtension = d.str()
		lm.CallbackExtension = d.str()
		lm.SenderName = d.str()
		r.LastMessage = lm
	}
	if err := d.finish(flags, convHasLastMessage<<1); err != nil {
		return nil, err
	}
	return r, nil
}

func encodeMessage(m *core.MessageRecord) []byte {
	e := encoder{b: make([]byte, 0, 64+len(m.Text)+len(m.Attachment))}
	e.b = append(e.b, recordFormatV1)
	var flags uint64
	setFlag(&flags, msgUnreadEnabled, m.UnreadEnabled)
	setFlag(&flags, msgLastMessageUpdateEnabled, m.LastMessageUpdateEnabled)
	setFlag(&flags, msgMine, m.Mine)
	setFlag(&flags, msgRevoked, m.Revoked)
	setFlag(&flags, msgDeleted, m.Deleted)
	e.uint(flags)
	e.str(m.ConversationID)
	e.str(m.MessageClientID)
	e.str(m.MessageServerID)
	e.str(m.SenderID)
	e.str(m.ReceiverID)
	e.int(m.CreateTime)
	e.int(int64(m.MessageType))
	e.int(int64(m.SubType))
	e.int(int64(m.SendingState))
	e.str(m.Text)
	e.str(string(m.Attachment))
	e.str(m.ServerExtension)
	e.str(m.CallbackExtension)
	e.str(m.SenderName)
	e.str(m.RevokeAccountID)
	e.int(int64(m.RevokeType))
	return e.b
}

func decodeMessage(b []byte) (*core.MessageRecord, error) {
	d, err := newDecoder(string(b))
	if err != nil {
		return nil, err
	}
	m := &core.MessageRecord{}
	flags := d.uint()
	m.UnreadEnabled = flags&msgUnreadEnabled != 0
	m.LastMessageUpdateEnabled = flags&msgLastMessageUpdateEnabled != 0
	m.Mine = flags&msgMine != 0
	m.Revoked = flags&msgRevoked != 0
	m.Deleted = flags&msgDeleted != 0
	m.ConversationID = d.str()
	m.MessageClientID = d.str()
	m.MessageServerID = d.str()
	m.SenderID = d.str()
	m.ReceiverID = d.str()
	m.CreateTime = d.int()
	m.MessageType = int(d.int())
	m.SubType = int(d.int())
	m.SendingState = int(d.int())
	m.Text = d.str()
	m.Attachment = core.RawJSON(d.str())
	m.ServerExtension = d.str()
	m.CallbackExtension = d.str()
	m.SenderName = d.str()
	m.RevokeAccountID = d.str()
	m.RevokeType = int(d.int())
	if err := d.finish(flags, msgDeleted<<1); err != nil {
		return nil, err
	}
	return m, nil
}

func setFlag(flags *uint64, bit uint64, on bool) {
	if on {
		*flags |= bit
	}
}

type encoder struct{ b []byte }

// The encoder's and decoder's methods are not inlined: a record has some 30
// fields, and inlining each call made the module tens of KB larger for no
// measurable speed.

//go:noinline
func (e *encoder) uint(v uint64) { e.b = binary.AppendUvarint(e.b, v) }

//go:noinline
func (e *encoder) int(v int64) { e.b = binary.AppendVarint(e.b, v) }

//go:noinline
func (e *encoder) str(s string) {
	e.uint(uint64(len(s)))
	e.b = append(e.b, s...)
}

var (
	errTruncated = errors.New("record bytes end too early")
	errOverflow  = errors.New("record bytes hold a number too large")
)

// decoder reads what encoder wrote. It reads from a string so that each
// string field is a slice of it, not an allocation of its own: decoding a
// batch of records from one string costs a few allocations per record, not
// one per field. Its first error sticks: later reads return zero values, and
// finish reports it.
type decoder struct {
	s   string
	err error
}

func newDecoder(s string) (*decoder, error) {
	if len(s) == 0 {
		return nil, errors.New("empty record bytes")
	}
	if s[0] != recordFormatV1 {
		return nil, fmt.Errorf("unknown record format %d", s[0])
	}
	return &decoder{s: s[1:]}, nil
}

// uint reads what binary.AppendUvarint wrote.
//
//go:noinline
func (d *decoder) uint() uint64 {
	if d.err != nil {
		return 0
	}
	var v uint64
	var shift uint
	for i := 0; i < len(d.s); i++ {
		b := d.s[i]
		if i == binary.MaxVarintLen64-1 && b > 1 {
			d.err = errOverflow
			return 0
		}
		if b < 0x80 {
			d.s = d.s[i+1:]
			return v | uint64(b)<<shift
		}
		v |= uint64(b&0x7f) << shift
		shift += 7
	}
	d.err = errTruncated
	return 0
}

// int reads what binary.AppendVarint wrote (zigzag over uvarint).
//
//go:noinline
func (d *decoder) int() int64 {
	u := d.uint()
	v := int64(u >> 1)
	if u&1 != 0 {
		v = ^v
	}
	return v
}

//go:noinline
func (d *decoder) str() string {
	n := d.uint()
	if d.err != nil {
		return ""
	}
	if n > uint64(len(d.s)) {
		d.err = errTruncated
		return ""
	}
	s := d.s[:n]
	d.s = d.s[n:]
	return s
}

// finish reports the first error, unknown flag bits (at or above firstUnknown)
// and bytes left over: each means the bytes are not a record of this format.
func (d *decoder) finish(flags, firstUnknown uint64) error {
	switch {
	case d.err != nil:
		return d.err
	case flags >= firstUnknown:
		return fmt.Errorf("unknown flags %#x", flags)
	case len(d.s) > 0:
		return fmt.Errorf("%d bytes left over after the record", len(d.s))
	}
	return nil
}
