package core

import (
	"slices"
	"testing"
	"unicode/utf16"

	"github.com/stretchr/testify/require"
)

// utf16Compare is the definition: compare the UTF-16 encodings unit by unit.
func utf16Compare(a, b string) int {
	return slices.Compare(utf16.Encode([]rune(a)), utf16.Encode([]rune(b)))
}

func TestCompareStringsIsUTF16Order(t *testing.T) {
	cases := []string{"", "a", "ab", "b", "x\uFF01", "x🙂", "x\uE000", "x\uD7FF", "xé", "x", "x🙂a", "x🙃", "𝄞", "\uFFFF", "\u0000", "日本", "日", "a|1|b", "a|1|c"}
	for _, a := range cases {
		for _, b := range cases {
			require.Equal(t, utf16Compare(a, b), CompareStrings(a, b), "%q vs %q", a, b)
		}
	}
	// The case that differs from Go's order: an astral character sorts below U+FF01.
	require.Less(t, CompareStrings("x🙂", "x\uFF01"), 0)
	require.Greater(t, "x🙂", "x\uFF01", "Go's own order is the other way round")
}

func FuzzCompareStrings(f *testing.F) {
	f.Add("x\uFF01", "x🙂")
	f.Add("abc", "abd")
	f.Fuzz(func(t *testing.T, a, b string) {
		// utf16.Encode turns invalid UTF-8 into U+FFFD as []rune does; the ids
		// the module compares are always valid UTF-8 (well-formed UTF-16 from JS).
		if !validUTF8(a) || !validUTF8(b) {
			return
		}
		require.Equal(t, utf16Compare(a, b), CompareStrings(a, b), "%q vs %q", a, b)
	})
}

func validUTF8(s string) bool {
	for _, r := range s {
		if r == 0xFFFD {
			return false
		}
	}
	return true
}
