//go:build js && wasm

package idb

import "syscall/js"

// Range is a range of keys (an IDBKeyRange). The zero Range is every key.
// Keys are Go values as toJS makes them: numbers, strings, and []any for
// array keys.
type Range struct {
	lower, upper         any
	hasLower, hasUpper   bool
	lowerOpen, upperOpen bool
}

// Above is every key above lower.
func Above(lower any) Range { return Range{lower: lower, hasLower: true, lowerOpen: true} }

// Between is every key from lower to upper, each end left out if open.
func Between(lower, upper any, lowerOpen, upperOpen bool) Range {
	return Range{lower: lower, upper: upper, hasLower: true, hasUpper: true, lowerOpen: lowerOpen, upperOpen: upperOpen}
}

// raw is the range as IDBKeyRange, for raw requests; undefined for every key.
func (r Range) raw() js.Value {
	kr := js.Global().Get("IDBKeyRange")
	switch {
	case r.hasLower && r.hasUpper:
		return kr.Call("bound", toJS(r.lower), toJS(r.upper), r.lowerOpen, r.upperOpen)
	case r.hasLower:
		return kr.Call("lowerBound", toJS(r.lower), r.lowerOpen)
	case r.hasUpper:
		return kr.Call("upperBound", toJS(r.upper), r.upperOpen)
	}
	return js.Undefined()
}
