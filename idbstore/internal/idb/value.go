//go:build js && wasm

package idb

import (
	"fmt"
	"syscall/js"
)

// Value is a JS value as a request gave it: the store reads it through these
// methods and never holds a js.Value. Each method is one or two JS calls:
// read a value's few properties this way, and many records as JSON (batch.go).
type Value struct{ v js.Value }

var (
	jsArray      = js.Global().Get("Array")
	jsObject     = js.Global().Get("Object")
	jsUint8Array = js.Global().Get("Uint8Array")
)

// Missing reports whether v is undefined (no such record or property) or null.
func (v Value) Missing() bool { return v.v.IsUndefined() || v.v.IsNull() }

// Number is v if it is a number.
func (v Value) Number() (float64, bool) {
	if v.v.Type() != js.TypeNumber {
		return 0, false
	}
	return v.v.Float(), true
}

// Text is v if it is a string.
func (v Value) Text() (string, bool) {
	if v.v.Type() != js.TypeString {
		return "", false
	}
	return v.v.String(), true
}

// Get is v's property name, missing if v is not an object.
func (v Value) Get(name string) Value {
	if v.v.Type() != js.TypeObject {
		return Value{}
	}
	return Value{v.v.Get(name)}
}

// List is v's elements if it is an Array.
func (v Value) List() ([]Value, bool) {
	if v.v.Type() != js.TypeObject || !v.v.InstanceOf(jsArray) {
		return nil, false
	}
	out := make([]Value, v.v.Length())
	for i := range out {
		out[i] = Value{v.v.Index(i)}
	}
	return out, true
}

// Bytes copies v, a Uint8Array, into buf, or into a new slice if buf is too
// small: so that many values can be read through one buffer.
func (v Value) Bytes(buf []byte) ([]byte, error) {
	if v.v.Type() != js.TypeObject || !v.v.InstanceOf(jsUint8Array) {
		return nil, fmt.Errorf("expected a Uint8Array, found %s", v.v.Type())
	}
	n := v.v.Length()
	if cap(buf) < n {
		buf = make([]byte, n)
	}
	buf = buf[:n]
	js.CopyBytesToGo(buf, v.v)
	return buf, nil
}

// String is v as JS's String(v) writes it, for error messages.
func (v Value) String() string { return describe(v.v) }

// Bytes is b copied into a new Uint8Array, to be stored.
func Bytes(b []byte) Value {
	a := jsUint8Array.New(len(b))
	js.CopyBytesToJS(a, b)
	return Value{a}
}

// toJS makes the JS value of a key or a value to store: a Value as it is; a
// []any an Array and a map[string]any an object, of their elements made the
// same way; anything else as js.ValueOf makes it (numbers, strings, nil).
func toJS(x any) js.Value {
	switch x := x.(type) {
	case Value:
		return x.v
	case []any:
		a := jsArray.New(len(x))
		for i, e := range x {
			a.SetIndex(i, toJS(e))
		}
		return a
	case map[string]any:
		o := jsObject.New()
		for k, e := range x {
			o.Set(k, toJS(e))
		}
		return o
	}
	return js.ValueOf(x)
}
