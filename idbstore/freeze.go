//go:build js && wasm

package idbstore

import (
	"errors"

	"github.com/localconv/localconv/idbstore/internal/idb"
)

// ErrPageHidden is why AbortTransactions aborted a transaction.
var ErrPageHidden = errors.New("aborted: the page went into the back/forward cache, where its open transaction would have kept the other tabs waiting; nothing of it was stored")

// AbortTransactions aborts every IndexedDB transaction of this module (every
// Store's) that is still open, and returns how many it aborted. Each fails
// with ErrPageHidden, so its Update or View fails and stores nothing. A
// transaction already committing is left to commit.
//
// The wrapper calls it at a pagehide that puts the page into the
// back/forward cache (js/bfcache.js): WebKit keeps a cached page's
// transactions open, and every other tab's transaction on the same stores
// waits for them (docs/design.md, "A tab that goes away mid-call"). It
// never blocks.
func AbortTransactions() int { return idb.AbortAll(ErrPageHidden) }
