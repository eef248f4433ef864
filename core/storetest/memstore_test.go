package storetest_test

import (
	"testing"

	"github.com/localconv/localconv/core"
	"github.com/localconv/localconv/core/storetest"
)

func TestMemStore(t *testing.T) {
	storetest.Run(t, func(t *testing.T) func() core.Store {
		return core.NewMemDB().Connect
	})
}
