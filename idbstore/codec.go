package idbstore

import (
	"encoding/binary"
	"errors"
	"fmt"
	"strings"

	"github.com/localconv/localconv/core"
)

// Records are stored as compact bytes rather than as plain JS objects: a bulk
// load then moves every record to Go in one copy and decodes it without a
// JS call per field (see load.go). The layout is fixed per format version, the
// first byte; a change of layout gets a new version and keeps decoding the
// old ones.
const recordFormatV1 = 1

// A record's layout is written once, as a walk over its fields in their
// stored order (conversation, lastMessage, message below): the walk encodes
// when the codec holds an encoder and decodes when it holds a decoder, so
// the two can never disagree on the order. Booleans are bits of one flags
// number, the first field; a bit a version does not know makes the record
// not one of that version.
type codec struct {
	e *encoder
	d *decoder
}

func (c codec) uint(p *uint64) {
	if c.e != nil {
		c.e.uint(*p)
	} else {
		*p = c.d.uint()
	}
}

func (c codec) int(p *int64) {
	if c.e != nil {
		c.e.int(*p)
	} else {
		*p = c.d.int()
	}
}

func (c codec) str(p *string) {
	if c.e != nil {
		c.e.str(*p)
	} else {
		*p = c.d.str()
	}
}

// num stores an integer of any of the records' integer types.
func num[N ~int | ~int64](c codec, p *N) {
	v := int64(*p)
	c.int(&v)
	*p = N(v)
}

// ownStr is str whose decoded string is a copy, not part of the input.
func (c codec) ownStr(p *string) {
	c.str(p)
	if c.d != nil {
		*p = strings.Clone(*p)
	}
}

// text stores a string of any of the records' string types.
func text[S ~string](c codec, p *S) {
	v := string(*p)
	c.str(&v)
	*p = S(v)
}

// flags stores bits, in order, as one number.
func (c codec) flags(bits ...*bool) {
	var f uint64
	for i, b := range bits {
		if *b {
			f |= 1 << i
		}
	}
	c.uint(&f)
	for i, b := range bits {
		*b = f&(1<<i) != 0
	}
	if c.d != nil && c.d.err == nil && f >= 1<<len(bits) {
		c.d.err = fmt.Errorf("unknown flags %#x", f)
	}
}

// conversation stores a conversation record. Decoded, its strings do not
// point into the bytes it came from (a whole snapshot chunk, or the record's
// own bytes): the record's own strings are copied one by one and its
// lastMessage's share one copy of that part of the bytes. A record outlives
// its lastMessage (the next message replaces it, sharing the rest), and a
// string pointing into the source would keep the whole source alive, the old
// lastMessage's bytes with it (docs/design.md, "Memory").
func (c codec) conversation(r *core.ConversationRecord) {
	hasLast := r.LastMessage != nil
	c.flags(&r.Mute, &r.StickTop, &r.Deleted, &hasLast)
	c.ownStr(&r.ConversationID)
	num(c, &r.Type)
	c.ownStr(&r.Name)
	c.ownStr(&r.Avatar)
	c.ownStr(&r.LocalExtension)
	num(c, &r.UnreadCount)
	c.int(&r.SortOrder)
	c.int(&r.CreateTime)
	c.int(&r.UpdateTime)
	c.int(&r.ReadTime)
	c.int(&r.MaxMessageTime)
	c.uint(&r.ReadMarkSeq)
	c.uint(&r.Seq)
	if hasLast {
		if r.LastMessage == nil {
			r.LastMessage = &core.LastMessage{}
		}
		if c.d != nil && c.d.err == nil {
			c.d.s = strings.Clone(c.d.s) // the lastMessage is the rest of the record
		}
		c.lastMessage(r.LastMessage)
	}
}

func (c codec) lastMessage(lm *core.LastMessage) {
	num(c, &lm.LastMessageState)
	ref := &lm.MessageRefer
	c.str(&ref.SenderID)
	c.str(&ref.ReceiverID)
	c.str(&ref.MessageClientID)
	c.str(&ref.MessageServerID)
	num(c, &ref.ConversationType)
	c.str(&ref.ConversationID)
	c.int(&ref.CreateTime)
	c.contentHead(&lm.MessageContent)
	c.str(&lm.RevokeAccountID)
	num(c, &lm.RevokeType)
	c.contentTail(&lm.MessageContent)
}

// message stores a message record. A modifyTime, which most messages lack,
// is a flag and a last field, so that a message without one keeps format
// 1's bytes, which code that predates the field reads; that code takes a
// message with one (an edited message) for a damaged record and skips it.
func (c codec) message(m *core.MessageRecord) { c.messageOf(m, nil) }

// messageOf is message for a message of a tail whose messages share one
// conversation id, which the tail stores once (cid); nil stores the
// message's own.
func (c codec) messageOf(m *core.MessageRecord, cid *string) {
	modified := m.ModifyTime != 0
	c.flags(&m.UnreadEnabled, &m.LastMessageUpdateEnabled, &m.Mine, &m.Revoked, &m.Deleted, &modified)
	switch {
	case cid == nil:
		c.str(&m.ConversationID)
	case c.d != nil:
		m.ConversationID = *cid
	}
	if c.d != nil {
		// Not stored: a message's conversation type is the one its id names.
		if cid, err := core.ParseConversationID(m.ConversationID); err == nil {
			m.ConversationType = cid.Type
		}
	}
	c.str(&m.MessageClientID)
	c.str(&m.MessageServerID)
	c.str(&m.SenderID)
	c.str(&m.ReceiverID)
	c.int(&m.CreateTime)
	c.contentHead(&m.MessageContent)
	c.contentTail(&m.MessageContent)
	c.str(&m.RevokeAccountID)
	num(c, &m.RevokeType)
	if modified {
		c.int(&m.ModifyTime)
	}
}

// tail stores a conversation's tail (core.Tail): its floor, its clear, the
// keys of what it keeps apart, and its messages one after the other, oldest
// first. Their conversation id, the same for all (the tail's own), is stored
// once, before them: it was an eighth of a message's bytes, rewritten with
// every message its conversation got. (A tail whose flags lack that bit
// stores it in each message, as the first tails did.)
func (c codec) tail(t *core.Tail) {
	spilled := len(t.SpilledKeys) > 0
	shared := c.e != nil && oneConversation(t.Messages)
	c.flags(&t.HasFloor, &t.Cleared, &spilled, &shared)
	if t.HasFloor {
		c.int(&t.Floor.CreateTime)
		c.str(&t.Floor.MessageClientID)
	}
	if t.Cleared {
		c.int(&t.ClearedTo)
	}
	if spilled {
		c.int(&t.SpilledOldest)
		n := uint64(len(t.SpilledKeys))
		c.uint(&n)
		if c.d != nil {
			if c.d.err != nil || n > uint64(len(c.d.s)) {
				if c.d.err == nil {
					c.d.err = fmt.Errorf("%d keys in %d bytes", n, len(c.d.s))
				}
				return
			}
			t.SpilledKeys = make([]uint32, n)
		}
		for i := range t.SpilledKeys {
			k := uint64(t.SpilledKeys[i])
			c.uint(&k)
			t.SpilledKeys[i] = uint32(k)
		}
	}
	n := uint64(len(t.Messages))
	c.uint(&n)
	if c.d != nil {
		if c.d.err != nil || n > uint64(len(c.d.s)) { // each message takes bytes
			if c.d.err == nil {
				c.d.err = fmt.Errorf("%d messages in %d bytes", n, len(c.d.s))
			}
			return
		}
		t.Messages = nil
		if n > 0 {
			t.Messages = make([]*core.MessageRecord, n)
		}
		for i := range t.Messages {
			t.Messages[i] = &core.MessageRecord{}
		}
	}
	var cid *string
	if shared {
		cid = new(string)
		if c.e != nil {
			*cid = t.Messages[0].ConversationID
		}
		c.str(cid)
	}
	for _, m := range t.Messages {
		c.messageOf(m, cid)
	}
}

// oneConversation reports whether there are messages and all are of one
// conversation.
func oneConversation(ms []*core.MessageRecord) bool {
	for _, m := range ms {
		if m.ConversationID != ms[0].ConversationID {
			return false
		}
	}
	return len(ms) > 0
}

// A message's content is stored in two runs: a lastMessage keeps its revoke
// fields between them.
func (c codec) contentHead(m *core.MessageContent) {
	num(c, &m.MessageType)
	num(c, &m.SubType)
	num(c, &m.SendingState)
	c.str(&m.Text)
	text(c, &m.Attachment)
}

func (c codec) contentTail(m *core.MessageContent) {
	c.str(&m.ServerExtension)
	c.str(&m.CallbackExtension)
	c.str(&m.SenderName)
}

func encodeConversation(r *core.ConversationRecord) []byte {
	return appendConversation(make([]byte, 0, 96+len(r.LocalExtension)), r)
}

// appendConversation appends r's bytes to b.
func appendConversation(b []byte, r *core.ConversationRecord) []byte {
	e := &encoder{b: append(b, recordFormatV1)}
	codec{e: e}.conversation(r)
	return e.b
}

func decodeConversation(b []byte) (*core.ConversationRecord, error) {
	return decodeConversationString(string(b))
}

// decodeConversationString decodes from s; the record's strings share s's memory.
func decodeConversationString(s string) (*core.ConversationRecord, error) {
	r := &core.ConversationRecord{}
	if err := decode(s, func(c codec) { c.conversation(r) }); err != nil {
		return nil, err
	}
	return r, nil
}

func encodeMessage(m *core.MessageRecord) []byte {
	e := &encoder{b: append(make([]byte, 0, 64+len(m.Text)+len(m.Attachment)), recordFormatV1)}
	codec{e: e}.message(m)
	return e.b
}

// appendTail appends t's bytes to b.
func appendTail(b []byte, t *core.Tail) []byte {
	e := &encoder{b: append(b, recordFormatV1)}
	codec{e: e}.tail(t)
	return e.b
}

// decodeTail decodes a tail; its strings share s's memory (a tail lives for
// one call).
func decodeTail(s string) (*core.Tail, error) {
	t := &core.Tail{}
	if err := decode(s, func(c codec) { c.tail(t) }); err != nil {
		return nil, err
	}
	return t, nil
}

func decodeMessage(b []byte) (*core.MessageRecord, error) {
	m := &core.MessageRecord{}
	if err := decode(string(b), func(c codec) { c.message(m) }); err != nil {
		return nil, err
	}
	return m, nil
}

// decode runs walk over the record in s and reports the first error and
// bytes left over: each means s is not a record of this format.
func decode(s string, walk func(codec)) error {
	d, err := newDecoder(s)
	if err != nil {
		return err
	}
	walk(codec{d: d})
	switch {
	case d.err != nil:
		return d.err
	case len(d.s) > 0:
		return fmt.Errorf("%d bytes left over after the record", len(d.s))
	}
	return nil
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
