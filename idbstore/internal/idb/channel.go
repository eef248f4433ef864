//go:build js && wasm

package idb

import "syscall/js"

// Channel is a BroadcastChannel: how connections to one database, in any
// tab or worker, tell each other of a commit. It is not IndexedDB, but it is
// JS, and the store's code reaches JS only through this package.
type Channel struct {
	ch        js.Value
	onMessage js.Func
}

// NewChannel opens the channel called name; onMessage is called, from a
// goroutine of its own, for each message another channel of that name
// posted (a channel does not receive its own). It is nil where there is no
// BroadcastChannel.
func NewChannel(name string, onMessage func()) *Channel {
	ctor := js.Global().Get("BroadcastChannel")
	if ctor.Type() != js.TypeFunction {
		return nil
	}
	c := &Channel{ch: ctor.New(name)}
	// A JS event handler must not block: the call runs in a goroutine.
	c.onMessage = js.FuncOf(func(js.Value, []js.Value) any {
		go onMessage()
		return nil
	})
	c.ch.Set("onmessage", c.onMessage)
	return c
}

// Post posts {seq} to the other channels of the name.
func (c *Channel) Post(seq uint64) {
	msg := jsObject.New()
	msg.Set("seq", float64(seq))
	c.ch.Call("postMessage", msg)
}

// Close closes the channel; no call of onMessage starts after it.
func (c *Channel) Close() {
	c.ch.Call("close")
	c.ch.Set("onmessage", js.Null())
	c.onMessage.Release()
}
