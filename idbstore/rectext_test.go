package idbstore

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/localconv/localconv/core"
	"github.com/localconv/localconv/internal/jsonx"
)

func roundTripBytes(t *testing.T, b []byte) {
	t.Helper()
	text := appendBytesString(nil, b)
	v, err := jsonx.Parse(text)
	require.NoError(t, err, "not JSON: %q", text)
	got, err := bytesOfString(v.(string))
	require.NoError(t, err)
	require.Equal(t, b, got)
}

func TestBytesSurviveTheirJSONString(t *testing.T) {
	all := make([]byte, 256)
	for i := range all {
		all[i] = byte(i)
	}
	roundTripBytes(t, all)
	roundTripBytes(t, []byte{})
	roundTripBytes(t, encodeConversation(typicalRecordForText()))
	_, err := bytesOfString("中")
	require.ErrorIs(t, err, errNotBytes)
}

func FuzzBytesString(f *testing.F) {
	f.Add([]byte("\x00\x1f\"\\\x7f\x80\xff"))
	f.Fuzz(func(t *testing.T, b []byte) { roundTripBytes(t, b) })
}

func typicalRecordForText() *core.ConversationRecord {
	return &core.ConversationRecord{
		Conversation: core.Conversation{ConversationID: "me|1|bob", Type: 1, Name: "Bob 中文", UnreadCount: 3, SortOrder: 1700000000000,
			LastMessage: &core.LastMessage{MessageContent: core.MessageContent{Text: "hi \"there\"", Attachment: `{"a":1}`}}},
		ReadTime: 5, Seq: 9,
	}
}

func TestValuesCarryKeysAndRecords(t *testing.T) {
	r := typicalRecordForText()
	v, err := jsonx.Parse(conversationValueJSON(nil, new([]byte), r, &core.Tail{}))
	require.NoError(t, err)
	obj := v.(map[string]any)
	require.Equal(t, "me|1|bob", obj["id"])
	require.Equal(t, jsonx.Number("9"), obj["seq"])
	require.Equal(t, jsonx.Number("1700000000000"), obj["sortOrder"])
	b, err := recBytes(v)
	require.NoError(t, err)
	got, err := decodeConversation(b)
	require.NoError(t, err)
	require.Equal(t, r, got)

	dead := &core.ConversationRecord{Conversation: core.Conversation{ConversationID: "me|1|x", Type: 1}, Deleted: true, Seq: 2}
	v, err = jsonx.Parse(conversationValueJSON(nil, new([]byte), dead, &core.Tail{}))
	require.NoError(t, err)
	require.NotContains(t, v.(map[string]any), "sortOrder", "tombstones stay out of the list's index")

	m := storedMessage("me|1|bob", "m1", 7, "x")
	m.UnreadEnabled = true
	tail := &core.Tail{Messages: []*core.MessageRecord{m}, Floor: core.MessageOrder{CreateTime: 5, MessageClientID: "m0"}, HasFloor: true}
	v, err = jsonx.Parse(conversationValueJSON(nil, new([]byte), r, tail))
	require.NoError(t, err)
	text, ok := v.(map[string]any)[propTail].(string)
	require.True(t, ok, "the tail is a string property of the value")
	b, err = bytesOfString(text)
	require.NoError(t, err)
	gotT, err := decodeTail(string(b))
	require.NoError(t, err)
	require.Equal(t, tail, gotT)
}

// A value whose rec is anything but the string this code writes is refused.
func TestRecBytesRefusesAnyOtherRec(t *testing.T) {
	for _, bad := range []string{`{"rec":{"0":1,"1":2}}`, `{"rec":7}`, `{"rec":null}`, `{}`, `[]`} {
		v, err := jsonx.Parse([]byte(bad))
		require.NoError(t, err)
		_, err = recBytes(v)
		require.Error(t, err, bad)
	}
}
