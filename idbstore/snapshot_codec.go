package idbstore

import (
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"

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

func encodeSnapshot(seq uint64, recs []*core.ConversationRecord) []byte {
	size := 16
	for _, r := range recs {
		size += 128 + len(r.LocalExtension) // a guess, to grow the buffer rarely
	}
	e := encoder{b: make([]byte, 0, size)}
	e.b = append(e.b, snapshotFormat, 0, 0, 0, 0)
	e.uint(seq)
	e.uint(uint64(len(recs)))
	var rec []byte
	for _, r := range recs {
		rec = appendConversation(rec[:0], r)
		e.uint(uint64(len(rec)))
		e.b = append(e.b, rec...)
	}
	binary.LittleEndian.PutUint32(e.b[1:5], crc32.Checksum(e.b[5:], snapshotCRC))
	return e.b
}

// decodeSnapshot decodes a snapshot; the records' strings share s's memory.
// Any damage fails the whole snapshot: a record it lost could not be told
// from one that was deleted.
func decodeSnapshot(s string) (seq uint64, recs []*core.ConversationRecord, err error) {
	if len(s) < 5 || s[0] != snapshotFormat {
		return 0, nil, errors.New("not a snapshot of a known format")
	}
	if sum := crc32.Update(0, snapshotCRC, []byte(s[5:])); sum != binary.LittleEndian.Uint32([]byte(s[1:5])) {
		return 0, nil, fmt.Errorf("the snapshot's checksum fails (%08x, its bytes say %08x): it is damaged", sum, binary.LittleEndian.Uint32([]byte(s[1:5])))
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
