package core

import (
	"context"
	"errors"
	"runtime/debug"
	"slices"
	"strings"
	"sync"
	"time"
)

// Options configure a Service.
type Options struct {
	// AccountID is the opened account: conversation ids must start with it.
	AccountID string
	// Store holds the data; nil means a fresh in-memory store.
	Store Store
	// Listener receives every event; nil drops them.
	Listener Listener
	// Now returns the time in milliseconds since the epoch; nil means the clock.
	Now func() int64
}

// Service is the local conversation service of one account as one tab sees
// it: a session on a hub, the cache of the conversation list over a Store.
// Usually a hub has one session; where one module serves several tabs (a
// SharedWorker) each tab gets a session of its own (Attach) on the one hub:
// one cache, one store, while what is the tab's own — its listener, its
// subscribed filters, its paging cursors, its current conversation — stays
// per session. It is safe for concurrent use; calls that change something run
// one at a time, each in one store transaction.
type Service struct {
	*hub
	listener Listener

	// Guarded by hub.mu.
	closed  bool
	filters []Filter
	cursors *cursorMemory
	current string // the conversation on screen, "" for none
}

// hub is what the sessions of one account share.
type hub struct {
	account string
	now     func() int64

	// writeMu serializes everything that writes the store or the cache:
	// calls that change something, the sync, catch-ups, attaching and closing.
	writeMu   sync.Mutex
	store     Store
	stopWatch func()
	// syncEvents are the sync's events so far, for sessions that attach later.
	syncEvents []Event
	// fellBack: the store failed or went away, and the hub works in memory.
	fellBack bool

	// mu guards what queries read: the cache, the sessions and their fields.
	mu       sync.RWMutex
	cache    *cache
	sessions []*Service
	stopped  bool // every session closed: the store is closed
}

// New returns a Service that is not synced yet: call Sync (or use Open).
func New(opts Options) (*Service, error) {
	if err := CheckAccountID(opts.AccountID); err != nil {
		return nil, err
	}
	h := &hub{
		account: opts.AccountID,
		now:     opts.Now,
		store:   opts.Store,
		cache:   newCache(),
	}
	if h.now == nil {
		h.now = func() int64 { return time.Now().UnixMilli() }
	}
	if h.store == nil {
		h.store = NewMemStore()
	}
	s := h.newSession(opts.Listener)
	h.sessions = []*Service{s}
	return s, nil
}

func (h *hub) newSession(listener Listener) *Service {
	if listener == nil {
		listener = func([]Event) {}
	}
	return &Service{hub: h, listener: listener, cursors: newCursorMemory(cursorMemorySize)}
}

// Attach opens another session on s's hub, for another tab served by the same
// module: it shares the cache and the store, and has its own listener,
// filters, paging cursors and current conversation. The new session first
// hears the sync's events (started, then finished or failed) as if it had
// synced itself.
func (s *Service) Attach(listener Listener) (*Service, error) {
	h := s.hub
	h.writeMu.Lock() // after the sync, in order with the calls
	defer h.writeMu.Unlock()
	h.mu.Lock()
	if h.stopped {
		h.mu.Unlock()
		return nil, ErrClosed
	}
	n := h.newSession(listener)
	h.sessions = append(h.sessions, n)
	h.mu.Unlock()
	n.emitOwn(h.syncEvents)
	return n, nil
}

// Open is New followed by Sync.
func Open(ctx context.Context, opts Options) (*Service, error) {
	s, err := New(opts)
	if err != nil {
		return nil, err
	}
	if err := s.Sync(ctx, nil); err != nil {
		return nil, err
	}
	return s, nil
}

// AccountID is the opened account.
func (s *Service) AccountID() string { return s.account }

// Sync loads the stored list: syncStarted, then syncFinished, or syncFailed
// after which the Service keeps working in memory on what it has. firstPage,
// if not nil, is called once the top of the list can be served (or the sync
// ended). Calls that change something wait for the sync; queries see what is
// loaded so far. If the store's database belongs to another account, Sync
// emits nothing, closes the Service and returns a 191004 error: one account
// never works on another's data.
func (s *Service) Sync(ctx context.Context, firstPage func()) error {
	h := s.hub
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
	// Loading allocates what it keeps; collecting the heap each time it doubles
	// would only rescan it (in wasm, 40% of a 10k-conversation load).
	defer debug.SetGCPercent(debug.SetGCPercent(400))
	h.emitSync(Event{Type: EventSyncStarted})
	once := func() {
		if firstPage != nil {
			firstPage()
			firstPage = nil
		}
	}
	seq, err := h.store.Load(ctx, func(batch []*ConversationRecord) {
		h.mu.Lock()
		for _, r := range batch {
			if h.owns(r) {
				h.cache.put(r)
			}
		}
		h.mu.Unlock()
		once()
	})
	if err != nil {
		h.fallBackToMemory()
		once()
		h.emitSync(Event{EventSyncFailed, &Error{Code: CodeInternal, Message: "loading the stored conversations failed, working in memory: " + err.Error()}})
		return nil
	}
	h.mu.Lock()
	h.cache.seq = seq
	h.mu.Unlock()
	h.stopWatch = h.store.Watch(func() { h.catchUp(context.Background()) })
	once()
	h.emitSync(Event{Type: EventSyncFinished})
	// Other tabs' commits between the load and the start of watching were
	// announced before this tab listened: catch up with them now.
	h.catchUpLocked(ctx)
	h.snapshotIfDue(ctx)
	return nil
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
	h.cache.seq = 0
	h.mu.Unlock()
	h.store = db.Connect()
}

// Close ends this session; later calls on it fail with 190002. Closing the
// last session of a hub closes its store (after the call in flight).
func (s *Service) Close() error {
	h := s.hub
	h.writeMu.Lock()
	defer h.writeMu.Unlock()
	h.mu.Lock()
	if s.closed {
		h.mu.Unlock()
		return ErrClosed
	}
	s.closed = true
	h.sessions = slices.DeleteFunc(h.sessions, func(o *Service) bool { return o == s })
	last := len(h.sessions) == 0
	h.stopped = last
	h.mu.Unlock()
	if !last {
		return nil
	}
	if h.stopWatch != nil {
		h.stopWatch()
	}
	if err := h.store.Close(); err != nil {
		return internal(err)
	}
	return nil
}

// FellBackToMemory reports whether the service lost its store (syncFailed)
// and works in memory: a new tab should open the database afresh rather than
// attach to it.
func (s *Service) FellBackToMemory() bool {
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	return s.fellBack
}

// Sessions is the number of open sessions on s's hub: 0 once it stopped.
func (s *Service) Sessions() int {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return len(s.sessions)
}

// emitOwn gives events to this session only.
func (s *Service) emitOwn(events []Event) {
	if len(events) > 0 {
		s.listener(events)
	}
}

// emitAll gives a batch to every session: the common events, then the
// session's own filter counts.
func (h *hub) emitAll(b batch) {
	h.mu.RLock()
	sessions := slices.Clone(h.sessions)
	h.mu.RUnlock()
	for _, s := range sessions {
		events := b.common
		if own := b.filters[s]; len(own) > 0 {
			events = append(slices.Clip(b.common), own...)
		}
		s.emitOwn(events)
	}
}

// read runs a query against the cache.
func (s *Service) read(fn func(c *cache) error) error {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if s.closed {
		return ErrClosed
	}
	return fn(s.cache)
}

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

// StorageLost moves the Service onto memory when its database went away under
// it (another tab opened a newer schema and asked this one to let go): it
// keeps working on what it has and tells the app with syncFailed.
func (s *Service) StorageLost(reason string) {
	h := s.hub
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

// readWrite runs a query that also updates query state (the paging cursors).
func (s *Service) readWrite(fn func(c *cache) error) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return ErrClosed
	}
	return fn(s.cache)
}

func (s *Service) isClosed() bool {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.closed
}

func (h *hub) isStopped() bool {
	h.mu.RLock()
	defer h.mu.RUnlock()
	return h.stopped
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
	h.mu.Lock()
	defer h.mu.Unlock()
	events := h.applyChanges(changed, h.cache.seq)
	h.cache.seq = seq
	return events, nil
}

// update runs a call of s in one read-write transaction (see hub.update).
func (s *Service) update(ctx context.Context, fn func(t *txn) error) error {
	if s.isClosed() {
		return ErrClosed
	}
	return s.hub.update(ctx, func(t *txn) error {
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
	events := h.applyChanges(t.written, h.cache.seq)
	if t.newSeq > 0 {
		h.cache.seq = t.newSeq
	}
	if t.afterCommit != nil {
		t.afterCommit()
	}
	h.mu.Unlock()
	h.emitAll(events)
	h.snapshotIfDue(ctx)
	return nil
}

// snapshotIfDue has the store's snapshot of the list rewritten, after the
// call that asks returned, when the store says enough changed since the last
// one. Its failure costs only load speed, so it is not reported.
func (h *hub) snapshotIfDue(ctx context.Context) {
	if !h.snapshotDue() {
		return
	}
	go func() {
		h.writeMu.Lock()
		defer h.writeMu.Unlock()
		if !h.isStopped() && h.snapshotDue() { // not done meanwhile
			h.writeSnapshot(context.Background())
		}
	}()
}

func (h *hub) snapshotDue() bool {
	ss, ok := h.store.(SnapshotStore)
	return ok && ss.SnapshotDue()
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

// checkID validates a conversation id of the opened account.
func (s *Service) checkID(name, id string) (ConversationID, error) {
	cid, err := ParseConversationID(id)
	if err != nil {
		return cid, invalid("%s: %s", name, err.(*Error).Message)
	}
	if cid.AccountID != s.account {
		return cid, invalid("%s %q belongs to account %q, not to the opened account %q", name, id, cid.AccountID, s.account)
	}
	return cid, nil
}
