//go:build js && wasm

package idbstore

import (
	"syscall/js"

	"github.com/localconv/localconv/core"
)

var _ core.FirstPageTx = (*transaction)(nil)

// PutFirstPage keeps the first page (core/firstpage.go) as a string, which
// the wrapper parses as it is.
func (x *transaction) PutFirstPage(page []byte) error {
	return catchJS(func() {
		x.store(storeMeta).Call("put", js.ValueOf(string(page)), metaFirstPage)
	})
}

// FirstPage is the kept first page, nil when there is none (every change
// deletes it: SetSeq).
func (x *transaction) FirstPage() ([]byte, error) {
	meta, err := x.t.ObjectStore(storeMeta)
	if err != nil {
		return nil, err
	}
	req, err := meta.Get(js.ValueOf(metaFirstPage))
	if err != nil {
		return nil, err
	}
	v, err := req.Await(x.ctx)
	if err != nil || v.Type() != js.TypeString {
		return nil, err
	}
	return []byte(v.String()), nil
}
