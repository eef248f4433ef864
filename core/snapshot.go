// Snapshot scheduling: the store's snapshot of the whole list is rewritten
// from the cache when enough changed since the last one.

package core

import (
	"context"
	"time"
)

// snapshotSlice is how long the encoding of a snapshot runs before it lets
// calls and the page run: at 100,000 conversations the whole encoding takes
// some 0.7 s of CPU, which inside one transaction held every call (and, on
// the page, everything else) that long. In slices it runs while calls wait
// for IndexedDB.
const snapshotSlice = 4 * time.Millisecond

// snapshotIfDue has the store's snapshot of the list rewritten, after the
// call that asks returned, when the store says enough changed since the last
// one. Its failure costs only load speed, so it is not reported.
//
// The snapshot is of the change the cache is at when it starts (no call is
// writing then); it is encoded in slices while calls go on, each record as
// the cache has it when its turn comes, and put in a transaction of its own.
// That is whole: a record a call changed meanwhile is also among those the
// load reads as changed since the snapshot's change, and replaces the one in
// it.
func (h *hub) snapshotIfDue(ctx context.Context) {
	if !h.snapshotDue(false) || !h.snapshotting.CompareAndSwap(false, true) {
		return
	}
	go func() {
		defer h.snapshotting.Store(false)
		snap := h.takeSnapshot()
		if snap == nil {
			return
		}
		snap.Encode(pacer(snapshotSlice))
		h.writeMu.Lock()
		defer h.writeMu.Unlock()
		if !h.isStopped() {
			h.writeSnapshot(context.Background(), snap)
		}
	}()
}

// takeSnapshot starts a snapshot of the cache as it is now, nil if none is
// due any more or the hub stopped.
func (h *hub) takeSnapshot() Snapshot {
	h.writeMu.Lock()
	defer h.writeMu.Unlock()
	if h.isStopped() || !h.snapshotDue(false) {
		return nil
	}
	return h.cacheSnapshot()
}

// cacheSnapshot starts a snapshot of every conversation in the cache,
// tombstones too, nil if the store keeps none. The caller holds writeMu.
//
// It walks the cache's maps as the snapshot is encoded, under the read lock
// but for each record's encoding, calls changing them in between: a map
// walked while it changes gives every entry neither added nor removed once,
// and one added or removed meanwhile (a conversation created, deleted,
// brought back or moved in the list) is changed since the snapshot's change,
// so whether it comes once, twice or not at all, the load reads it beside
// the snapshot, and that copy replaces any in it. Nothing is copied (a copy
// of the ids, or of the records, stayed live the whole time and raised the
// peak of memory by as much again).
func (h *hub) cacheSnapshot() Snapshot {
	ss, ok := h.store.(SnapshotStore)
	if !ok {
		return nil
	}
	h.mu.RLock()
	n, seq := len(h.cache.convs)+len(h.cache.tombs), h.cache.seq
	h.mu.RUnlock()
	return ss.NewSnapshot(seq, n, func(yield func(*ConversationRecord) bool) {
		h.mu.RLock()
		defer h.mu.RUnlock()
		for r := range h.cache.all {
			h.mu.RUnlock()
			more := yield(r)
			h.mu.RLock()
			if !more {
				return
			}
		}
	})
}

// pacer returns a pause that sleeps once every slice of work: a sleep, not a
// yield, so that in the browser the event loop runs (IndexedDB's events,
// the page) before the work goes on.
func pacer(slice time.Duration) func() {
	last := time.Now()
	return func() {
		if time.Since(last) >= slice {
			time.Sleep(time.Millisecond)
			last = time.Now()
		}
	}
}

func (h *hub) snapshotDue(closing bool) bool {
	ss, ok := h.store.(SnapshotStore)
	return ok && ss.SnapshotDue(closing)
}

// writeSnapshot brings the cache up to date with the store and writes, in
// one transaction, the first page and, if snap is not nil, the snapshot. The
// caller holds writeMu.
func (h *hub) writeSnapshot(ctx context.Context, snap Snapshot) {
	var events batch
	// A failure costs only load speed. What the catch-up read is in the cache
	// whatever became of the snapshot (see catchUpIn), so its events are told
	// either way.
	_ = h.store.Update(ctx, func(tx Tx) error {
		fp, pageOK := tx.(FirstPageTx)
		st, snapOK := tx.(SnapshotTx)
		if !snapOK {
			snap = nil
		}
		if !pageOK && snap == nil {
			return nil
		}
		var err error
		if events, err = h.catchUpIn(tx); err != nil {
			return err
		}
		if pageOK {
			h.mu.RLock()
			page := h.firstPageJSON()
			h.mu.RUnlock()
			if err := fp.PutFirstPage(page); err != nil {
				return err
			}
		}
		if snap != nil {
			return st.PutSnapshot(snap)
		}
		return nil
	})
	h.emitAll(events)
}
