package core

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"
)

// Decoding a call's arguments allocates for the values it keeps, not for
// error messages it does not write: a call of 10,000 messages is all
// garbage after the call, and wasm memory keeps the heap's high point. 23
// allocations a message here; 42 when every field's name (messages[i].text)
// was built and every string boxed again when its markers were checked.
func TestDecodingMessagesAllocatesForTheValuesOnly(t *testing.T) {
	b := []byte("[[")
	for i := range 100 {
		if i > 0 {
			b = append(b, ',')
		}
		b = fmt.Appendf(b, `{"conversationId":"me|1|u%d","messageClientId":"c%d","senderId":"u%d","createTime":%d,"messageType":0,"text":"hi","sendingState":1}`, i, i, i, 1000+i)
	}
	b = append(b, "]]"...)
	perMessage := testing.AllocsPerRun(10, func() {
		a, err := decodeArgs(b)
		require.NoError(t, err)
		msgs, err := argMessages(a[0], "messages")
		require.NoError(t, err)
		require.Len(t, msgs, 100)
	}) / 100
	require.Less(t, perMessage, 28.0)
}
