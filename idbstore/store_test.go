//go:build js && wasm

package idbstore

import (
	"testing"

	"github.com/localconv/localconv/core"
	"github.com/localconv/localconv/core/storetest"
)

func TestStoreContract(t *testing.T) {
	storetest.Run(t, func(t *testing.T) func() core.Store {
		name := freshName(t)
		return func() core.Store { return New(name, Options{}) }
	})
}

// The bulk read path a strict Content-Security-Policy leaves: same contract.
func TestStoreContractWithoutLoadHelper(t *testing.T) {
	forceLoadEach.Store(true)
	t.Cleanup(func() { forceLoadEach.Store(false) })
	storetest.Run(t, func(t *testing.T) func() core.Store {
		name := freshName(t)
		return func() core.Store { return New(name, Options{}) }
	})
}
