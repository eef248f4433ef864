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
			h.writeSnapshot(context.Background(), true)
		}
	}()
}

func (h *hub) snapshotDue(closing bool) bool {
	ss, ok := h.store.(SnapshotStore)
	return ok && ss.SnapshotDue(closing)
}

// writeSnapshot brings the cache up to date with the store and writes, in
// one transaction, the first page and, if snapshot, the snapshot of the list.
func (h *hub) writeSnapshot(ctx context.Context, snapshot bool) {
	var events batch
	// A failure costs only load speed. What the catch-up read is in the cache
	// whatever became of the snapshot (see catchUpIn), so its events are told
	// either way.
	_ = h.store.Update(ctx, func(tx Tx) error {
		fp, pageOK := tx.(FirstPageTx)
		st, snapOK := tx.(SnapshotTx)
		snapshot = snapshot && snapOK
		if !pageOK && !snapshot {
			return nil
		}
		var err error
		if events, err = h.catchUpIn(tx); err != nil {
			return err
		}
		var page []byte
		var recs []*ConversationRecord
		h.mu.RLock()
		if pageOK {
			page = h.firstPageJSON()
		}
		if snapshot {
			recs = make([]*ConversationRecord, 0, len(h.cache.convs)+len(h.cache.tombs))
			for _, r := range h.cache.convs {
				recs = append(recs, r)
			}
			for _, r := range h.cache.tombs {
				recs = append(recs, r)
			}
		}
		seq := h.cache.seq
		h.mu.RUnlock()
		if pageOK {
			if err := fp.PutFirstPage(page); err != nil {
				return err
			}
		}
		if snapshot {
			return st.PutSnapshot(seq, recs)
		}
		return nil
	})
	h.emitAll(events)
}
