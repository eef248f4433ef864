//go:build js && wasm

package idbstore

import (
	"fmt"
	"iter"
	"sync/atomic"
	"unsafe"

	"github.com/localconv/localconv/core"
	"github.com/localconv/localconv/idbstore/internal/idb"
)

// The snapshot lives in meta under metaSnapshot as {seq, count, bytes}: the
// change sequence it is as of, how many conversations it holds, and their
// bytes (snapshot_codec.go); a list longer than one chunk of about
// snapshotChunkBytes has chunks, an array of such bytes, instead of bytes.
// Load reads it and the tail of records written since; the Service rewrites
// it from its cache when SnapshotDue.

// snapshotChunkBytes bounds the Go buffer a snapshot is written through, and
// each copy into Go when one is read. The snapshot is encoded while calls go
// on, so its buffer is live beside theirs: 1 MiB raised the peak of memory
// at 100,000 conversations by half as much again (the collector's goal).
const snapshotChunkBytes = 256 << 10

// snapshotCounts is what SnapshotDue weighs: conversation records written
// since the last snapshot (as far as this connection knows: the tail at load
// plus its own writes) against the list's size.
type snapshotCounts struct {
	sinceSnapshot atomic.Int64
	live          atomic.Int64
}

// SnapshotDue reports whether the tail has grown enough that rewriting the
// snapshot pays: past 1,000 records and an eighth of the list, a load reads
// more tail records one by one than a rewrite costs. At close the rewrite
// costs the user nothing they wait for, and the next open is faster for it,
// so any tail of more than closeTail records is worth it.
func (s *Store) SnapshotDue(closing bool) bool {
	n := s.snap.sinceSnapshot.Load()
	if closing {
		return n > closeTail
	}
	return n > 1000+s.snap.live.Load()/8
}

// closeTail is the tail that a close leaves for the next load to read.
const closeTail = 100

func (s *Store) snapshotState(live, tail int) {
	s.snap.live.Store(int64(live))
	s.snap.sinceSnapshot.Store(int64(tail))
}

// snapshotStored counts a snapshot committed: what was written after it was
// taken is what a load now reads beside it.
func (s *Store) snapshotStored(sn *listSnapshot) {
	s.snap.live.Store(int64(sn.count))
	s.snap.sinceSnapshot.Add(-sn.since)
}

var _ core.SnapshotTx = (*transaction)(nil)

// listSnapshot is a snapshot of the list (core.Snapshot): where its records
// come from, then the chunks they were encoded into, copied out of Go chunk
// by chunk (JS holds them until the put, as IndexedDB then does).
type listSnapshot struct {
	seq     uint64
	n       int
	records iter.Seq[*core.ConversationRecord]
	// since is what SnapshotDue counted when the snapshot was taken: the
	// records written after are read beside it by a load.
	since   int64
	count   int
	chunks  []any
	encoded bool
}

// NewSnapshot starts a snapshot (core.SnapshotStore).
func (s *Store) NewSnapshot(seq uint64, n int, records iter.Seq[*core.ConversationRecord]) core.Snapshot {
	return &listSnapshot{seq: seq, n: n, records: records, since: s.snap.sinceSnapshot.Load()}
}

// Encode encodes the records into chunks of about snapshotChunkBytes,
// pausing every snapshotPauseRecords records.
func (sn *listSnapshot) Encode(pause func()) {
	if sn.encoded {
		return
	}
	sn.count = encodeSnapshotChunks(sn.seq, sn.n, sn.records, snapshotChunkBytes, func(b []byte) {
		sn.chunks = append(sn.chunks, idb.Bytes(b))
	}, pause)
	sn.records, sn.encoded = nil, true
}

// PutSnapshot writes the whole list as one value (encoded now if it was not).
func (x *transaction) PutSnapshot(snap core.Snapshot) error {
	sn, ok := snap.(*listSnapshot)
	if !ok {
		return fmt.Errorf("storing a snapshot: %T is not this store's", snap)
	}
	sn.Encode(nil)
	v := map[string]any{"seq": float64(sn.seq), "count": sn.count}
	if len(sn.chunks) == 1 {
		v["bytes"] = sn.chunks[0]
	} else {
		v["chunks"] = sn.chunks
	}
	if err := x.tx.Put(storeMeta, metaSnapshot, v); err != nil {
		return err
	}
	x.snapshot = sn
	return nil
}

// snapshotParts reads a stored snapshot value: its chunks (bytes as the
// one chunk), none when there is no snapshot.
func snapshotParts(v idb.Value) (seq uint64, chunks []idb.Value) {
	if n, ok := v.Get("seq").Number(); ok && n >= 0 {
		seq = uint64(n)
	}
	if cs, ok := v.Get("chunks").List(); ok {
		return seq, cs
	}
	if b := v.Get("bytes"); !b.Missing() {
		chunks = append(chunks, b)
	}
	return seq, chunks
}

// decodeSnapshotChunks copies the snapshot into Go a chunk at a time, into
// one buffer, and decodes it there: the decoded records keep nothing of
// their bytes (codec.go), so the load leaves no chunk behind as garbage. Any
// damaged chunk fails the whole snapshot.
func decodeSnapshotChunks(chunks []idb.Value, wantSeq uint64) ([]*core.ConversationRecord, error) {
	var recs []*core.ConversationRecord
	var buf []byte
	for i, c := range chunks {
		b, err := c.Bytes(buf)
		if err != nil {
			return nil, err
		}
		buf = b
		if len(b) == 0 {
			return nil, fmt.Errorf("the snapshot's chunk %d is empty", i)
		}
		// Read as a string while it is decoded, never after.
		seq, part, err := decodeSnapshot(unsafe.String(&b[0], len(b)))
		if err == nil && seq != wantSeq {
			err = fmt.Errorf("the snapshot's bytes are of change %d, its value says %d", seq, wantSeq)
		}
		if err != nil {
			if len(chunks) > 1 {
				err = fmt.Errorf("chunk %d: %w", i, err)
			}
			return nil, err
		}
		if recs == nil {
			recs = make([]*core.ConversationRecord, 0, len(part)*len(chunks))
		}
		recs = append(recs, part...)
	}
	return recs, nil
}
