//go:build js && wasm

package idbstore

import (
	"sync"
	"syscall/js"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/localconv/localconv/core"
)

// corruptions records OnCorruptRecord's calls.
type corruptions struct {
	mu   sync.Mutex
	keys []string
}

func (c *corruptions) report(key string, err error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.keys = append(c.keys, key)
}

func (c *corruptions) take() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := c.keys
	c.keys = nil
	return out
}

// storeWithCorruptRecords has three good conversations, two damaged ones (bytes
// that do not decode; no bytes at all), a damaged tail (b's) and a damaged
// message of version 2's layout (c's, whose value has no tail yet).
func storeWithCorruptRecords(t *testing.T) (*Store, *corruptions) {
	name := freshName(t)
	writer := open(t, name, Options{})
	good := []*core.ConversationRecord{liveConv("me|1|a", 300, 1), liveConv("me|1|b", 200, 1), liveConv("me|1|c", 100, 1)}
	putConvs(t, writer, 1, good...)
	raw := rawOpen(t, name)
	rawPut(t, raw, storeConversations, jsObj(map[string]any{
		"id": "me|1|b", "seq": 1, "sortOrder": 200, "rec": recString(encodeConversation(good[1])), propTail: recString([]byte{recordFormatV1, 0, 5}),
	}), js.Undefined())
	rawPut(t, raw, storeConversations, jsObj(map[string]any{
		"id": "me|1|c", "seq": 1, "sortOrder": 100, "rec": recString(encodeConversation(good[2])),
	}), js.Undefined())
	require.NoError(t, raw.Close())
	putLegacyMessages(t, name, storedMessage("me|1|c", "good", 10, ""))
	raw = rawOpen(t, name)
	rawPut(t, raw, storeConversations, jsObj(map[string]any{
		"id": "me|1|garbled", "seq": 1, "sortOrder": 250, "rec": bytesToJS([]byte{recordFormatV1, 0xff}),
	}), js.Undefined())
	rawPut(t, raw, storeConversations, jsObj(map[string]any{
		"id": "me|1|plain", "seq": 1, "sortOrder": 150, "name": "a plain object, no rec",
	}), js.Undefined())
	rawPut(t, raw, storeMessages, jsObj(map[string]any{
		"conversationId": "me|1|c", "messageClientId": "bad", "createTime": 20, "rec": bytesToJS([]byte{7}),
	}), js.Undefined())
	require.NoError(t, raw.Close())
	require.NoError(t, writer.Close())

	c := &corruptions{}
	return open(t, name, Options{OnCorruptRecord: c.report}), c
}

func testCorruptRecordsSkipped(t *testing.T) {
	s, c := storeWithCorruptRecords(t)
	loaded := mustLoad(t, s)
	require.ElementsMatch(t, []string{"me|1|a", "me|1|b", "me|1|c"}, ids(loaded))
	require.ElementsMatch(t, []string{`conversations["me|1|garbled"]`, `conversations["me|1|plain"]`}, c.take())

	// Reported once per Store: loading again, or reading them, says nothing new.
	require.Len(t, mustLoad(t, s), 3)
	require.NoError(t, s.View(ctx, func(tx core.Tx) error {
		got, err := tx.GetConversations([]string{"me|1|garbled", "me|1|a", "me|1|plain"})
		require.NoError(t, err)
		require.Nil(t, got[0])
		require.Equal(t, "me|1|a", got[1].ConversationID)
		require.Nil(t, got[2])
		changed, err := tx.ConversationsChangedSince(0)
		require.NoError(t, err)
		require.ElementsMatch(t, []string{"me|1|a", "me|1|b", "me|1|c"}, ids(changed))
		return nil
	}))
	require.Empty(t, c.take())

	// A damaged tail reads as empty, a damaged message is skipped: each
	// reported once.
	for range 2 {
		require.NoError(t, s.View(ctx, func(tx core.Tx) error {
			tails, err := tx.Tails([]string{"me|1|a", "me|1|b", "me|1|c"})
			require.NoError(t, err)
			require.Empty(t, tails[0].Messages)
			require.Equal(t, &core.Tail{}, tails[1])
			require.Len(t, tails[2].Messages, 1)
			require.Equal(t, "good", tails[2].Messages[0].MessageClientID)
			return nil
		}))
	}
	require.ElementsMatch(t, []string{`conversations["me|1|b"].tail`, `messages["me|1|c", "bad"]`}, c.take())

	// Writing the record again repairs it.
	putConvs(t, s, 2, liveConv("me|1|garbled", 250, 2))
	require.Len(t, mustLoad(t, s), 4)
}

func TestCorruptRecordIsReportedOnceAndSkipped(t *testing.T) {
	testCorruptRecordsSkipped(t)
}

func ids(recs []*core.ConversationRecord) []string {
	out := make([]string, len(recs))
	for i, r := range recs {
		out[i] = r.ConversationID
	}
	return out
}
