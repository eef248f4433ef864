//go:build js && wasm

package idbstore

import (
	"sync"
	"syscall/js"
)

// channelName is the BroadcastChannel that connections to the database named
// dbName use to say that they committed a change.
func channelName(dbName string) string { return "idbstore:" + dbName }

// watchers is a Store's BroadcastChannel: it posts as each transaction that
// changed conversations commits (just before: see Store.run), and calls the
// watch functions when another connection posted (or the poll found a commit:
// poll.go). A channel does not receive its own posts, so a Store is not told
// of its own commits. Without BroadcastChannel, posts do nothing and only the
// poll tells.
type watchers struct {
	name string

	mu        sync.Mutex
	ch        js.Value // undefined until first needed
	onMessage js.Func
	fns       map[int]func()
	next      int
	closed    bool
}

// channel returns the BroadcastChannel, made on first use; w.mu is held.
func (w *watchers) channel() js.Value {
	if w.closed {
		return js.Undefined()
	}
	if w.ch.IsUndefined() {
		ctor := js.Global().Get("BroadcastChannel")
		if ctor.Type() != js.TypeFunction {
			return js.Undefined()
		}
		w.ch = ctor.New(channelName(w.name))
		// A JS event handler must not block: the calls run in a goroutine.
		w.onMessage = js.FuncOf(func(js.Value, []js.Value) any {
			go w.notify()
			return nil
		})
		w.ch.Set("onmessage", w.onMessage)
	}
	return w.ch
}

func (w *watchers) notify() {
	w.mu.Lock()
	fns := make([]func(), 0, len(w.fns))
	for _, fn := range w.fns {
		fns = append(fns, fn)
	}
	w.mu.Unlock()
	for _, fn := range fns {
		fn()
	}
}

func (w *watchers) add(fn func()) (stop func()) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.closed {
		return func() {}
	}
	w.channel() // start listening, where there is BroadcastChannel
	if w.fns == nil {
		w.fns = map[int]func(){}
	}
	id := w.next
	w.next++
	w.fns[id] = fn
	return func() {
		w.mu.Lock()
		delete(w.fns, id)
		w.mu.Unlock()
	}
}

// post tells the other connections that a transaction about to commit leaves
// the change sequence at seq.
func (w *watchers) post(seq uint64) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if ch := w.channel(); !ch.IsUndefined() {
		msg := jsObject.New()
		msg.Set("seq", float64(seq))
		ch.Call("postMessage", msg)
	}
}

func (w *watchers) close() {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.closed = true
	w.fns = nil
	if !w.ch.IsUndefined() {
		w.ch.Call("close")
		w.ch.Set("onmessage", js.Null())
		w.onMessage.Release()
		w.ch = js.Undefined()
	}
}
