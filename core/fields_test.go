package core

import (
	"encoding/json"
	"fmt"
	"reflect"
	"testing"

	"github.com/stretchr/testify/require"
)

// A message's and a conversation's fields are declared once (types.go); the
// JSON writer, the JSON reader and the store's codec each name them. These
// tests fill every field by reflection, so a field added to the types and
// forgotten by the writer or the reader fails here (the codec's own test
// does the same for the stored bytes).

// fillEvery sets every field reachable from v to a distinct non-zero value.
func fillEvery(v reflect.Value, n *int) {
	*n++
	switch v.Kind() {
	case reflect.Struct:
		for i := 0; i < v.NumField(); i++ {
			fillEvery(v.Field(i), n)
		}
	case reflect.Pointer:
		v.Set(reflect.New(v.Type().Elem()))
		fillEvery(v.Elem(), n)
	case reflect.String:
		v.SetString(fmt.Sprintf("s%d|é", *n))
	case reflect.Bool:
		v.SetBool(true)
	case reflect.Int, reflect.Int64:
		v.SetInt(int64(*n) * 1_000_003)
	default:
		panic("fillEvery: add a case for " + v.Kind().String())
	}
}

func filled[T any]() T {
	var v T
	n := 0
	fillEvery(reflect.ValueOf(&v).Elem(), &n)
	return v
}

func TestJSONWriterWritesEveryField(t *testing.T) {
	c := filled[Conversation]()
	c.LastMessage.Attachment = `{"url":"x"}` // RawJSON must be JSON
	sameJSON(t, c)

	// Every field the types declare appears in what the writer wrote.
	got, _ := encodeValue(nil, c)
	var obj map[string]any
	require.NoError(t, json.Unmarshal(got, &obj))
	lm := obj["lastMessage"].(map[string]any)
	require.Len(t, obj, reflect.TypeFor[Conversation]().NumField())
	require.Len(t, lm, reflect.TypeFor[LastMessage]().NumField()-1+reflect.TypeFor[MessageContent]().NumField())
	require.Len(t, lm["messageRefer"], reflect.TypeFor[MessageRefer]().NumField())
}

func TestJSONReaderReadsEveryMessageField(t *testing.T) {
	want := filled[Message]()
	want.Attachment = `{"url":"x"}`
	text, err := json.Marshal([]any{want})
	require.NoError(t, err)
	args, err := decodeArgs(text)
	require.NoError(t, err)
	got, err := argMessage(args[0], "message")
	require.NoError(t, err)
	want.ConversationType = 0 // not read: validation takes it from the conversation id
	require.Equal(t, want, got)
}
