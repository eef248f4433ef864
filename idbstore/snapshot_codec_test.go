package idbstore

import (
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"math"
	"runtime"
	"slices"
	"strings"
	"testing"
	"unsafe"

	"github.com/stretchr/testify/require"

	"github.com/localconv/localconv/core"
)

func TestSnapshotRoundTrips(t *testing.T) {
	recs := []*core.ConversationRecord{
		{Conversation: core.Conversation{ConversationID: "me|1|a", Type: 1, Name: "Ann", UnreadCount: 2, SortOrder: 5,
			LastMessage: &core.LastMessage{MessageContent: core.MessageContent{Text: "hi", Attachment: `{"x":1}`}, MessageRefer: core.MessageRefer{MessageClientID: "m"}}},
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
		"huge count":     withChecksum([]byte{snapshotFormat, 0, 0, 0, 0, 1, 0xff, 0xff, 0xff, 0xff, 0x0f}),
		"format 1":       append([]byte{1}, good[5:]...),
	} {
		_, _, err := decodeSnapshot(string(b))
		require.Error(t, err, name)
	}
	// A damaged record inside, with a checksum that matches (written so).
	bad := append([]byte{}, good...)
	bad[8] = 77 // format, checksum, seq, count, length, then the first record's format byte
	_, _, err := decodeSnapshot(string(withChecksum(bad)))
	require.ErrorContains(t, err, "record 0")
	bad[8] = good[8]
	bad[20] ^= 4
	_, _, err = decodeSnapshot(string(bad))
	require.ErrorContains(t, err, "checksum")
}

// withChecksum sets b's checksum, to test damage the checksum cannot see.
func withChecksum(b []byte) []byte {
	binary.LittleEndian.PutUint32(b[1:5], crc32.Checksum(b[5:], snapshotCRC))
	return b
}

// Every single flipped bit is found (CRC-32 finds all of them), even where the
// bytes would still decode as records.
func TestEveryFlippedBitInASnapshotIsFound(t *testing.T) {
	good := encodeSnapshot(8, []*core.ConversationRecord{
		{Conversation: core.Conversation{ConversationID: "me|1|a", Type: 1, LastMessage: &core.LastMessage{MessageContent: core.MessageContent{Text: "hello"}}}, Seq: 1},
		{Conversation: core.Conversation{ConversationID: "me|1|b", Type: 1}, Seq: 2},
	})
	for i := range good {
		for bit := range 8 {
			b := append([]byte(nil), good...)
			b[i] ^= 1 << bit
			_, _, err := decodeSnapshot(string(b))
			require.Error(t, err, "byte %d bit %d", i, bit)
		}
	}
}

// A long list is written as chunks of about the limit, each a snapshot of its
// own, which together are the list in order; the encoding offers to pause
// as it goes (the Service encodes while calls go on).
func TestSnapshotChunksAreTheListInPieces(t *testing.T) {
	var recs []*core.ConversationRecord
	for i := range 500 {
		r := &core.ConversationRecord{Seq: uint64(i)}
		r.ConversationID = fmt.Sprintf("me|1|u%04d", i)
		r.LocalExtension = strings.Repeat("x", i%200)
		recs = append(recs, r)
	}
	var all []*core.ConversationRecord
	chunks, pauses := 0, 0
	encodeSnapshotChunks(9, len(recs), slices.Values(recs), 4<<10, func(b []byte) {
		seq, part, err := decodeSnapshot(string(b))
		require.NoError(t, err)
		require.EqualValues(t, 9, seq)
		require.NotEmpty(t, part)
		all = append(all, part...)
		chunks++
	}, func() { pauses++ })
	require.Greater(t, chunks, 10)
	require.Equal(t, len(recs)/snapshotPauseRecords, pauses)
	require.Equal(t, recs, all)

	var one [][]byte
	encodeSnapshotChunks(9, len(recs), slices.Values(recs), math.MaxInt, func(b []byte) { one = append(one, append([]byte(nil), b...)) }, nil)
	require.Equal(t, [][]byte{encodeSnapshot(9, recs)}, one)
	var empty [][]byte
	encodeSnapshotChunks(3, 0, slices.Values([]*core.ConversationRecord(nil)), 4<<10, func(b []byte) { empty = append(empty, append([]byte(nil), b...)) }, nil)
	require.Len(t, empty, 1)
	_, none, err := decodeSnapshot(string(empty[0]))
	require.NoError(t, err)
	require.Empty(t, none)
}

// TestDecodedRecordsKeepNoneOfTheirSource: a decoded record's strings must
// not point into the snapshot's bytes, or any one record would keep its whole
// chunk alive; and its lastMessage's strings share one block apart from the
// record's own, so that the next message frees them.
func TestDecodedRecordsKeepNoneOfTheirSource(t *testing.T) {
	src := string(encodeSnapshot(1, []*core.ConversationRecord{filledConversation(), filledConversation()}))
	_, recs, err := decodeSnapshot(src)
	require.NoError(t, err)
	require.Len(t, recs, 2)
	inside := func(s, block string) bool {
		p, b := uintptr(unsafe.Pointer(unsafe.StringData(s))), uintptr(unsafe.Pointer(unsafe.StringData(block)))
		return p >= b && p < b+uintptr(len(block))
	}
	for _, r := range recs {
		lm := r.LastMessage
		own := []string{r.ConversationID, r.Name, r.Avatar, r.LocalExtension}
		ref := lm.MessageRefer
		last := []string{ref.SenderID, ref.ReceiverID, ref.MessageClientID, ref.MessageServerID, ref.ConversationID,
			lm.Text, string(lm.Attachment), lm.ServerExtension, lm.CallbackExtension, lm.SenderName, lm.RevokeAccountID}
		for _, s := range append(own, last...) {
			require.NotEmpty(t, s)
			require.False(t, inside(s, src), "%q points into the snapshot's bytes", s)
		}
		// The lastMessage's strings lie in one block, from its first to its last.
		start := unsafe.StringData(last[0])
		block := unsafe.String(start, int(uintptr(unsafe.Pointer(unsafe.StringData(lm.SenderName)))-uintptr(unsafe.Pointer(start)))+len(lm.SenderName))
		for _, s := range last {
			require.True(t, inside(s, block), "%q is not in the lastMessage's block", s)
		}
		for _, s := range own {
			require.False(t, inside(s, block), "%q shares the lastMessage's block", s)
		}
	}
}

// TestDecodingASnapshotAllocatesLittleBeyondWhatItKeeps: a load runs with
// the collector off (core.Sync), so what decoding allocates and drops is
// wasm memory for good. Reading a chunk's checksum through []byte(s) once
// copied the whole chunk.
func TestDecodingASnapshotAllocatesLittleBeyondWhatItKeeps(t *testing.T) {
	src := func() string {
		recs := make([]*core.ConversationRecord, 200)
		for i := range recs {
			r := filledConversation()
			r.LastMessage.Text = strings.Repeat("x", 4000) // the bytes dominate, so a copy of them shows
			recs[i] = r
		}
		return string(encodeSnapshot(1, recs))
	}()
	allocated := func() uint64 {
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		return m.TotalAlloc
	}
	before := allocated()
	_, got, err := decodeSnapshot(src)
	spent := allocated() - before
	require.NoError(t, err)
	require.Len(t, got, 200)
	// The records keep about the snapshot's bytes; a copy of the chunk would
	// be as much again.
	require.Less(t, spent, uint64(len(src))*3/2, "decoding %d bytes allocated %d", len(src), spent)
}
