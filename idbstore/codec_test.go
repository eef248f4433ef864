package idbstore

import (
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

func filledMessage() *core.MessageRecord {
	m := &core.MessageRecord{}
	n := 0
	fillAll(reflect.ValueOf(m).Elem(), &n)
	return m
}

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
