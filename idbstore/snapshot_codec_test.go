package idbstore

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/localconv/localconv/core"
)

func TestSnapshotRoundTrips(t *testing.T) {
	recs := []*core.ConversationRecord{
		{Conversation: core.Conversation{ConversationID: "me|1|a", Type: 1, Name: "Ann", UnreadCount: 2, SortOrder: 5,
			LastMessage: &core.LastMessage{Text: "hi", Attachment: `{"x":1}`, MessageRefer: core.MessageRefer{MessageClientID: "m"}}},
			ReadTime: 3, MaxMessageTime: 9, Seq: 7},
		{Conversation: core.Conversation{ConversationID: "me|2|t", Type: 2, StickTop: true, SortOrder: 1e15 + 4}, Seq: 8},
	}
	seq, got, err := decodeSnapshot(string(encodeSnapshot(8, recs)))
	require.NoError(t, err)
	require.EqualValues(t, 8, seq)
	require.Equal(t, recs, got)

	seq, got, err = decodeSnapshot(string(encodeSnapshot(3, nil)))
	require.NoError(t, err)
	require.EqualValues(t, 3, seq)
	require.Empty(t, got)
}

func TestDamagedSnapshotFailsWhole(t *testing.T) {
	good := encodeSnapshot(8, []*core.ConversationRecord{
		{Conversation: core.Conversation{ConversationID: "me|1|a", Type: 1}, Seq: 1},
		{Conversation: core.Conversation{ConversationID: "me|1|b", Type: 1}, Seq: 2},
	})
	for name, b := range map[string][]byte{
		"empty":          {},
		"unknown format": append([]byte{9}, good[1:]...),
		"truncated":      good[:len(good)-3],
		"left over":      append(append([]byte{}, good...), 0),
		"huge count":     {snapshotFormatV1, 1, 0xff, 0xff, 0xff, 0xff, 0x0f},
	} {
		_, _, err := decodeSnapshot(string(b))
		require.Error(t, err, name)
	}
	// A damaged record inside.
	bad := append([]byte{}, good...)
	bad[4] = 77 // format, seq, count, length, then the first record's format byte
	_, _, err := decodeSnapshot(string(bad))
	require.ErrorContains(t, err, "record 0")
}
