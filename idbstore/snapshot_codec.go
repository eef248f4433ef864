package idbstore

import (
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"iter"
	"math"
	"slices"
	"unsafe"

	"github.com/localconv/localconv/core"
)

// A snapshot is the whole list of live conversations in one value, so that
// loading reads one value instead of a record at a time: a format byte, a
// CRC-32 (Castagnoli) of everything after it, the change sequence the list is
// as of, the number of records, then each record as a length and its bytes
// (codec.go). A snapshot whose checksum fails is not believed: one flipped bit
// could otherwise change a lastMessage, or an id into another account's. The
// records it was made from are still there to load. Snapshots of format 1
// (no checksum) are not read; the records are loaded instead and the next
// snapshot is of this format.
const snapshotFormat = 2

var snapshotCRC = crc32.MakeTable(crc32.Castagnoli)

// snapshotRecordBytes is about what a record takes in a snapshot, to size
// its buffer.
const snapshotRecordBytes = 192

func encodeSnapshot(seq uint64, recs []*core.ConversationRecord) []byte {
	var out []byte
	encodeSnapshotChunks(seq, len(recs), slices.Values(recs), math.MaxInt, func(b []byte) { out = b }, nil)
	return out
}

// snapshotPauseRecords is how often encoding a snapshot offers to pause: a
// record takes a few microseconds.
const snapshotPauseRecords = 256

// encodeSnapshotChunks encodes records (about n of them) as consecutive
// snapshots (chunks) of about limit bytes each, each with its own checksum,
// and hands each to emit, which must be done with it when it returns (the
// buffer is reused): a list of 100,000 conversations is never one buffer in
// Go. No records make one empty chunk. pause, if not nil, is called every
// snapshotPauseRecords records. It returns how many records it encoded.
func encodeSnapshotChunks(seq uint64, n int, records iter.Seq[*core.ConversationRecord], limit int, emit func([]byte), pause func()) (count int) {
	// One buffer for every chunk, of the size a chunk needs (a record is
	// some 100–200 bytes): grown by doubling instead, a snapshot of 10,000
	// conversations left 4 MB of garbage, more than the calls between two
	// snapshots together.
	e := encoder{b: make([]byte, 0, min(limit, 64+n*snapshotRecordBytes)+16<<10)}
	var rec []byte
	head, inChunk := 0, 0
	begin := func() {
		// The count goes in once the chunk is full; reserve the most a
		// uvarint of it can take and move the records up after.
		e.b = append(e.b[:0], snapshotFormat, 0, 0, 0, 0)
		e.uint(seq)
		head = len(e.b)
		e.b = append(e.b, make([]byte, binary.MaxVarintLen64)...)
		inChunk = 0
	}
	end := func() {
		w := binary.PutUvarint(e.b[head:], uint64(inChunk))
		e.b = append(e.b[:head+w], e.b[head+binary.MaxVarintLen64:]...)
		binary.LittleEndian.PutUint32(e.b[1:5], crc32.Checksum(e.b[5:], snapshotCRC))
		emit(e.b)
	}
	begin()
	for r := range records {
		if len(e.b) >= limit {
			end()
			begin()
		}
		rec = appendConversation(rec[:0], r)
		e.uint(uint64(len(rec)))
		e.b = append(e.b, rec...)
		inChunk++
		if count++; pause != nil && count%snapshotPauseRecords == 0 {
			pause()
		}
	}
	end()
	return count
}

// decodeSnapshot decodes a snapshot; the records' strings share s's memory.
// Any damage fails the whole snapshot: a record it lost could not be told
// from one that was deleted.
func decodeSnapshot(s string) (seq uint64, recs []*core.ConversationRecord, err error) {
	if len(s) < 5 || s[0] != snapshotFormat {
		return 0, nil, errors.New("not a snapshot of a known format")
	}
	// The checksum reads the bytes in place: []byte(s) would copy a whole
	// chunk, a megabyte of garbage per chunk of a load.
	body := unsafe.Slice(unsafe.StringData(s[5:]), len(s)-5)
	if sum, want := crc32.Checksum(body, snapshotCRC), binary.LittleEndian.Uint32([]byte(s[1:5])); sum != want {
		return 0, nil, fmt.Errorf("the snapshot's checksum fails (%08x, its bytes say %08x): it is damaged", sum, want)
	}
	d := &decoder{s: s[5:]}
	seq = d.uint()
	n := d.uint()
	if d.err == nil && n > uint64(len(d.s)) {
		return 0, nil, errTruncated
	}
	recs = make([]*core.ConversationRecord, 0, n)
	for i := uint64(0); i < n && d.err == nil; i++ {
		b := d.str()
		if d.err != nil {
			break
		}
		r, err := decodeConversationString(b)
		if err != nil {
			return 0, nil, fmt.Errorf("record %d: %w", i, err)
		}
		recs = append(recs, r)
	}
	if d.err != nil {
		return 0, nil, d.err
	}
	if len(d.s) > 0 {
		return 0, nil, fmt.Errorf("%d bytes left over after the snapshot", len(d.s))
	}
	return seq, recs, nil
}
