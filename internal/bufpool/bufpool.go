// Package bufpool is the one pool of byte buffers that every call fills
// and empties again: the JSON of a batch's writes, its events, the texts
// that come from JS. Grown from nothing on every call, they were most of
// what a call allocated, and so of the collector's work (docs/design.md,
// Memory).
package bufpool

import "sync"

var pool = sync.Pool{New: func() any { return new([]byte) }}

// keptBytes bounds the buffers Put keeps: a huge one is left to the
// collector. A kept buffer is live, and the heap grows to 1.5 times what is
// live: the 4 MB arguments of one call of 10,000 messages, kept, raised the
// bench's peak at 100,000 conversations from 1.45 to 1.52 KiB a
// conversation. A call of 100 messages, its events and its tails' text take
// well under this.
const keptBytes = 1 << 20

// Get returns an empty buffer; give it back with Put once nothing reads it.
func Get() *[]byte {
	b := pool.Get().(*[]byte)
	*b = (*b)[:0]
	return b
}

// Put gives b back, unless it grew too large to keep.
func Put(b *[]byte) {
	if cap(*b) <= keptBytes {
		pool.Put(b)
	}
}
