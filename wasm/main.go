//go:build js && wasm

// Command localconv is the WebAssembly module behind js/localconv.js.
//
// On start it hands its JS-callable object to the function the wrapper left in
// globalThis.__localconvReady (then the wrapper deletes that name), so the
// module adds no globals of its own.
package main

import (
	"runtime/debug"
	"syscall"
	"syscall/js"

	"github.com/localconv/localconv/core"
)

// gcPercent is the module's GOGC. Wasm memory only grows, so the heap's
// highest point is what a page keeps for good, and Go lets the heap reach
// (1 + GOGC/100) times what is live before it collects. Measured at 100,000
// conversations (make bench): GOGC 100 peaked at 2.28 KiB per conversation,
// 50 at 1.86 KiB. The price is more collections: a clear of all 100,000 took
// about 1 s longer (two collections instead of one; still 0.15x its
// baseline), the other scenarios moved within the noise. An environment GOGC
// (the Go loader's env) still wins, for measuring.
const gcPercent = 50

func main() {
	if _, set := syscall.Getenv("GOGC"); !set {
		debug.SetGCPercent(gcPercent)
	}
	b := newBridge(openStore)
	ready := js.Global().Get("__localconvReady")
	if ready.Type() != js.TypeFunction {
		js.Global().Get("console").Call("error", "localconv.wasm: load it through localconv.js")
		return
	}
	ready.Invoke(b.jsObject())
	select {}
}

// openStore picks the Store for open()'s storage option. lost is told when
// the store's database goes away under it.
func openStore(opts openOptions, lost func(reason string)) (core.Store, error) {
	if opts.Storage == core.StorageMemory {
		return core.NewMemStore(), nil
	}
	return openIndexedDB(opts, lost)
}
