//go:build js && wasm

package idbstore

import (
	"context"
	"errors"
	"fmt"
	"syscall/js"
)

var (
	jsObject     = js.Global().Get("Object")
	jsUint8Array = js.Global().Get("Uint8Array")
)

// catchJS runs fn and turns a JS exception thrown by a syscall/js call into an error.
func catchJS(fn func()) (err error) {
	defer func() {
		if r := recover(); r != nil {
			if jsErr, ok := r.(js.Error); ok {
				err = jsError(jsErr.Value)
				return
			}
			panic(r)
		}
	}()
	fn()
	return nil
}

// domError is a DOMException (or any JS error) as a Go error.
type domError struct{ name, message string }

func (e *domError) Error() string {
	if e.message == "" {
		return e.name
	}
	return e.name + ": " + e.message
}

// jsError converts a JS error value; nil for null or undefined.
func jsError(v js.Value) error {
	if v.IsNull() || v.IsUndefined() {
		return nil
	}
	if v.Type() != js.TypeObject {
		return &domError{name: "Error", message: v.String()}
	}
	name, message := v.Get("name"), v.Get("message")
	e := &domError{name: "Error"}
	if name.Type() == js.TypeString {
		e.name = name.String()
	}
	if message.Type() == js.TypeString {
		e.message = message.String()
	}
	return e
}

// isDOMError reports whether err is a DOMException with the given name.
func isDOMError(err error, name string) bool {
	var d *domError
	return errors.As(err, &d) && d.name == name
}

// awaitPromise waits for a JS Promise. Its callbacks stay registered until it
// settles, even if ctx ends first.
func awaitPromise(ctx context.Context, p js.Value) (js.Value, error) {
	type outcome struct {
		v   js.Value
		err error
	}
	done := make(chan outcome, 1)
	var onResolve, onReject js.Func
	release := func() { go func() { onResolve.Release(); onReject.Release() }() }
	onResolve = js.FuncOf(func(_ js.Value, args []js.Value) any {
		done <- outcome{v: arg0(args)}
		release()
		return nil
	})
	onReject = js.FuncOf(func(_ js.Value, args []js.Value) any {
		err := jsError(arg0(args))
		if err == nil {
			err = errors.New("promise rejected without a reason")
		}
		done <- outcome{err: err}
		release()
		return nil
	})
	p.Call("then", onResolve, onReject)
	select {
	case o := <-done:
		return o.v, o.err
	case <-ctx.Done():
		return js.Undefined(), ctx.Err()
	}
}

func arg0(args []js.Value) js.Value {
	if len(args) == 0 {
		return js.Undefined()
	}
	return args[0]
}

// maxExactJS is the largest integer a JS number (a float64) holds exactly,
// with every integer below it: the bound of the numbers this store writes
// as plain properties (keys and indexes need them plain).
const maxExactJS = 1 << 53

// exactInJS reports whether n survives as a JS number unchanged.
func exactInJS(n int64) bool { return n >= -maxExactJS && n <= maxExactJS }

// seqInJS is exactInJS for a change sequence.
func seqInJS(seq uint64) bool { return seq <= maxExactJS }

// bytesToJS copies b into a new Uint8Array.
func bytesToJS(b []byte) js.Value {
	a := jsUint8Array.New(len(b))
	js.CopyBytesToJS(a, b)
	return a
}

// bytesFromJS copies a Uint8Array into buf, a new one if buf is too small.
func bytesFromJS(buf []byte, a js.Value) ([]byte, error) {
	if a.Type() != js.TypeObject || !a.InstanceOf(jsUint8Array) {
		return nil, fmt.Errorf("expected a Uint8Array, found %s", a.Type())
	}
	n := a.Length()
	if cap(buf) < n {
		buf = make([]byte, n)
	}
	buf = buf[:n]
	js.CopyBytesToGo(buf, a)
	return buf, nil
}

// keyArray is an IndexedDB array key.
func keyArray(parts ...any) js.Value { return js.ValueOf(parts) }
