//go:build js && wasm

package idbstore

import (
	"fmt"
	"syscall/js"

	"github.com/localconv/localconv/core"
)

// metaReadMarks is the meta record of the read marks (core/readmarks.go): a
// flat array of numbers, [type, seq, time] for each mark, oldest first. A
// database without it has none.
const metaReadMarks = "readMarks"

func (x *transaction) ReadMarks() (core.ReadMarks, error) {
	meta, err := x.t.ObjectStore(storeMeta)
	if err != nil {
		return core.ReadMarks{}, err
	}
	req, err := meta.Get(js.ValueOf(metaReadMarks))
	if err != nil {
		return core.ReadMarks{}, err
	}
	v, err := req.Await(x.ctx)
	if err != nil {
		return core.ReadMarks{}, err
	}
	return readMarksFromJS(v)
}

func (x *transaction) PutReadMarks(m core.ReadMarks) error {
	meta, err := x.t.ObjectStore(storeMeta)
	if err != nil {
		return err
	}
	var flat []any
	for i, ms := range m {
		for _, mk := range ms {
			if !seqInJS(mk.Seq) || !exactInJS(mk.Time) || mk.Time < 0 {
				return fmt.Errorf("read mark %+v is beyond what a JS number holds exactly", mk)
			}
			flat = append(flat, i+1, float64(mk.Seq), float64(mk.Time))
		}
	}
	_, err = meta.PutKey(js.ValueOf(metaReadMarks), js.ValueOf(flat))
	return err
}

func readMarksFromJS(v js.Value) (core.ReadMarks, error) {
	var m core.ReadMarks
	if v.IsUndefined() {
		return m, nil
	}
	if !v.InstanceOf(js.Global().Get("Array")) || v.Length()%3 != 0 {
		return m, fmt.Errorf("the read marks (meta %q) are not a list of [type, seq, time]: %s", metaReadMarks, jsString(v))
	}
	for i := 0; i < v.Length(); i += 3 {
		typ, seq, t := v.Index(i), v.Index(i+1), v.Index(i+2)
		if typ.Type() != js.TypeNumber || seq.Type() != js.TypeNumber || t.Type() != js.TypeNumber ||
			typ.Int() < 1 || typ.Int() > len(m) {
			return m, fmt.Errorf("the read marks (meta %q) hold a bad mark at %d: %s", metaReadMarks, i/3, jsString(v))
		}
		m[typ.Int()-1] = append(m[typ.Int()-1], core.ReadMark{Seq: uint64(seq.Float()), Time: int64(t.Float())})
	}
	return m, nil
}
