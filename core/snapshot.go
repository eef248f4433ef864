// Snapshot scheduling: the store's snapshot of the whole list is rewritten
// from the cache when enough changed since the last one.

package core

import (
	"context"
)

// snapshotIfDue has the store's snapshot of the list rewritten, after the
// call that asks returned, when the store says enough changed since the last
// one. Its failure costs only load speed, so it is not reported.
func (h *hub) snapshotIfDue(ctx context.Context) {
	if !h.snapshotDue(false) {
		return
	}
	go func() {
		h.writeMu.Lock()
		defer h.writeMu.Unlock()
		if !h.isStopped() && h.snapshotDue(false) { // not done meanwhile
			h.writeSnapshot(context.Background())
		}
	}()
}

func (h *hub) snapshotDue(closing bool) bool {
	ss, ok := h.store.(SnapshotStore)
	return ok && ss.SnapshotDue(closing)
}

func (h *hub) writeSnapshot(ctx context.Context) {
	var events batch
	// A failure costs only load speed. What the catch-up read is in the cache
	// whatever became of the snapshot (see catchUpIn), so its events are told
	// either way.
	_ = h.store.Update(ctx, func(tx Tx) error {
		st, ok := tx.(SnapshotTx)
		if !ok {
			return nil
		}
		var err error
		if events, err = h.catchUpIn(tx); err != nil {
			return err
		}
		h.mu.RLock()
		recs := make([]*ConversationRecord, 0, len(h.cache.convs)+len(h.cache.tombs))
		for _, r := range h.cache.convs {
			recs = append(recs, r)
		}
		for _, r := range h.cache.tombs {
			recs = append(recs, r)
		}
		seq := h.cache.seq
		h.mu.RUnlock()
		return st.PutSnapshot(seq, recs)
	})
	h.emitAll(events)
}
