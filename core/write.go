// The write path: every call that changes something runs here, in one store
// transaction, and its events are emitted once that transaction committed.

package core

import (
	"context"
	"runtime"
)

// update runs a call of s in one read-write transaction (see hub.update).
func (s *Service) update(ctx context.Context, fn func(t *txn) error) error {
	if s.isClosed() {
		return ErrClosed
	}
	return s.h.update(ctx, func(t *txn) error {
		if s.closed { // closed while it waited for the call before it
			return ErrClosed
		}
		return fn(t)
	})
}

// update runs fn in one read-write transaction and, once it committed, puts
// its changes into the cache and emits their events. If fn or the commit fails
// nothing of the call is kept.
func (h *hub) update(ctx context.Context, fn func(t *txn) error) error {
	h.writeMu.Lock()
	defer h.writeMu.Unlock()
	if h.isStopped() {
		return ErrClosed
	}
	var catchUpEvents batch
	var t *txn
	err := h.store.Update(ctx, func(tx Tx) error {
		var err error
		if catchUpEvents, err = h.catchUpIn(tx); err != nil {
			return err
		}
		t = newTxn(h, tx)
		t.followCurrent()
		if err := fn(t); err != nil {
			return err
		}
		return t.write()
	})
	h.emitAll(catchUpEvents)
	if err != nil {
		return AsError(err)
	}
	h.mu.Lock()
	changes := t.written
	if t.marks != nil {
		changes = h.marked(changes, *t.marks)
	}
	events := h.applyChanges(changes, h.cache.seq)
	if t.newSeq > 0 {
		h.cache.seq = t.newSeq
	}
	if t.afterCommit != nil {
		t.afterCommit()
	}
	large := largeChange(len(changes), len(h.cache.convs))
	h.mu.Unlock()
	h.emitAll(events)
	h.snapshotIfDue(ctx)
	if large {
		runtime.GC()
	}
	return nil
}
