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
