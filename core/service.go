package core

import (
	"context"
	"slices"
	"sync"
	"sync/atomic"
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
	// KeepNewest is how many of a conversation's newest messages that may be
	// last it keeps, read or not, for lastMessage to fall back on (Tail);
	// 0 means DefaultKeepNewest.
	KeepNewest int
	// TailHead is how many of a conversation's kept messages its tail holds
	// in its own record before the oldest are kept apart (Tail.spill); 0
	// means DefaultTailHead. Tests make it small.
	TailHead int
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
	h        *hub // shared by the sessions of the account
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
	keep    int // Options.KeepNewest
	head    int // Options.TailHead

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

	// snapshotting: a snapshot is being taken in the background (snapshot.go).
	snapshotting atomic.Bool
}

// New returns a Service that is not synced yet: call Sync (or use Open).
func New(opts Options) (*Service, error) {
	if err := CheckAccountID(opts.AccountID); err != nil {
		return nil, err
	}
	h := &hub{
		account: opts.AccountID,
		now:     opts.Now,
		keep:    opts.KeepNewest,
		head:    opts.TailHead,
		store:   opts.Store,
		cache:   newCache(),
	}
	if h.keep <= 0 {
		h.keep = DefaultKeepNewest
	}
	if h.head <= 0 {
		h.head = DefaultTailHead
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
	return &Service{h: h, listener: listener, cursors: newCursorMemory(cursorMemorySize)}
}

// Attach opens another session on s's hub, for another tab served by the same
// module: it shares the cache and the store, and has its own listener,
// filters, paging cursors and current conversation. The new session first
// hears the sync's events (started, then finished or failed) as if it had
// synced itself.
func (s *Service) Attach(listener Listener) (*Service, error) {
	h := s.h
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
	// The page the wrapper may have served this tab while it waited: kept
	// only while nothing changed, so it is the cache's.
	var page []byte
	if _, err := h.readMarks(context.Background(), &page); err == nil {
		h.mu.Lock()
		n.rememberFirstPage(page)
		h.mu.Unlock()
	}
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
func (s *Service) AccountID() string { return s.h.account }

// Close ends this session; later calls on it fail with 190002. Closing the
// last session of a hub closes its store (after the call in flight).
func (s *Service) Close() error {
	h := s.h
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
	// The next open reads the first page and the snapshot, not the tail:
	// both are written now (writeMu is held; a failure costs only load speed).
	if !h.fellBack {
		var snap Snapshot
		if h.snapshotDue(true) {
			snap = h.cacheSnapshot()
		}
		h.writeSnapshot(context.Background(), snap)
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
	s.h.writeMu.Lock()
	defer s.h.writeMu.Unlock()
	return s.h.fellBack
}

// Sessions is the number of open sessions on s's hub: 0 once it stopped.
func (s *Service) Sessions() int {
	s.h.mu.RLock()
	defer s.h.mu.RUnlock()
	return len(s.h.sessions)
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
	s.h.mu.RLock()
	defer s.h.mu.RUnlock()
	if s.closed {
		return ErrClosed
	}
	return fn(s.h.cache)
}

// readWrite runs a query that also updates query state (the paging cursors).
func (s *Service) readWrite(fn func(c *cache) error) error {
	s.h.mu.Lock()
	defer s.h.mu.Unlock()
	if s.closed {
		return ErrClosed
	}
	return fn(s.h.cache)
}

func (s *Service) isClosed() bool {
	s.h.mu.RLock()
	defer s.h.mu.RUnlock()
	return s.closed
}

func (h *hub) isStopped() bool {
	h.mu.RLock()
	defer h.mu.RUnlock()
	return h.stopped
}

// checkID validates a conversation id of the opened account.
func (s *Service) checkID(name, id string) (ConversationID, error) {
	cid, err := ParseConversationID(id)
	if err != nil {
		return cid, invalid("%s: %s", name, err.(*Error).Message)
	}
	if cid.AccountID != s.h.account {
		return cid, invalid("%s %q belongs to account %q, not to the opened account %q", name, id, cid.AccountID, s.h.account)
	}
	return cid, nil
}
