//go:build js && wasm

package idb

import (
	"errors"
	"syscall/js"

	goidb "github.com/hack-pad/go-indexeddb/idb"
)

// Error is a JS exception or a DOMException, such as a ConstraintError, as a
// Go error. It is the one form this package gives a JS error: catch makes it
// of an exception thrown by a call, errorOf of an error a request or a
// transaction holds. go-indexeddb gives its own DOMException type, with the
// same name and message; IsName matches both.
type Error struct{ Name, Message string }

func (e *Error) Error() string {
	if e.Message == "" {
		return e.Name
	}
	return e.Name + ": " + e.Message
}

// Is matches go-indexeddb's DOMException of the same name.
func (e *Error) Is(target error) bool { return errors.Is(goidb.NewDOMException(e.Name), target) }

// IsName reports whether err is (or wraps) a DOMException named name.
func IsName(err error, name string) bool { return errors.Is(err, goidb.NewDOMException(name)) }

// catch runs fn and turns a JS exception thrown by a syscall/js call in it
// into an error. Any other panic goes on.
func catch(fn func()) (err error) {
	defer func() {
		if r := recover(); r != nil {
			if jsErr, ok := r.(js.Error); ok {
				err = errorOf(jsErr.Value)
				if err == nil {
					err = &Error{Name: "Error", Message: "a JS exception without a value"}
				}
				return
			}
			panic(r)
		}
	}()
	fn()
	return nil
}

// errorOf converts a JS error value; nil for null or undefined.
func errorOf(v js.Value) error {
	if v.IsNull() || v.IsUndefined() {
		return nil
	}
	if v.Type() != js.TypeObject {
		return &Error{Name: "Error", Message: describe(v)}
	}
	e := &Error{Name: "Error"}
	if name := v.Get("name"); name.Type() == js.TypeString {
		e.Name = name.String()
	}
	if message := v.Get("message"); message.Type() == js.TypeString {
		e.Message = message.String()
	}
	return e
}

// describe is v as JS's String(v) writes it, for error messages.
func describe(v js.Value) string {
	if v.Type() == js.TypeString {
		return v.String()
	}
	return js.Global().Call("String", v).String()
}
