package core

import (
	"context"
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

// Service is the local conversation service of one account in one tab: a cache
// of the conversation list over a Store. It is safe for concurrent use; calls
// that change something run one at a time, each in one store transaction.
type Service struct {
	account  string
	now      func() int64
	listener Listener

	// writeMu serializes everything that writes the store or the cache:
	// calls that change something, the sync, catch-ups and Close.
	writeMu   sync.Mutex
	store     Store
	stopWatch func()

	// mu guards what queries read: the cache and the fields below it.
	mu      sync.RWMutex
	cache   *cache
	closed  bool
	filters []Filter
	cursors *cursorMemory
	current string // the conversation on screen, "" for none
}

// New returns a Service that is not synced yet: call Sync (or use Open).
func New(opts Options) (*Service, error) {
	if err := CheckAccountID(opts.AccountID); err != nil {
		return nil, err
	}
	s := &Service{
		account:  opts.AccountID,
		now:      opts.Now,
		listener: opts.Listener,
		store:    opts.Store,
		cache:    newCache(),
		cursors:  newCursorMemory(cursorMemorySize),
	}
	if s.now == nil {
		s.now = func() int64 { return time.Now().UnixMilli() }
	}
	if s.store == nil {
		s.store = NewMemStore()
	}
	if s.listener == nil {
		s.listener = func([]Event) {}
	}
	return s, nil
}

// Open is New followed by Sync.
func Open(ctx context.Context, opts Options) (*Service, error) {
	s, err := New(opts)
	if err != nil {
		return nil, err
	}
	s.Sync(ctx, nil)
	return s, nil
}

// AccountID is the opened account.
func (s *Service) AccountID() string { return s.account }

// Sync loads the stored list: syncStarted, then syncFinished, or syncFailed
// after which the Service keeps working in memory on what it has. firstPage,
// if not nil, is called once the top of the list can be served (or the sync
// ended). Calls that change something wait for the sync; queries see what is
// loaded so far.
func (s *Service) Sync(ctx context.Context, firstPage func()) {
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	s.emit([]Event{{Type: EventSyncStarted}})
	once := func() {
		if firstPage != nil {
			firstPage()
			firstPage = nil
		}
	}
	seq, err := s.store.Load(ctx, func(batch []*ConversationRecord) {
		s.mu.Lock()
		for _, r := range batch {
			s.cache.put(r)
		}
		s.mu.Unlock()
		once()
	})
	if err != nil {
		s.fallBackToMemory()
		once()
		s.emit([]Event{{EventSyncFailed, &Error{Code: CodeInternal, Message: "loading the stored conversations failed, working in memory: " + err.Error()}}})
		return
	}
	s.mu.Lock()
	s.cache.seq = seq
	s.mu.Unlock()
	s.stopWatch = s.store.Watch(func() { s.catchUp(context.Background()) })
	once()
	s.emit([]Event{{Type: EventSyncFinished}})
	// Other tabs' commits between the load and the start of watching were
	// announced before this tab listened: catch up with them now.
	s.catchUpLocked(ctx)
	s.snapshotIfDue(ctx)
}

// fallBackToMemory moves the Service onto an in-memory store holding what the
// cache has, so that it keeps working (and stays consistent) without storage.
func (s *Service) fallBackToMemory() {
	if s.store != nil {
		_ = s.store.Close()
	}
	db := NewMemDB()
	s.mu.Lock()
	for id, r := range s.cache.convs {
		db.convs[id] = r
	}
	s.cache.seq = 0
	s.mu.Unlock()
	s.store = db.Connect()
}

// Close flushes, closes the store and stops the Service; later calls fail with 190002.
func (s *Service) Close() error {
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return ErrClosed
	}
	s.closed = true
	s.mu.Unlock()
	if s.stopWatch != nil {
		s.stopWatch()
	}
	if err := s.store.Close(); err != nil {
		return internal(err)
	}
	return nil
}

func (s *Service) emit(events []Event) {
	if len(events) > 0 {
		s.listener(events)
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
// the events that tell of it. If that gave the conversation on screen unread
// messages, it marks them read, as if they had arrived in this tab.
func (s *Service) catchUp(ctx context.Context) {
	s.writeMu.Lock()
	s.catchUpLocked(ctx)
	s.writeMu.Unlock()
	// Even if there was nothing new: another catch-up (the snapshot writer's)
	// may have taken the changes that gave it unread.
	s.followCurrent(ctx)
}

// catchUpLocked is catchUp's read, with writeMu held. A read that fails
// before the cache took the changes leaves them to the next catch-up or call;
// once the cache has them, their events are told.
func (s *Service) catchUpLocked(ctx context.Context) {
	if s.isClosed() {
		return
	}
	var events []Event
	_ = s.store.View(ctx, func(tx Tx) error {
		var err error
		events, err = s.catchUpIn(tx)
		return err
	})
	s.emit(events)
}

// followCurrent clears the current conversation's unread count, if any.
func (s *Service) followCurrent(ctx context.Context) {
	s.mu.RLock()
	r := s.cache.convs[s.current]
	s.mu.RUnlock()
	if r != nil && r.UnreadCount > 0 {
		_ = s.update(ctx, func(t *txn) error { return nil }) // update clears it, see txn.followCurrent
	}
}

// StorageLost moves the Service onto memory when its database went away under
// it (another tab opened a newer schema and asked this one to let go): it
// keeps working on what it has and tells the app with syncFailed.
func (s *Service) StorageLost(reason string) {
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	if s.isClosed() {
		return
	}
	if s.stopWatch != nil {
		s.stopWatch()
		s.stopWatch = nil
	}
	s.fallBackToMemory()
	s.emit([]Event{{EventSyncFailed, &Error{Code: CodeInternal, Message: reason + "; working in memory until the page reloads"}}})
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

// catchUpIn reads, inside tx, what others wrote since the cache's sequence and
// puts it into the cache. The records read are committed data whatever becomes
// of tx, so they stay in the cache even if tx aborts.
func (s *Service) catchUpIn(tx Tx) ([]Event, error) {
	seq, err := tx.Seq()
	if err != nil {
		return nil, err
	}
	if seq == s.cache.seq {
		return nil, nil
	}
	changed, err := tx.ConversationsChangedSince(s.cache.seq)
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	events := s.applyChanges(changed, s.cache.seq)
	s.cache.seq = seq
	return events, nil
}

// update runs fn in one read-write transaction and, once it committed, puts
// its changes into the cache and emits their events. If fn or the commit fails
// nothing of the call is kept.
func (s *Service) update(ctx context.Context, fn func(t *txn) error) error {
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	if s.isClosed() {
		return ErrClosed
	}
	var catchUpEvents []Event
	var t *txn
	err := s.store.Update(ctx, func(tx Tx) error {
		var err error
		if catchUpEvents, err = s.catchUpIn(tx); err != nil {
			return err
		}
		t = newTxn(s, tx)
		t.followCurrent()
		if err := fn(t); err != nil {
			return err
		}
		return t.write()
	})
	s.emit(catchUpEvents)
	if err != nil {
		return AsError(err)
	}
	s.mu.Lock()
	events := s.applyChanges(t.written, s.cache.seq)
	if t.newSeq > 0 {
		s.cache.seq = t.newSeq
	}
	if t.afterCommit != nil {
		t.afterCommit()
	}
	s.mu.Unlock()
	s.emit(events)
	s.snapshotIfDue(ctx)
	return nil
}

// snapshotIfDue has the store's snapshot of the list rewritten, after the
// call that asks returned, when the store says enough changed since the last
// one. Its failure costs only load speed, so it is not reported.
func (s *Service) snapshotIfDue(ctx context.Context) {
	if !s.snapshotDue() {
		return
	}
	go func() {
		s.writeMu.Lock()
		defer s.writeMu.Unlock()
		if !s.isClosed() && s.snapshotDue() { // not done meanwhile
			s.writeSnapshot(context.Background())
		}
	}()
}

func (s *Service) snapshotDue() bool {
	ss, ok := s.store.(SnapshotStore)
	return ok && ss.SnapshotDue()
}

func (s *Service) writeSnapshot(ctx context.Context) {
	var events []Event
	// A failure costs only load speed. What the catch-up read is in the cache
	// whatever became of the snapshot (see catchUpIn), so its events are told
	// either way.
	_ = s.store.Update(ctx, func(tx Tx) error {
		st, ok := tx.(SnapshotTx)
		if !ok {
			return nil
		}
		var err error
		if events, err = s.catchUpIn(tx); err != nil {
			return err
		}
		s.mu.RLock()
		live := make([]*ConversationRecord, 0, len(s.cache.convs))
		for _, r := range s.cache.convs {
			live = append(live, r)
		}
		seq := s.cache.seq
		s.mu.RUnlock()
		return st.PutSnapshot(seq, live)
	})
	s.emit(events)
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
