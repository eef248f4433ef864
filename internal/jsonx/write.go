package jsonx

import (
	"slices"
	"strconv"
	"unicode/utf8"
)

// AppendString writes s as a JSON string; invalid UTF-8 becomes U+FFFD, as
// encoding/json does.
func AppendString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c >= 0x20 && c != '"' && c != '\\' && c < utf8.RuneSelf {
			i++
			continue
		}
		if c < utf8.RuneSelf {
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hexDigit[c>>4], hexDigit[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i += size
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}

const hexDigit = "0123456789abcdef"

// AppendBool writes true or false.
func AppendBool(b []byte, v bool) []byte {
	if v {
		return append(b, "true"...)
	}
	return append(b, "false"...)
}

// Object writes one object's members, handling the commas.
type Object struct {
	B     []byte
	first bool
}

// BeginObject starts an object after b; End closes it and returns the bytes.
func BeginObject(b []byte) Object { return Object{append(b, '{'), true} }

// Key writes a member's name; its value follows in o.B.
func (o *Object) Key(k string) {
	if !o.first {
		o.B = append(o.B, ',')
	}
	o.first = false
	o.B = AppendString(o.B, k)
	o.B = append(o.B, ':')
}

// Str writes a string member.
func (o *Object) Str(k, v string) { o.Key(k); o.B = AppendString(o.B, v) }

// Num writes a number member.
func (o *Object) Num(k string, v int64) {
	o.Key(k)
	o.B = strconv.AppendInt(o.B, v, 10)
}

// Bool writes a boolean member.
func (o *Object) Bool(k string, v bool) { o.Key(k); o.B = AppendBool(o.B, v) }

// End closes the object.
func (o *Object) End() []byte { return append(o.B, '}') }

// AppendValue writes a value Parse built, object keys
// sorted so that equal values are equal text; numbers keep their text.
func AppendValue(b []byte, v any) []byte {
	switch x := v.(type) {
	case nil:
		return append(b, "null"...)
	case bool:
		return AppendBool(b, x)
	case Number:
		return append(b, x...)
	case string:
		return AppendString(b, x)
	case []any:
		b = append(b, '[')
		for i, e := range x {
			if i > 0 {
				b = append(b, ',')
			}
			b = AppendValue(b, e)
		}
		return append(b, ']')
	case map[string]any:
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		o := BeginObject(b)
		for _, k := range keys {
			o.Key(k)
			o.B = AppendValue(o.B, x[k])
		}
		return o.End()
	}
	panic("jsonx: AppendValue of a value Parse does not build")
}
