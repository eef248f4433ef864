package jsonx

import (
	"errors"
	"strconv"
	"unicode/utf16"
	"unicode/utf8"
)

// Package jsonx reads and writes JSON without reflection, for what crosses
// between Go and JavaScript on every call (arguments, results, events) and
// for the values the IndexedDB store keeps. In WebAssembly it is several
// times faster than encoding/json, and it keeps encoding/json out of the
// module.
//
// The reader is strict (RFC 8259). It builds the values encoding/json builds
// into an `any` with UseNumber — nil, bool, Number, string, []any,
// map[string]any — and bounds nesting so that no input can exhaust the stack.

// Number is a number's JSON text, converted when a reader asks for it.
type Number string

// MaxDepth bounds nesting.
const MaxDepth = 512

// LongArray stands for an array longer than Options.MaxArray: its entries
// were counted, not built.
type LongArray struct{ N int }

type reader struct {
	data  []byte
	pos   int
	depth int
	// maxArray, if > 0, bounds the arrays inside a top-level array (call
	// arguments): a longer one is only counted, not built, and becomes a
	// LongArray, so a huge argument costs a scan of its text.
	maxArray int
}

var errJSONDepth = errors.New("nested too deeply")

// Parse parses one JSON value that fills data (surrounding space allowed).
func Parse(data []byte) (any, error) {
	return (&reader{data: data}).parse()
}

// ParseArgs is Parse for a top-level array of arguments: an argument that is
// an array of more than maxArray entries comes back as a LongArray.
func ParseArgs(data []byte, maxArray int) (any, error) {
	return (&reader{data: data, maxArray: maxArray}).parse()
}

func (r *reader) parse() (any, error) {
	r.space()
	v, err := r.value()
	if err != nil {
		return nil, err
	}
	r.space()
	if r.pos != len(r.data) {
		return nil, r.fail("unexpected text after the value")
	}
	return v, nil
}

func (r *reader) fail(what string) error {
	return errors.New(what + " at offset " + strconv.Itoa(r.pos))
}

func (r *reader) space() {
	for r.pos < len(r.data) {
		switch r.data[r.pos] {
		case ' ', '\t', '\n', '\r':
			r.pos++
		default:
			return
		}
	}
}

func (r *reader) value() (any, error) {
	if r.pos >= len(r.data) {
		return nil, r.fail("unexpected end")
	}
	switch c := r.data[r.pos]; {
	case c == '{':
		return r.object()
	case c == '[':
		return r.array()
	case c == '"':
		return r.string()
	case c == '-' || (c >= '0' && c <= '9'):
		return r.number()
	case r.literal("true"):
		return true, nil
	case r.literal("false"):
		return false, nil
	case r.literal("null"):
		return nil, nil
	}
	return nil, r.fail("invalid character")
}

func (r *reader) literal(word string) bool {
	if len(r.data)-r.pos >= len(word) && string(r.data[r.pos:r.pos+len(word)]) == word {
		r.pos += len(word)
		return true
	}
	return false
}

func (r *reader) enter() error {
	r.depth++
	if r.depth > MaxDepth {
		return r.fail(errJSONDepth.Error())
	}
	r.pos++ // the opening bracket
	r.space()
	return nil
}

func (r *reader) object() (any, error) {
	if err := r.enter(); err != nil {
		return nil, err
	}
	m := map[string]any{}
	if r.pos < len(r.data) && r.data[r.pos] == '}' {
		r.pos++
		r.depth--
		return m, nil
	}
	for {
		if r.pos >= len(r.data) || r.data[r.pos] != '"' {
			return nil, r.fail("expected a property name")
		}
		k, err := r.string()
		if err != nil {
			return nil, err
		}
		r.space()
		if r.pos >= len(r.data) || r.data[r.pos] != ':' {
			return nil, r.fail("expected ':'")
		}
		r.pos++
		r.space()
		v, err := r.value()
		if err != nil {
			return nil, err
		}
		m[k] = v
		if closed, err := r.separator('}'); closed || err != nil {
			r.depth--
			return m, err
		}
	}
}

// separator reads what follows an entry of an object or array (end is its
// closing bracket): a ',' and the space after it, or the closing bracket,
// which closes it. Anything else fails.
func (r *reader) separator(end byte) (closed bool, err error) {
	r.space()
	if r.pos >= len(r.data) {
		return false, r.fail("unexpected end before its closing " + string(end))
	}
	switch r.data[r.pos] {
	case ',':
		r.pos++
		r.space()
		return false, nil
	case end:
		r.pos++
		return true, nil
	}
	return false, r.fail("expected ',' or '" + string(end) + "'")
}

func (r *reader) array() (any, error) {
	if err := r.enter(); err != nil {
		return nil, err
	}
	a := []any{}
	if r.pos < len(r.data) && r.data[r.pos] == ']' {
		r.pos++
		r.depth--
		return a, nil
	}
	if r.maxArray > 0 && r.depth == 2 {
		// An argument: count its entries before building any of them.
		start := r.pos
		n, err := r.countEntries()
		if err != nil {
			return nil, err
		}
		if n > r.maxArray {
			r.depth--
			return LongArray{n}, nil
		}
		r.pos = start
	}
	for {
		v, err := r.value()
		if err != nil {
			return nil, err
		}
		a = append(a, v)
		if closed, err := r.separator(']'); closed || err != nil {
			r.depth--
			return a, err
		}
	}
}

// skipValue checks one value and moves past it, building nothing.
func (r *reader) skipValue() error {
	if r.pos >= len(r.data) {
		return r.fail("unexpected end")
	}
	switch c := r.data[r.pos]; {
	case c == '{' || c == '[':
		end := byte('}')
		if c == '[' {
			end = ']'
		}
		if err := r.enter(); err != nil {
			return err
		}
		if r.pos < len(r.data) && r.data[r.pos] == end {
			r.pos++
			r.depth--
			return nil
		}
		for {
			if c == '{' {
				if r.pos >= len(r.data) || r.data[r.pos] != '"' {
					return r.fail("expected a property name")
				}
				if err := r.skipString(); err != nil {
					return err
				}
				r.space()
				if r.pos >= len(r.data) || r.data[r.pos] != ':' {
					return r.fail("expected ':'")
				}
				r.pos++
				r.space()
			}
			if err := r.skipValue(); err != nil {
				return err
			}
			if closed, err := r.separator(end); closed || err != nil {
				r.depth--
				return err
			}
		}
	case c == '"':
		return r.skipString()
	case c == '-' || (c >= '0' && c <= '9'):
		return r.scanNumber()
	case r.literal("true"), r.literal("false"), r.literal("null"):
		return nil
	}
	return r.fail("invalid character")
}

// countEntries checks the rest of a non-empty array whose '[' was read,
// moving past its ']', and counts its entries.
func (r *reader) countEntries() (int, error) {
	for n := 1; ; n++ {
		if err := r.skipValue(); err != nil {
			return 0, err
		}
		if closed, err := r.separator(']'); closed || err != nil {
			return n, err
		}
	}
}

// skipString checks a string and moves past it.
func (r *reader) skipString() error {
	r.pos++
	for r.pos < len(r.data) {
		switch c := r.data[r.pos]; {
		case c == '"':
			r.pos++
			return nil
		case c < 0x20:
			return r.fail("control character in a string")
		case c == '\\':
			if r.pos+1 >= len(r.data) {
				return r.fail("unterminated string")
			}
			switch r.data[r.pos+1] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
				r.pos += 2
			case 'u':
				r.pos += 2
				if _, ok := r.hex4(); !ok {
					return r.fail("invalid \\u escape")
				}
			default:
				return r.fail("invalid escape")
			}
		default:
			r.pos++
		}
	}
	return r.fail("unterminated string")
}

func (r *reader) number() (any, error) {
	start := r.pos
	if err := r.scanNumber(); err != nil {
		return nil, err
	}
	return Number(r.data[start:r.pos]), nil
}

// scanNumber checks a number and moves past it.
func (r *reader) scanNumber() error {
	digits := func() int {
		n := 0
		for r.pos < len(r.data) && r.data[r.pos] >= '0' && r.data[r.pos] <= '9' {
			r.pos++
			n++
		}
		return n
	}
	if r.data[r.pos] == '-' {
		r.pos++
	}
	if r.pos < len(r.data) && r.data[r.pos] == '0' {
		r.pos++
	} else if digits() == 0 {
		return r.fail("invalid number")
	}
	if r.pos < len(r.data) && r.data[r.pos] == '.' {
		r.pos++
		if digits() == 0 {
			return r.fail("invalid number")
		}
	}
	if r.pos < len(r.data) && (r.data[r.pos] == 'e' || r.data[r.pos] == 'E') {
		r.pos++
		if r.pos < len(r.data) && (r.data[r.pos] == '+' || r.data[r.pos] == '-') {
			r.pos++
		}
		if digits() == 0 {
			return r.fail("invalid number")
		}
	}
	return nil
}

func (r *reader) string() (string, error) {
	r.pos++ // the opening quote
	start := r.pos
	// Fast path: no escapes, all ASCII or valid UTF-8.
	for r.pos < len(r.data) {
		c := r.data[r.pos]
		if c == '"' {
			s := r.data[start:r.pos]
			r.pos++
			if utf8.Valid(s) {
				return string(s), nil
			}
			return string([]rune(string(s))), nil // invalid bytes become U+FFFD, as encoding/json does
		}
		if c == '\\' || c < 0x20 {
			break
		}
		r.pos++
	}
	buf := append([]byte(nil), r.data[start:r.pos]...)
	for r.pos < len(r.data) {
		c := r.data[r.pos]
		switch {
		case c == '"':
			r.pos++
			if !utf8.Valid(buf) {
				return string([]rune(string(buf))), nil
			}
			return string(buf), nil
		case c < 0x20:
			return "", r.fail("control character in a string")
		case c != '\\':
			buf = append(buf, c)
			r.pos++
			continue
		}
		r.pos++
		if r.pos >= len(r.data) {
			break
		}
		e := r.data[r.pos]
		r.pos++
		switch e {
		case '"', '\\', '/':
			buf = append(buf, e)
		case 'b':
			buf = append(buf, '\b')
		case 'f':
			buf = append(buf, '\f')
		case 'n':
			buf = append(buf, '\n')
		case 'r':
			buf = append(buf, '\r')
		case 't':
			buf = append(buf, '\t')
		case 'u':
			c1, ok := r.hex4()
			if !ok {
				return "", r.fail("invalid \\u escape")
			}
			ru := rune(c1)
			if utf16.IsSurrogate(ru) {
				ru = utf8.RuneError
				if r.pos+1 < len(r.data) && r.data[r.pos] == '\\' && r.data[r.pos+1] == 'u' {
					save := r.pos
					r.pos += 2
					c2, ok := r.hex4()
					if dec := utf16.DecodeRune(rune(c1), rune(c2)); ok && dec != utf8.RuneError {
						ru = dec
					} else {
						r.pos = save
					}
				}
			}
			buf = utf8.AppendRune(buf, ru)
		default:
			return "", r.fail("invalid escape")
		}
	}
	return "", r.fail("unterminated string")
}

func (r *reader) hex4() (uint16, bool) {
	if len(r.data)-r.pos < 4 {
		return 0, false
	}
	var v uint16
	for _, c := range r.data[r.pos : r.pos+4] {
		var d byte
		switch {
		case c >= '0' && c <= '9':
			d = c - '0'
		case c >= 'a' && c <= 'f':
			d = c - 'a' + 10
		case c >= 'A' && c <= 'F':
			d = c - 'A' + 10
		default:
			return 0, false
		}
		v = v<<4 | uint16(d)
	}
	r.pos += 4
	return v, true
}
