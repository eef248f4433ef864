// The sync: loading the stored list into the cache when a Service opens,
// and moving onto memory when the store fails or goes away.

package core

import (
	"context"
	"errors"
	"runtime/debug"
	"strings"
)

// Sync loads the stored list: syncStarted, then syncFinished, or syncFailed
// after which the Service keeps working in memory on what it has. firstPage,
// if not nil, is called once the top of the list can be served (or the sync
// ended). Calls that change something wait for the sync; queries see what is
// loaded so far. If the store's database belongs to another account, Sync
// emits nothing, closes the Service and returns a 191004 error: one account
// never works on another's data.
func (s *Service) Sync(ctx context.Context, firstPage func()) error {
	h := s.h
	h.writeMu.Lock()
	defer h.writeMu.Unlock()
	if o, ok := h.store.(Opener); ok {
		if err := o.Open(ctx); errors.Is(err, ErrOtherAccount) {
			h.mu.Lock()
			s.closed, h.sessions, h.stopped = true, nil, true
			h.mu.Unlock()
			_ = h.store.Close()
			return invalid("options.dbName: %v; each account needs a database of its own (leave dbName out: the default is one per account)", err)
		}
	}
	h.emitSync(Event{Type: EventSyncStarted})
	once := func() {
		if firstPage != nil {
			firstPage()
			firstPage = nil
		}
	}
	// The records are read through the read marks: those before the load, so
	// that the first page is right, and those after it, which may be newer.
	var page []byte
	marks, err := h.readMarks(ctx, &page)
	var seq uint64
	if err == nil {
		h.mu.Lock()
		s.rememberFirstPage(page)
		h.mu.Unlock()
		h.cache.marks = marks
		seq, err = loadUncollected(func() (uint64, error) {
			return h.store.Load(ctx, func(batch []*ConversationRecord) {
				h.mu.Lock()
				for _, r := range batch {
					if h.owns(r) {
						h.cache.put(marks.apply(r))
					}
				}
				h.mu.Unlock()
				once()
			})
		})
	}
	if err == nil {
		marks, err = h.readMarks(ctx, nil)
	}
	if err != nil {
		h.fallBackToMemory()
		once()
		h.emitSync(Event{EventSyncFailed, &Error{Code: CodeInternal, Message: "loading the stored conversations failed, working in memory: " + err.Error()}})
		return nil
	}
	h.mu.Lock()
	for _, r := range h.marked(nil, marks) {
		h.cache.put(r)
	}
	h.cache.seq = seq
	h.mu.Unlock()
	h.stopWatch = h.store.Watch(func() { h.catchUp(context.Background()) })
	once()
	h.emitSync(Event{Type: EventSyncFinished})
	// Other tabs' commits between the load and the start of watching were
	// announced before this tab listened: catch up with them now.
	h.catchUpLocked(ctx)
	h.snapshotIfDue(ctx)
	go h.migrateTails()
	return nil
}

// loadUncollected runs a load with the garbage collector off. A load keeps
// nearly all it allocates (the records, the cache's indexes; the stores
// decode the list without building it twice), so a collection during it
// would only rescan what it keeps — in wasm, 40% of a 10,000-conversation
// load at GOGC 100 — and the heap's high point, which wasm memory keeps for
// good, is what the load keeps plus a few percent (docs/design.md, "Memory").
func loadUncollected(load func() (uint64, error)) (uint64, error) {
	defer debug.SetGCPercent(debug.SetGCPercent(-1))
	return load()
}

// readMarks reads the read marks and, if page is not nil and the store keeps
// one, the first page into it.
func (h *hub) readMarks(ctx context.Context, page *[]byte) (marks ReadMarks, err error) {
	err = h.store.View(ctx, func(tx Tx) error {
		var err error
		if marks, err = tx.ReadMarks(); err != nil {
			return err
		}
		if fp, ok := tx.(FirstPageTx); ok && page != nil {
			*page, err = fp.FirstPage()
		}
		return err
	})
	return marks, err
}

// owns reports whether r is a conversation of the hub's account. A database
// belongs to one account (see Opener), so every record should be; one that
// is not (a database shared by an older version, a damaged record) is never
// loaded, counted or emitted.
func (h *hub) owns(r *ConversationRecord) bool {
	return strings.HasPrefix(r.ConversationID, h.account+"|")
}

// emitSync tells every session of a sync event, and keeps it for sessions
// that attach later.
func (h *hub) emitSync(e Event) {
	h.syncEvents = append(h.syncEvents, e)
	h.emitAll(batch{common: []Event{e}})
}

// fallBackToMemory moves the hub onto an in-memory store holding what the
// cache has, so that it keeps working (and stays consistent) without storage.
func (h *hub) fallBackToMemory() {
	if h.store != nil {
		_ = h.store.Close()
	}
	h.fellBack = true
	db := NewMemDB()
	h.mu.Lock()
	for id, r := range h.cache.convs {
		db.convs[id] = r
	}
	for id, r := range h.cache.tombs {
		db.convs[id] = r
	}
	// The records keep their change sequences, and the cache's records are
	// marked already: the new database goes on from them without marks.
	db.seq = h.cache.seq
	h.cache.marks = ReadMarks{}
	h.mu.Unlock()
	h.store = db.Connect()
}

// StorageLost moves the Service onto memory when its database went away under
// it (another tab opened a newer schema and asked this one to let go): it
// keeps working on what it has and tells the app with syncFailed.
func (s *Service) StorageLost(reason string) {
	h := s.h
	h.writeMu.Lock()
	defer h.writeMu.Unlock()
	if h.isStopped() {
		return
	}
	if h.stopWatch != nil {
		h.stopWatch()
		h.stopWatch = nil
	}
	h.fallBackToMemory()
	h.emitSync(Event{EventSyncFailed, &Error{Code: CodeInternal, Message: reason + "; working in memory until the page reloads"}})
}
