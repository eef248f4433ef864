package jsonx

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// fromStd converts encoding/json's UseNumber result into Parse's values.
func fromStd(v any) any {
	switch x := v.(type) {
	case json.Number:
		return Number(x)
	case []any:
		for i := range x {
			x[i] = fromStd(x[i])
		}
	case map[string]any:
		for k := range x {
			x[k] = fromStd(x[k])
		}
	}
	return v
}

func stdParse(data []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	if len(bytes.TrimLeft(data[dec.InputOffset():], " \t\r\n")) > 0 {
		return nil, bytes.ErrTooLarge // text after the value
	}
	return fromStd(v), nil
}

var jsonCases = []string{
	`null`, `true`, `false`, `0`, `-0`, `12`, `-3.25e+10`, `1E3`, `0.5`, `""`, `"a\"b\\c\/d\b\f\n\r\t"`,
	`"\u00e9\u4e2d\ud83d\ude00"`, `"\ud800"`, `"\ud800\u0041"`, `"\udc00\ud800"`, "\"\xff\xfe\"", `"中文"`,
	`[]`, `[1,"2",[3,{}],null]`, `{}`, `{"a":1,"b":[true,false],"c":{"d":"e"}}`, ` { "sp" : [ 1 , 2 ] } `,
	`{"dup":1,"dup":2}`, `["\u0000u","\u0000s\u0000x"]`,
	// invalid
	``, ` `, `nul`, `tru`, `01`, `-`, `1.`, `.5`, `1e`, `+1`, `[1,]`, `[1 2]`, `{"a"}`, `{"a":}`, `{a:1}`,
	`{"a":1,}`, `"abc`, "\"tab\there\"", `"\x"`, `"\u12"`, `[`, `{`, `]`, `1 2`, `[1]x`, `"\u00zz"`,
}

func TestParseJSONAgreesWithEncodingJSON(t *testing.T) {
	for _, c := range jsonCases {
		got, gotErr := Parse([]byte(c))
		want, wantErr := stdParse([]byte(c))
		if wantErr != nil {
			require.Error(t, gotErr, "input %q should be rejected", c)
			continue
		}
		require.NoError(t, gotErr, "input %q", c)
		require.Equal(t, want, got, "input %q", c)
	}
}

func TestParseJSONBoundsNesting(t *testing.T) {
	deep := strings.Repeat("[", 100000) + strings.Repeat("]", 100000)
	_, err := Parse([]byte(deep))
	require.ErrorContains(t, err, "nested too deeply")
	ok := strings.Repeat("[", MaxDepth) + strings.Repeat("]", MaxDepth)
	_, err = Parse([]byte(ok))
	require.NoError(t, err)
}

func FuzzParseJSON(f *testing.F) {
	for _, c := range jsonCases {
		f.Add([]byte(c))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		got, gotErr := Parse(data)
		want, wantErr := stdParse(data)
		if bytes.Count(data, []byte("["))+bytes.Count(data, []byte("{")) > MaxDepth {
			return // encoding/json allows deeper nesting than we do
		}
		if (gotErr == nil) != (wantErr == nil) {
			t.Fatalf("input %q: Parse err %v, encoding/json err %v", data, gotErr, wantErr)
		}
		if gotErr == nil {
			require.Equal(t, want, got)
		}
		// Skipping accepts exactly what parsing accepts.
		r := &reader{data: data}
		r.space()
		skipErr := r.skipValue()
		r.space()
		if skipOK := skipErr == nil && r.pos == len(data); skipOK != (gotErr == nil) {
			t.Fatalf("input %q: skipValue ok=%v, Parse err %v", data, skipOK, gotErr)
		}
	})
}
