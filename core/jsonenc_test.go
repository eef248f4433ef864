package core

import (
	"encoding/json"
	"math"
	"math/rand"
	"testing"

	"github.com/stretchr/testify/require"
)

// sameJSON asserts that the hand-written encoding of v means what
// encoding/json's encoding of it means.
func sameJSON(t *testing.T, v any) {
	t.Helper()
	got, ok := encodeValue(nil, v)
	require.True(t, ok, "no encoding for %T", v)
	want, err := json.Marshal(v)
	require.NoError(t, err)
	var g, w any
	require.NoError(t, json.Unmarshal(got, &g), "invalid JSON: %s", got)
	require.NoError(t, json.Unmarshal(want, &w))
	require.Equal(t, w, g)
}

var awkwardStrings = []string{"", "plain", `quote " and \ backslash`, "tab\tnew\nline\rcr", "\x00\x01\x1f\x7f",
	"<script>&amp;</script>", "中文 emoji 😀", "\u2028\u2029", "bad utf8 \xff\xfe end", "\xed\xa0\x80 surrogate"}

func randomConversation(r *rand.Rand) Conversation {
	s := func() string { return awkwardStrings[r.Intn(len(awkwardStrings))] }
	c := Conversation{
		ConversationID: "alice|1|" + s(), Type: ConversationType(1 + r.Intn(3)),
		Name: s(), Avatar: s(), Mute: r.Intn(2) == 0, StickTop: r.Intn(2) == 0, LocalExtension: s(),
		UnreadCount: r.Intn(1000), SortOrder: r.Int63n(2e15), CreateTime: r.Int63n(1e13), UpdateTime: r.Int63n(1e13),
	}
	if r.Intn(3) > 0 {
		c.LastMessage = &LastMessage{
			LastMessageState: r.Intn(3),
			MessageRefer: MessageRefer{SenderID: s(), ReceiverID: s(), MessageClientID: s(), MessageServerID: s(),
				ConversationType: c.Type, ConversationID: c.ConversationID, CreateTime: r.Int63n(1e13)},
			MessageContent: MessageContent{MessageType: r.Intn(12) - 1, SubType: r.Intn(5), SendingState: r.Intn(4), Text: s(),
				ServerExtension: s(), CallbackExtension: s(), SenderName: s()},
			RevokeAccountID: s(), RevokeType: r.Intn(3),
		}
		if r.Intn(2) == 0 {
			c.LastMessage.Attachment = RawJSON(`{"url":"https://x/y.png","size":[1,2.5,null],"ok":true,"s":"\u003c"}`)
		}
	}
	return c
}

func TestJSONEncodingMatchesEncodingJSON(t *testing.T) {
	r := rand.New(rand.NewSource(1))
	for i := 0; i < 500; i++ {
		c := randomConversation(r)
		sameJSON(t, c)
		sameJSON(t, []Conversation{c, randomConversation(r)})
		sameJSON(t, ConversationResult{Offset: float64(c.SortOrder), Finished: i%2 == 0, ConversationList: []Conversation{c}})
		sameJSON(t, ConversationResult{Offset: math.Nextafter(float64(c.SortOrder), math.Inf(1)), ConversationList: []Conversation{c}})
	}
	sameJSON(t, ConversationResult{Offset: math.Nextafter(0, 1), ConversationList: []Conversation{}})
	sameJSON(t, ConversationResult{Offset: math.Nextafter(1e15+1700000000000, 2e15), ConversationList: []Conversation{}})
	sameJSON(t, []Conversation{})
	sameJSON(t, ConversationResult{Finished: true, ConversationList: []Conversation{}})
	sameJSON(t, []OperationResult{{ConversationID: "a|1|b"}, {ConversationID: "a|1|c", Error: invalid("x %q", "\x01")}})
	sameJSON(t, ApplyResult{Applied: 3, Duplicates: 2})
	sameJSON(t, int64(1)<<52)
	sameJSON(t, []string{"a|1|b", "\"q\""})
	sameJSON(t, ReadTimeUpdate{"a|1|b", 77})
	sameJSON(t, FilterCount{Filter{[]ConversationType{1, 3}, true}, 9})
	sameJSON(t, FilterCount{Filter{[]ConversationType{}, true}, 0})
	// A filter without types still says so with an array, never null.
	got, _ := encodeValue(nil, FilterCount{Filter{nil, true}, 0})
	require.JSONEq(t, `{"filter":{"conversationTypes":[],"ignoreMuted":true},"unreadCount":0}`, string(got))
	sameJSON(t, &Error{Code: CodeInternal, Message: "m"})
}

func TestEncodeEventsWritesTypeAndDetail(t *testing.T) {
	c := randomConversation(rand.New(rand.NewSource(2)))
	events := []Event{
		{EventSyncStarted, nil},
		{EventConversationCreated, c},
		{EventConversationDeleted, []string{"alice|1|x"}},
		{EventConversationChanged, []Conversation{c}},
		{EventConversationReadTimeUpdated, ReadTimeUpdate{"alice|1|x", 5}},
		{EventTotalUnreadCountChanged, int64(4)},
		{EventUnreadCountChangedByFilter, FilterCount{Filter{[]ConversationType{2}, false}, 1}},
		{EventSyncFailed, &Error{Code: CodeInternal, Message: "x"}},
	}
	var got []struct {
		Type   string          `json:"type"`
		Detail json.RawMessage `json:"detail"`
	}
	require.NoError(t, json.Unmarshal(encodeEvents(events), &got))
	require.Len(t, got, len(events))
	for i, e := range events {
		require.Equal(t, e.Type, got[i].Type)
		want, err := json.Marshal(e.Detail)
		require.NoError(t, err)
		require.JSONEq(t, string(want), string(got[i].Detail), e.Type)
	}
	require.Panics(t, func() { encodeEvents([]Event{{"bogus", struct{}{}}}) })
}

// encodeEvents is a batch of events as one JSON array: one group without limit.
func encodeEvents(events []Event) []byte {
	var out []byte
	EncodeEventGroups(events, math.MaxInt, func(b []byte) { out = append([]byte(nil), b...) })
	return out
}

// A large batch of events goes out in groups of about the limit, which
// together are the batch, in order.

func TestEventGroupsAreTheBatchInPieces(t *testing.T) {
	r := rand.New(rand.NewSource(7))
	var events []Event
	for i := range 40 {
		cs := make([]Conversation, 1+r.Intn(30))
		for j := range cs {
			cs[j] = randomConversation(r)
		}
		events = append(events, Event{EventConversationChanged, cs}, Event{EventTotalUnreadCountChanged, int64(i)})
	}
	var whole []any
	require.NoError(t, json.Unmarshal(encodeEvents(events), &whole))
	const limit = 4 << 10
	var joined []any
	groups := 0
	EncodeEventGroups(events, limit, func(b []byte) {
		var g []any
		require.NoError(t, json.Unmarshal(b, &g), "each group is a JSON array")
		require.NotEmpty(t, g)
		if len(g) > 1 { // only its last event may take it past the limit
			last, _ := json.Marshal(g[len(g)-1])
			require.Less(t, len(b)-len(last), limit+64)
		}
		joined = append(joined, g...)
		groups++
	})
	require.Greater(t, groups, 3)
	require.Equal(t, whole, joined)

	var empty [][]byte
	EncodeEventGroups(nil, limit, func(b []byte) { empty = append(empty, append([]byte(nil), b...)) })
	require.Equal(t, [][]byte{[]byte("[]")}, empty)
}
