package idbstore

import (
	"encoding/hex"
	"fmt"
	"reflect"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/localconv/localconv/core"
)

// fillAll sets every field reachable from v to a distinct non-zero value, so
// that a round trip shows that the codec knows every field: a field added to
// core's records later fails here until the codec learns it.
func fillAll(v reflect.Value, n *int) {
	*n++
	switch v.Kind() {
	case reflect.Struct:
		for i := 0; i < v.NumField(); i++ {
			fillAll(v.Field(i), n)
		}
	case reflect.Pointer:
		v.Set(reflect.New(v.Type().Elem()))
		fillAll(v.Elem(), n)
	case reflect.String:
		v.SetString(fmt.Sprintf("s%d|é", *n))
	case reflect.Bool:
		v.SetBool(true)
	case reflect.Int, reflect.Int64, reflect.Int32:
		v.SetInt(int64(*n) * -1_000_000_007)
	case reflect.Uint64:
		v.SetUint(uint64(*n) << 40)
	case reflect.Uint32:
		v.SetUint(uint64(*n) * 2654435761 % (1 << 32))
	case reflect.Slice:
		v.Set(reflect.MakeSlice(v.Type(), 2, 2))
		fillAll(v.Index(0), n)
		fillAll(v.Index(1), n)
	default:
		panic("fillAll: add a case for " + v.Kind().String())
	}
}

func filledConversation() *core.ConversationRecord {
	r := &core.ConversationRecord{}
	n := 0
	fillAll(reflect.ValueOf(r).Elem(), &n)
	return r
}

// filledTail is a tail with every field set, its messages' too.
func filledTail() *core.Tail {
	tl := &core.Tail{}
	n := 0
	fillAll(reflect.ValueOf(tl).Elem(), &n)
	for i := range tl.Messages {
		tl.Messages[i].ConversationID, tl.Messages[i].ConversationType = "me|3|"+tl.Messages[i].ConversationID, core.TypeSuperTeam
	}
	return tl
}

// encodeTail is a tail's bytes on their own.
func encodeTail(t *core.Tail) []byte { return appendTail(nil, t) }

// A tail with every field set comes back whole.
func TestTailCodecKnowsEveryField(t *testing.T) {
	tl := filledTail()
	got, err := decodeTail(string(encodeTail(tl)))
	require.NoError(t, err)
	require.Equal(t, tl, got)
}

func filledMessage() *core.MessageRecord {
	m := &core.MessageRecord{}
	n := 0
	fillAll(reflect.ValueOf(m).Elem(), &n)
	// The type is not stored but read from the id, so the id must name one.
	m.ConversationID, m.ConversationType = "me|3|"+m.ConversationID, core.TypeSuperTeam
	return m
}

// storedMessage is a message record as the core stores it: its type is the
// one its id names.
func storedMessage(id, clientID string, createTime int64, text string) *core.MessageRecord {
	cid, _ := core.ParseConversationID(id)
	m := &core.MessageRecord{}
	m.ConversationID, m.ConversationType, m.MessageClientID, m.CreateTime, m.Text = id, cid.Type, clientID, createTime, text
	return m
}

// A tail whose messages are all of its conversation stores the id once;
// one written with an id in each message, as the first tails were, still
// reads.
func TestTailStoresItsConversationOnce(t *testing.T) {
	tl := filledTail()
	for _, m := range tl.Messages {
		m.ConversationID = "me|3|team-of-a-rather-long-name"
	}
	b := encodeTail(tl)
	got, err := decodeTail(string(b))
	require.NoError(t, err)
	require.Equal(t, tl, got)

	perMessage := append([]byte{recordFormatV1}, mustHex(t, tailPerMessageHex)...)
	old, err := decodeTail(string(perMessage))
	require.NoError(t, err)
	require.Len(t, old.Messages, 2)
	for _, m := range old.Messages {
		require.Equal(t, "me|1|bob", m.ConversationID)
		require.Equal(t, core.TypeP2P, m.ConversationType)
	}
	require.Equal(t, []string{"a", "b"}, []string{old.Messages[0].MessageClientID, old.Messages[1].MessageClientID})
	again := encodeTail(old)
	require.Less(t, len(again), len(perMessage), "written again, the id is stored once")
	back, err := decodeTail(string(again))
	require.NoError(t, err)
	require.Equal(t, old, back)
}

// tailPerMessageHex is a tail of two messages, "a" and "b" of me|1|bob, in
// the layout with the conversation id in each message (after the format
// byte): no flags, two messages, each its flags (unread-enabled, may be
// last), id, clientId, the rest empty or zero.
const tailPerMessageHex = "00" + "02" +
	"03" + "086d657c317c626f62" + "0161" + "00" + "00" + "00" + "00" + "00000000000000000000" +
	"03" + "086d657c317c626f62" + "0162" + "00" + "00" + "00" + "00" + "00000000000000000000"

func TestConversationCodecKeepsEveryField(t *testing.T) {
	for _, r := range []*core.ConversationRecord{
		filledConversation(),
		{Conversation: core.Conversation{ConversationID: "me|1|bob"}, Deleted: true, ReadTime: 5, Seq: 9},
		{},
	} {
		got, err := decodeConversation(encodeConversation(r))
		require.NoError(t, err)
		require.Equal(t, r, got)
	}
}

func TestMessageCodecKeepsEveryField(t *testing.T) {
	for _, m := range []*core.MessageRecord{filledMessage(), {}} {
		got, err := decodeMessage(encodeMessage(m))
		require.NoError(t, err)
		require.Equal(t, m, got)
	}
}

func TestCodecRejectsDamagedBytes(t *testing.T) {
	conv := encodeConversation(filledConversation())
	msg := encodeMessage(filledMessage())
	damaged := map[string][]byte{
		"empty":          {},
		"unknown format": append([]byte{99}, conv[1:]...),
		"truncated":      conv[:len(conv)-1],
		"left over":      append(append([]byte(nil), conv...), 0),
		"unknown flag":   {recordFormatV1, 0x40},
		"huge string":    {recordFormatV1, 0, 0xff, 0xff, 0x03},
	}
	for name, b := range damaged {
		_, err := decodeConversation(b)
		require.Error(t, err, name)
	}
	_, err := decodeMessage(msg[:len(msg)-2])
	require.Error(t, err)
	_, err = decodeMessage(conv) // a conversation is not a message
	require.Error(t, err)
}

func FuzzDecodeConversation(f *testing.F) {
	f.Add(encodeConversation(filledConversation()))
	f.Add(encodeConversation(&core.ConversationRecord{}))
	f.Fuzz(func(t *testing.T, b []byte) {
		r, err := decodeConversation(b)
		if err != nil {
			return
		}
		again, err := decodeConversation(encodeConversation(r))
		require.NoError(t, err)
		require.Equal(t, r, again)
	})
}

func FuzzDecodeMessage(f *testing.F) {
	f.Add(encodeMessage(filledMessage()))
	f.Fuzz(func(t *testing.T, b []byte) {
		m, err := decodeMessage(b)
		if err != nil {
			return
		}
		again, err := decodeMessage(encodeMessage(m))
		require.NoError(t, err)
		require.Equal(t, m, again)
	})
}

// The bytes of format 1 are fixed: databases hold them. These were written by
// the codec before its layout became one walk per record; a codec that writes
// or reads other bytes for the same record breaks every stored database.
func TestRecordBytesAreFormat1(t *testing.T) {
	content := core.MessageContent{MessageType: 2, SubType: 3, SendingState: 1, Text: "t", Attachment: `{"a":1}`,
		ServerExtension: "se", CallbackExtension: "ce", SenderName: "sn"}
	ref := core.MessageRefer{SenderID: "bob", ReceiverID: "me", MessageClientID: "c", MessageServerID: "s",
		ConversationType: core.TypeP2P, ConversationID: "me|1|bob", CreateTime: 77}
	r := &core.ConversationRecord{
		Conversation: core.Conversation{ConversationID: "me|1|bob", Type: core.TypeP2P, Name: "n", Avatar: "a", Mute: true,
			LocalExtension: "le", UnreadCount: 3, SortOrder: 99, CreateTime: 5, UpdateTime: 6,
			LastMessage: &core.LastMessage{LastMessageState: 1, MessageRefer: ref, MessageContent: content, RevokeAccountID: "ra", RevokeType: 2}},
		ReadTime: 8, MaxMessageTime: 9, ReadMarkSeq: 10, Seq: 11,
	}
	m := &core.MessageRecord{Message: core.Message{MessageRefer: ref, MessageContent: content, UnreadEnabled: true},
		Mine: true, Revoked: true, RevokeAccountID: "ra", RevokeType: 2}
	const convHex = "0109086d657c317c626f6202016e0161026c6506c6010a0c10120a0b0203626f62026d650163017302086d657c317c626f629a010406020174077b2261223a317d0272610402736502636502736e"
	const msgHex = "010d086d657c317c626f620163017303626f62026d659a010406020174077b2261223a317d02736502636502736e02726104"
	require.Equal(t, convHex, hex.EncodeToString(encodeConversation(r)))
	require.Equal(t, msgHex, hex.EncodeToString(encodeMessage(m)))
	gotConv, err := decodeConversation(mustHex(t, convHex))
	require.NoError(t, err)
	require.Equal(t, r, gotConv)
	gotMsg, err := decodeMessage(mustHex(t, msgHex))
	require.NoError(t, err)
	require.Equal(t, m, gotMsg)
}

func mustHex(t *testing.T, s string) []byte {
	b, err := hex.DecodeString(s)
	require.NoError(t, err)
	return b
}
