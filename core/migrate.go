// Moving what a store still holds in an older layout into tails, in the
// background, after the sync (docs/design.md, "What is kept").

package core

import "context"

// MigratingTx is a transaction of a store that may still hold messages in
// an older layout (idbstore's version 2 kept every message applied): Tails
// reads them into a conversation's tail, PutConversations moves them there.
type MigratingTx interface {
	Tx
	// Unmigrated returns up to n conversations whose messages are still in
	// the older layout, none once every one moved.
	Unmigrated(n int) ([]string, error)
}

// migrateBatch is how many conversations one background transaction moves:
// small, so that the calls queued behind it wait little.
const migrateBatch = 20

// migrateTails moves the store's conversations that are still in an older
// layout into tails, migrateBatch a transaction, each written with its tail
// as what it keeps (so pruned as any call would). Calls come in between the
// transactions; a conversation a call touches first moves with that call. It
// stops when nothing is left, when a transaction fails (the next open goes
// on), or when the hub stops.
func (h *hub) migrateTails() {
	if !h.unmigrated() {
		return
	}
	for {
		moved := false
		err := h.update(context.Background(), func(t *txn) error {
			mt, ok := t.tx.(MigratingTx)
			if !ok {
				return nil
			}
			ids, err := mt.Unmigrated(migrateBatch)
			if err != nil || len(ids) == 0 {
				return err
			}
			if err := t.loadTails(ids); err != nil {
				return err
			}
			for _, id := range ids {
				if t.get(id) != nil { // the store leaves out messages without a conversation
					t.tailChanged(id)
					moved = true
				}
			}
			return nil
		})
		if err != nil || !moved {
			return
		}
	}
}

// unmigrated reports whether the store says it holds conversations in an
// older layout, read in a read-only transaction: a store that never does
// is never written for it. Once moving, each step's own read says when to
// stop. It holds writeMu, as every user of the store does: a store lost
// meanwhile (fallBackToMemory) is replaced under it.
func (h *hub) unmigrated() bool {
	h.writeMu.Lock()
	defer h.writeMu.Unlock()
	if h.isStopped() {
		return false
	}
	some := false
	_ = h.store.View(context.Background(), func(tx Tx) error {
		mt, ok := tx.(MigratingTx)
		if !ok {
			return nil
		}
		ids, err := mt.Unmigrated(1)
		some = len(ids) > 0
		return err
	})
	return some
}
