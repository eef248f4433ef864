// Catch-up: taking into the cache what other connections (other tabs, other
// workers) committed, and telling this module's sessions as events.

package core

import (
	"context"
)

// catchUp brings the cache up to what other connections committed and emits
// the events that tell of it. If that gave a conversation on screen unread
// messages, it marks them read, as if they had arrived in this tab.
func (h *hub) catchUp(ctx context.Context) {
	h.writeMu.Lock()
	h.catchUpLocked(ctx)
	h.writeMu.Unlock()
	// Even if there was nothing new: another catch-up (the snapshot writer's)
	// may have taken the changes that gave it unread.
	h.followCurrent(ctx)
}

// catchUpLocked is catchUp's read, with writeMu held. A read that fails
// before the cache took the changes leaves them to the next catch-up or call;
// once the cache has them, their events are told.
func (h *hub) catchUpLocked(ctx context.Context) {
	if h.isStopped() {
		return
	}
	var events batch
	_ = h.store.View(ctx, func(tx Tx) error {
		var err error
		events, err = h.catchUpIn(tx)
		return err
	})
	h.emitAll(events)
}

// followCurrent clears the unread count of the conversations on screen, if any.
func (h *hub) followCurrent(ctx context.Context) {
	h.mu.RLock()
	unread := false
	for _, s := range h.sessions {
		if r := h.cache.convs[s.current]; r != nil && r.UnreadCount > 0 {
			unread = true
		}
	}
	h.mu.RUnlock()
	if unread {
		_ = h.update(ctx, func(t *txn) error { return nil }) // update clears it, see txn.followCurrent
	}
}

// catchUpIn reads, inside tx, what others wrote since the cache's sequence and
// puts it into the cache. The records read are committed data whatever becomes
// of tx, so they stay in the cache even if tx aborts.
func (h *hub) catchUpIn(tx Tx) (batch, error) {
	seq, err := tx.Seq()
	if err != nil {
		return batch{}, err
	}
	if seq == h.cache.seq {
		return batch{}, nil
	}
	changed, err := tx.ConversationsChangedSince(h.cache.seq)
	if err != nil {
		return batch{}, err
	}
	marks, err := tx.ReadMarks()
	if err != nil {
		return batch{}, err
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	events := h.applyChanges(h.marked(changed, marks), h.cache.seq)
	h.cache.seq = seq
	return events, nil
}
