//go:build js && wasm

// Command localconv is the WebAssembly module behind js/localconv.js.
//
// On start it hands its JS-callable object to the function the wrapper left in
// globalThis.__localconvReady (then the wrapper deletes that name), so the
// module adds no globals of its own.
package main

import (
	"syscall/js"

	"github.com/localconv/localconv/core"
)

func main() {
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
