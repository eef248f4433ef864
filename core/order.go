package core

import "unicode/utf8"

// CompareStrings orders strings by their UTF-16 code units, as JavaScript's
// comparison operators, Array.prototype.sort and IndexedDB's key order do.
// Go's own order (UTF-8 bytes, that is code points) differs from it for
// characters above U+FFFF against U+E000–U+FFFF: in UTF-16 a surrogate pair
// (0xD800–0xDBFF first) sorts below U+E000. Every order in the module — the
// list's ties, lastMessage's ties, the fallback after a delete, paging —
// uses this one, so the cache, the database and the app agree.
func CompareStrings(a, b string) int {
	n := min(len(a), len(b))
	i := 0
	for i < n && a[i] == b[i] {
		i++
	}
	if i == n {
		switch {
		case len(a) < len(b):
			return -1
		case len(a) > len(b):
			return 1
		}
		return 0
	}
	if a[i] < utf8.RuneSelf && b[i] < utf8.RuneSelf {
		return cmpInt(int(a[i]), int(b[i]))
	}
	// Back up to the start of the character the strings differ in (they share
	// its leading bytes), then compare the two characters' first code units.
	for i > 0 && !utf8.RuneStart(a[i]) {
		i--
	}
	ra, _ := utf8.DecodeRuneInString(a[i:])
	rb, _ := utf8.DecodeRuneInString(b[i:])
	if c := cmpInt(utf16Lead(ra), utf16Lead(rb)); c != 0 {
		return c
	}
	return cmpInt(int(ra), int(rb)) // same high surrogate: the low ones order as the code points
}

// utf16Lead is the first UTF-16 code unit of r.
func utf16Lead(r rune) int {
	if r >= 0x10000 {
		return 0xD800 + int((r-0x10000)>>10)
	}
	return int(r)
}

func cmpInt(a, b int) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// lessString is CompareStrings(a, b) < 0.
func lessString(a, b string) bool { return CompareStrings(a, b) < 0 }
