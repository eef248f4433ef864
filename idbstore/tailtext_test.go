package idbstore

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/require"
)

// tailsText is the JSON text a read of tails comes back as, as
// JSON.stringify writes it (encoding/json writes the same for these
// characters once told not to escape HTML).
func tailsText(t *testing.T, values []any) string {
	t.Helper()
	b, err := json.Marshal(values)
	require.NoError(t, err)
	return string(b)
}

func TestTailsFromJSONReadsEveryByte(t *testing.T) {
	every := make([]byte, 256)
	for i := range every {
		every[i] = byte(i)
	}
	tl := encodeTail(filledTail())
	text := string(appendBytesString([]byte(`[null,{},{"tail":`), every)) + `},{"tail":` + string(appendBytesString(nil, tl)) + `}]`
	got, err := tailsFromJSON(text, 4)
	require.NoError(t, err)
	require.Equal(t, []storedTail{{}, {found: true}, {found: true, hasTail: true, bytes: string(every)}, {found: true, hasTail: true, bytes: string(tl)}}, got)
	// And as JSON.stringify escapes (\n, \t, ... rather than \u00XX).
	var s []rune
	for _, c := range every {
		s = append(s, rune(c))
	}
	got, err = tailsFromJSON(tailsText(t, []any{map[string]any{"tail": string(s)}}), 1)
	require.NoError(t, err)
	require.Equal(t, string(every), got[0].bytes)
}

func TestTailsFromJSONRefusesWhatIsNotATail(t *testing.T) {
	for _, text := range []string{
		``, `[`, `[null`, `[null,]`, `[1]`, `[{"rec":"x"}]`, `[{"tail":"\u0100"}]`, `[{"tail":"Ā"}]`,
		`[{"tail":"\x"}]`, `[{"tail":"abc`, `[{"tail":"abc"]`, `[null] `, `[{"tail":1}]`,
	} {
		_, err := tailsFromJSON(text, 1)
		require.Error(t, err, "%s", text)
	}
	_, err := tailsFromJSON(`[null,null]`, 1)
	require.Error(t, err, "more values than conversations")
}

// What tailsFromJSON refuses, tailsFromValues reads value by value.
func TestTailsFromValuesTellsBadTailsApart(t *testing.T) {
	got, err := tailsFromValues([]byte(`[{"tail":"Ā"},{"tail":1},null,{"tail":"ab"}]`), 4)
	require.NoError(t, err)
	require.Error(t, got[0].bad)
	require.Equal(t, storedTail{found: true}, got[1], "not a string: written before tails were kept")
	require.Equal(t, storedTail{}, got[2])
	require.Equal(t, storedTail{found: true, hasTail: true, bytes: "ab"}, got[3])
}

// readTails takes the fast parser's answer, and the generic one's where the
// fast one refuses.
func TestReadTailsFallsBackValueByValue(t *testing.T) {
	got, err := readTails([]byte(`[{"tail":"ab"},null]`), 2)
	require.NoError(t, err)
	require.Equal(t, []storedTail{{found: true, hasTail: true, bytes: "ab"}, {}}, got)
	got, err = readTails([]byte(`[{"tail":"Ā"},{"tail":"ab"}]`), 2)
	require.NoError(t, err)
	require.Error(t, got[0].bad, "only the bad value is bad")
	require.Equal(t, storedTail{found: true, hasTail: true, bytes: "ab"}, got[1])
	_, err = got[0].decode()
	require.Error(t, err)
	_, err = readTails([]byte(`{}`), 1)
	require.Error(t, err, "not an array")
}

func FuzzTailsFromJSON(f *testing.F) {
	f.Add([]byte(`[{"tail":"a\u0001\u00ff\"\\"}]`))
	f.Add(encodeTail(filledTail()))
	f.Fuzz(func(t *testing.T, b []byte) {
		text := `[{"tail":` + string(appendBytesString(nil, b)) + `}]`
		got, err := tailsFromJSON(text, 1)
		require.NoError(t, err)
		require.Equal(t, string(b), got[0].bytes)
		_, _ = tailsFromJSON(string(b), 1) // never panics
	})
}
