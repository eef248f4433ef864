//go:build js && wasm

package idb

import (
	"fmt"
	"sync"
)

// live is every transaction begun and not over yet, for AbortAll.
var live = liveTxs{txs: map[*Tx]struct{}{}}

type liveTxs struct {
	mu  sync.Mutex // held briefly, never across a wait
	txs map[*Tx]struct{}
}

func (l *liveTxs) add(tx *Tx) {
	l.mu.Lock()
	l.txs[tx] = struct{}{}
	l.mu.Unlock()
}

func (l *liveTxs) remove(tx *Tx) {
	l.mu.Lock()
	delete(l.txs, tx)
	l.mu.Unlock()
}

// AbortAll aborts every transaction of this module that is still open and
// returns how many it aborted; their Wait reports why. One that is
// committing already (Commit was called) or over is left as it is.
//
// It is for a page that goes into the back/forward cache: WebKit keeps such
// a page's transactions open while it stays cached, and so every other
// tab's transaction on the same stores waits (docs/design.md, "A tab that
// goes away mid-call"). It is called from that page's pagehide handler, a
// JS callback, so it never blocks; the aborted transactions' requests fail
// once the page runs again, and their calls with them.
func AbortAll(why error) int {
	live.mu.Lock()
	txs := make([]*Tx, 0, len(live.txs))
	for tx := range live.txs {
		txs = append(txs, tx)
	}
	live.mu.Unlock()
	n := 0
	for _, tx := range txs {
		if tx.t.Abort() == nil {
			tx.abortedBy.Store(&why)
			n++
		}
	}
	return n
}

// failed is err, a request's failure in tx, told with why AbortAll aborted
// tx if it did: the request's own AbortError says nothing of the page.
func (tx *Tx) failed(err error) error {
	if why := tx.abortedBy.Load(); err != nil && why != nil {
		return fmt.Errorf("%w (%v)", *why, err)
	}
	return err
}
