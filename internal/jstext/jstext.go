//go:build js && wasm

// Package jstext copies JS strings into Go as UTF-8, into a buffer the
// caller reuses: js.Value.String allocates each string twice in Go (a byte
// slice, then the string made of it), and the texts that cross on every call
// (a call's arguments, a batch's results) were a large share of what a call
// allocated, and so of the collector's work.
package jstext

import (
	"sync"
	"syscall/js"
)

var encoder = sync.OnceValue(func() js.Value { return js.Global().Get("TextEncoder").New() })

// Into copies s, a JS string, into buf as UTF-8, grown if too small, and
// returns it.
func Into(s js.Value, buf []byte) []byte {
	arr := encoder().Call("encode", s)
	n := arr.Length()
	if cap(buf) < n {
		buf = make([]byte, n)
	}
	buf = buf[:n]
	js.CopyBytesToGo(buf, arr)
	return buf
}

// Buffers are buffers for Into, to reuse across calls: Get one, and Put it
// back once nothing reads it any more.
var Buffers = sync.Pool{New: func() any { return new([]byte) }}

// keptBytes bounds the buffers Put keeps: a huge text's is left to the
// collector. A kept buffer is live, and the heap grows to 1.5 times what is
// live (docs/design.md, Memory): the 4 MB arguments of one call of 10,000
// messages, kept at 4 MiB, raised the bench's peak at 100,000 conversations
// from 1.45 to 1.52 KiB a conversation. A call of 100 messages and its tails'
// text take well under this.
const keptBytes = 1 << 20

// Put gives buf back to Buffers, unless it grew too large to keep.
func Put(buf *[]byte) {
	if cap(*buf) <= keptBytes {
		*buf = (*buf)[:0]
		Buffers.Put(buf)
	}
}
