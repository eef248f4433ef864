//go:build js && wasm

package idbstore

import (
	"sync/atomic"
	"syscall/js"

	"github.com/localconv/localconv/core"
)

// The snapshot lives in meta under metaSnapshot as {seq, count, bytes}: the
// change sequence it is as of, how many conversations it holds, and their
// bytes (snapshot_codec.go); a list longer than one chunk of about
// snapshotChunkBytes has chunks, an array of such bytes, instead of bytes.
// Load reads it and the tail of records written since; the Service rewrites
// it from its cache when SnapshotDue.
const metaSnapshot = "snapshot"

// snapshotChunkBytes bounds the Go buffer a snapshot is written through, and
// each copy into Go when one is read.
const snapshotChunkBytes = 1 << 20

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

var _ core.SnapshotTx = (*transaction)(nil)

// PutSnapshot writes the whole list as one value, encoded a chunk at a time
// into one reused buffer and copied out of Go chunk by chunk.
func (x *transaction) PutSnapshot(seq uint64, recs []*core.ConversationRecord) error {
	err := catchJS(func() {
		var chunks []any
		encodeSnapshotChunks(seq, recs, snapshotChunkBytes, func(b []byte) {
			chunks = append(chunks, bytesToJS(b))
		})
		v := jsObject.New()
		v.Set("seq", float64(seq))
		v.Set("count", len(recs))
		if len(chunks) == 1 {
			v.Set("bytes", chunks[0])
		} else {
			v.Set("chunks", chunks)
		}
		x.store(storeMeta).Call("put", v, metaSnapshot)
	})
	if err != nil {
		return err
	}
	x.snapshotLive = len(recs)
	return nil
}

// snapshotParts reads a stored snapshot value: its chunks (bytes as the
// one chunk), none when there is no snapshot.
func snapshotParts(v js.Value) (seq uint64, chunks []js.Value) {
	if v.Type() != js.TypeObject {
		return 0, nil
	}
	if s := v.Get("seq"); s.Type() == js.TypeNumber && s.Float() >= 0 {
		seq = uint64(s.Float())
	}
	if cs := v.Get("chunks"); cs.Type() == js.TypeObject && cs.InstanceOf(js.Global().Get("Array")) {
		for i := range cs.Length() {
			chunks = append(chunks, cs.Index(i))
		}
		return seq, chunks
	}
	if b := v.Get("bytes"); b.Truthy() {
		chunks = append(chunks, b)
	}
	return seq, chunks
}
