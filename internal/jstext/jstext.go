//go:build js && wasm

// Package jstext copies JS strings into Go as UTF-8, into a buffer the
// caller reuses (internal/bufpool): js.Value.String allocates each string
// twice in Go (a byte slice, then the string made of it), and the texts that
// cross on every call (a call's arguments, a batch's results) were a large
// share of what a call allocated.
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
