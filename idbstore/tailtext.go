package idbstore

import (
	"errors"
	"fmt"
	"unsafe"

	"github.com/localconv/localconv/core"
)

// storedTail is what a read of tails (transaction.Tails) found of one
// conversation: no value, a value without a tail (written by version 2), or
// a tail's bytes (or why they are not a tail's).
type storedTail struct {
	found, hasTail bool
	bytes          string
	bad            error
}

// decode decodes the tail found.
func (st storedTail) decode() (*core.Tail, error) {
	if st.bad != nil {
		return nil, st.bad
	}
	return decodeTail(st.bytes)
}

// readTails reads the JSON text a read of n tails comes back as
// (tailsFromJSON); one written by other code, or damaged, goes through the
// generic parse, which tells each value apart (tailsFromValues). Neither
// keeps text: it may be reused.
func readTails(text []byte, n int) ([]storedTail, error) {
	if out, err := tailsFromJSON(unsafe.String(unsafe.SliceData(text), len(text)), n); err == nil {
		return out, nil
	}
	return tailsFromValues(text, n)
}

// tailsFromJSON reads the JSON text a read of n tails comes back as: an
// array of null or objects with at most a tail property, a string of one
// character per byte (rectext.go), as JSON.stringify writes them. It builds
// no JSON values: each tail is unescaped once, into a string of its own, the
// only allocation per tail (the generic parse made three copies of each,
// most of what a batch of messages allocated).
func tailsFromJSON(text string, n int) ([]storedTail, error) {
	p := tailParser{s: text}
	out := make([]storedTail, 0, n)
	if !p.take('[') {
		return nil, p.fail("an array")
	}
	for !p.take(']') {
		if len(out) > 0 && !p.take(',') {
			return nil, p.fail("a comma")
		}
		var t storedTail
		switch {
		case p.word("null"):
		case p.take('{'):
			t.found = true
			if !p.take('}') {
				if !p.word(`"` + propTail + `":`) {
					return nil, p.fail("the tail property")
				}
				s, err := p.bytesString()
				if err != nil {
					return nil, err
				}
				t.hasTail, t.bytes = true, s
				if !p.take('}') {
					return nil, p.fail("the end of the object")
				}
			}
		default:
			return nil, p.fail("null or an object")
		}
		out = append(out, t)
	}
	if p.i != len(p.s) || len(out) != n {
		return nil, fmt.Errorf("reading tails back: %d values for %d conversations", len(out), n)
	}
	return out, nil
}

// tailsFromValues is tailsFromJSON through the generic parse, for a text
// that is not as JSON.stringify writes tails: a value whose tail is not a
// string of one character per byte is bad, not the whole read.
func tailsFromValues(text []byte, n int) ([]storedTail, error) {
	values, err := parseArray(text)
	if err != nil {
		return nil, err
	}
	if len(values) != n {
		return nil, fmt.Errorf("reading tails back: %d values for %d conversations", len(values), n)
	}
	out := make([]storedTail, n)
	for i, v := range values {
		obj, ok := v.(map[string]any)
		if !ok { // no such conversation
			continue
		}
		out[i].found = true
		if s, ok := obj[propTail].(string); ok {
			b, err := bytesOfString(s)
			out[i].hasTail, out[i].bytes, out[i].bad = true, string(b), err
		}
	}
	return out, nil
}

type tailParser struct {
	s string
	i int
}

func (p *tailParser) take(c byte) bool {
	if p.i < len(p.s) && p.s[p.i] == c {
		p.i++
		return true
	}
	return false
}

func (p *tailParser) word(w string) bool {
	if len(p.s)-p.i >= len(w) && p.s[p.i:p.i+len(w)] == w {
		p.i += len(w)
		return true
	}
	return false
}

func (p *tailParser) fail(want string) error {
	return fmt.Errorf("reading tails back: %s expected at offset %d", want, p.i)
}

var errBadBytesString = errors.New("reading tails back: not a string of one character per byte")

// bytesString reads a JSON string of characters U+0000–U+00FF into a new
// string of one byte per character: a first pass finds its end and length,
// a second fills a buffer of exactly that length.
func (p *tailParser) bytesString() (string, error) {
	if !p.take('"') {
		return "", p.fail("a string")
	}
	start, n := p.i, 0
	for i := start; ; n++ {
		if i >= len(p.s) {
			return "", errBadBytesString
		}
		switch c := p.s[i]; {
		case c == '"':
			buf := make([]byte, n)
			for j := range buf {
				buf[j], p.i = p.char(p.i)
			}
			p.i++ // the closing quote
			return unsafe.String(unsafe.SliceData(buf), n), nil
		case c == '\\':
			if i+1 >= len(p.s) {
				return "", errBadBytesString
			}
			switch p.s[i+1] {
			case 'u':
				if i+6 > len(p.s) || p.s[i+2] != '0' || p.s[i+3] != '0' || hexVal(p.s[i+4]) < 0 || hexVal(p.s[i+5]) < 0 {
					return "", errBadBytesString
				}
				i += 6
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
				i += 2
			default:
				return "", errBadBytesString
			}
		case c < 0x80:
			i++
		case (c == 0xc2 || c == 0xc3) && i+1 < len(p.s) && p.s[i+1]&0xc0 == 0x80:
			i += 2
		default:
			return "", errBadBytesString
		}
	}
}

// char decodes the character at i, checked by bytesString's first pass,
// and returns it with where the next one starts.
func (p *tailParser) char(i int) (byte, int) {
	c := p.s[i]
	switch {
	case c == '\\':
		switch e := p.s[i+1]; e {
		case 'u':
			return byte(hexVal(p.s[i+4])<<4 | hexVal(p.s[i+5])), i + 6
		case 'b':
			return '\b', i + 2
		case 'f':
			return '\f', i + 2
		case 'n':
			return '\n', i + 2
		case 'r':
			return '\r', i + 2
		case 't':
			return '\t', i + 2
		default: // " \ /
			return e, i + 2
		}
	case c < 0x80:
		return c, i + 1
	default:
		return c<<6 | p.s[i+1]&0x3f, i + 2
	}
}

func hexVal(c byte) int {
	switch {
	case c >= '0' && c <= '9':
		return int(c - '0')
	case c >= 'a' && c <= 'f':
		return int(c-'a') + 10
	case c >= 'A' && c <= 'F':
		return int(c-'A') + 10
	}
	return -1
}
